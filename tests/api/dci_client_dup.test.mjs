// dci_client_dup.test.mjs - the duplicate-benefit check of benefit claims against an IBR
// (docs/EI.md "Duplicate benefits", docs/DCI.md "Client side"): no IBR -> "not checked" in the
// claim's reasons; an IBR that reports another benefit -> the claim is flagged for counsellor
// review; none -> clear; an unreachable IBR -> the claim is kept, the check "failed" and retried.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Server } from './lib.mjs';
import { startStub } from './dci_stub.mjs';
import { watchServer, assertNoViolations } from './dci_schema.mjs';

const KIM = '950314-1042150', LEE = '980722-2031184', CHOI = '680530-2044165', SEO = '871103-1053276';
const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
let s, ibr, staff, staff2, flagged;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function fileClaim(nid, token = staff, office = 'SEOUL-GANGNAM') {
  const f = join(s.dir, `h-${nid}.jsonl`);
  writeFileSync(f, JSON.stringify({ national_id: nid, employer_brn: '1234567890', employer_name: 'OldCo', start_date: '2019-01-07',
    end_date: day(-20), daily_contract_hours: 8, monthly_wage: 3100000 }) + '\n');
  s.cliOk('ei', 'import-employment', f);
  const p = (await s.post('/api/v1/persons/search', { national_id: nid }, { token })).body.items[0];
  const r = await s.post('/api/v1/claims', { person_id: p.id, separation_reason: 'dismissal', report_date: day(-15), office,
    bank_account: { bank_code: '004', account_number: '123456-01-234567', holder_name: `${p.family_name} ${p.given_name}` } }, { token });
  assert.equal(r.status, 201, r.text);
  return r.body;
}
async function settled(id, token = staff, until = (c) => c.duplicate_benefit.status !== 'pending', ms = 10000) {
  let c;
  for (let t = 0; t < ms; t += 100) {
    c = (await s.get(`/api/v1/claims/${id}`, { token })).body;
    if (until(c)) return c;
    await sleep(100);
  }
  return c;
}
const codes = (c) => c.decision.reasons.map((r) => r.code);

before(async () => {
  s = watchServer(new Server());
  s.cliOk('seed', '--demo');
  await s.start();
  const ourJwks = (await s.get('/.well-known/jwks.json')).body;
  const people = { [LEE.replace('-', '')]: { ibr: [{ programme: 'BLSA-LIVELIHOOD', status: 'Active' }] },
    [SEO.replace('-', '')]: { ibr: [{ programme: 'OLD-PROG', status: 'Exited' }] } };
  ibr = await startStub({ id: 'ibr-stub', people, ourJwks });
  staff = await s.login('counsellor', 'demo-pass-2026');
  staff2 = await s.login('counsellor2', 'demo-pass-2026');
});
after(async () => { await ibr?.close(); await s.stop(); });
afterEach(assertNoViolations);

test('no IBR configured: the claim is decided as before, its reasons say duplicate benefits were not checked', async () => {
  const c = await fileClaim(KIM);
  assert.equal(c.status, 'active');
  assert.equal(c.duplicate_benefit.status, 'not_checked');
  assert.equal(c.review_required, false);
  assert.deepEqual(codes(c), ['duplicate_benefit.not_checked']);
  await sleep(300);
  assert.equal(ibr.calls.length, 0);
});

test('an IBR that reports another benefit: the claim is flagged for counsellor review, visible in its answer', async () => {
  const jf = join(s.dir, 'ibr.jwks.json');
  writeFileSync(jf, JSON.stringify(ibr.key.jwks));
  s.cliOk('dci', 'partner', 'add', '--id', 'ibr1', '--kind', 'ibr', '--base-url', ibr.url, '--token-url', ibr.url + '/oauth2/client/token',
    '--client-id', 'openpes', '--secret', 'stub-secret', '--receiver-id', ibr.id, '--jwks', jf, '--purposes', 'benefit_administration', '--timeout', '2');
  const filed = await fileClaim(LEE);
  flagged = filed.id;
  assert.equal(filed.status, 'active');
  assert.ok(['pending', 'enrolled'].includes(filed.duplicate_benefit.status), JSON.stringify(filed.duplicate_benefit));
  assert.equal(filed.duplicate_benefit.partner, 'ibr1');
  const c = await settled(filed.id);
  assert.equal(c.duplicate_benefit.status, 'enrolled', JSON.stringify(c.duplicate_benefit));
  assert.deepEqual(c.duplicate_benefit.programmes, [{ programme: 'BLSA-LIVELIHOOD', enrolled_status: 'Active', enrolled: true }]);
  assert.equal(c.review_required, true);
  assert.ok(codes(c).includes('duplicate_benefit.enrolled'));
  const call = ibr.calls.at(-1);
  assert.equal(call.path, '/registry/sync/enrolled');
  assert.equal(call.body.message.enrolled_criteria[0].query.person_identifier.eq, LEE.replace('-', ''));
  assert.equal(call.body.message.enrolled_criteria[0].authorize.purpose.code, 'benefit_administration');
  // the disclosure and the recorded outcome are audited (the system, benefit administration)
  const tid = c.duplicate_benefit.transaction_id;
  assert.equal(s.sql(`SELECT action || ':' || purpose || ':' || outcome FROM audit_log WHERE resource_type = 'dci_disclosure' AND resource_id = '${tid}'`).trim(),
    'READ:benefit_administration:allow');
  assert.ok(Number(s.sql(`SELECT COUNT(*) FROM audit_log WHERE resource_type = 'ei_claim' AND resource_id = '${c.id}' AND action = 'UPDATE' AND purpose = 'benefit_administration'`)) >= 1);
  // the claimant's list shows the same
  const list = await s.get(`/api/v1/persons/${c.person_id}/claims`, { token: staff });
  assert.equal(list.body.items[0].review_required, true);
});

test('a flagged claim\'s payments are held until a counsellor\'s review finds no conflict', async () => {
  const url = `/api/v1/claims/${flagged}`;
  const r1 = await s.post(`${url}/rounds/1/override`, { recognized: true, reason: 'attended in person' }, { token: staff });
  assert.equal(r1.status, 200, r1.text);
  const out = join(s.dir, 'bank-dup.csv');
  let b = s.cli('ei', 'pay-batch', '--date', day(0), '--out', out);
  assert.equal(b.status, 0, b.stderr + b.stdout);
  let pays = (await s.get(`${url}/payments`, { token: staff })).body;
  assert.equal(pays.items.length, 0, 'nothing paid while the finding waits for review');
  assert.deepEqual(pays.held.map((h) => [h.round, h.reason]), [[1, 'duplicate_benefit_review']]);
  assert.equal(s.sql(`SELECT COUNT(*) FROM events WHERE type = 'payment.held' AND payload LIKE '%${flagged}%'`).trim(), '1');
  // bad reviews change nothing
  for (const [body, code] of [[{ outcome: 'maybe', reason: 'x' }, 422], [{ outcome: 'no_conflict' }, 422],
    [{ outcome: 'no_conflict', reason: '' }, 422], [{ outcome: 'no_conflict', reason: 'x', extra: 1 }, 422]]) {
    const r = await s.post(`${url}/duplicate-benefit-review`, body, { token: staff });
    assert.equal(r.status, code, r.text);
  }
  assert.equal((await s.get(url, { token: staff })).body.review_required, true);
  // a claim without a finding has nothing to review
  const clear = s.sql("SELECT claim_id FROM ei_dup_checks WHERE status = 'not_checked' LIMIT 1").trim();
  assert.equal((await s.post(`/api/v1/claims/${clear}/duplicate-benefit-review`, { outcome: 'no_conflict', reason: 'x' }, { token: staff })).status, 409);
  // the review: no conflict (the other benefit ended before this claim's first payable day)
  const rv = await s.post(`${url}/duplicate-benefit-review`, { outcome: 'no_conflict', reason: 'livelihood benefit ended last month' }, { token: staff });
  assert.equal(rv.status, 200, rv.text);
  assert.equal(rv.body.review_required, false);
  assert.equal(rv.body.duplicate_benefit.review.outcome, 'no_conflict');
  assert.ok(codes(rv.body).includes('duplicate_benefit.cleared'));
  assert.equal((await s.post(`${url}/duplicate-benefit-review`, { outcome: 'conflict', reason: 'again' }, { token: staff })).status, 409,
    'one review per finding');
  assert.ok(Number(s.sql(`SELECT COUNT(*) FROM audit_log WHERE resource_type = 'ei_claim' AND resource_id = '${flagged}' AND action = 'UPDATE' AND actor_type = 'staff'`)) >= 1);
  b = s.cli('ei', 'pay-batch', '--date', day(0), '--out', out);
  assert.equal(b.status, 0, b.stderr + b.stdout);
  pays = (await s.get(`${url}/payments`, { token: staff })).body;
  assert.deepEqual(pays.items.map((p) => [p.round, p.status]), [[1, 'paid']]);
  assert.equal(pays.held.length, 0);
});

test('not enrolled elsewhere (or only exited): clear, no reason added', async () => {
  const c = await settled((await fileClaim(CHOI)).id);
  assert.equal(c.duplicate_benefit.status, 'clear');
  assert.equal(c.review_required, false);
  assert.ok(!codes(c).some((x) => x.startsWith('duplicate_benefit')));
  const d = await settled((await fileClaim(SEO, staff2, 'BUSAN')).id, staff2);
  assert.equal(d.duplicate_benefit.status, 'clear');
  assert.deepEqual(d.duplicate_benefit.programmes, [{ programme: 'OLD-PROG', enrolled_status: 'Exited', enrolled: false }]);
});

test('an unreachable IBR does not lose the claim: the check is "failed", visible, and retried until it answers', async () => {
  const pid = (await s.post('/api/v1/persons/search', { national_id: CHOI }, { token: staff })).body.items[0].id;
  s.sql(`UPDATE ei_claims SET status = 'closed' WHERE person_id = '${pid}'`); // her earlier claim ended: she may claim again
  ibr.mode = 'slow';
  const r = await s.post('/api/v1/claims', { person_id: pid, separation_reason: 'dismissal', report_date: day(-15), office: 'SEOUL-GANGNAM',
    bank_account: { bank_code: '004', account_number: '123456-01-234567', holder_name: 'Claimant' } }, { token: staff });
  const token = staff;
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.status, 'active', 'the claim is stored and decided');
  const failed = await settled(r.body.id, token, (c) => c.duplicate_benefit.status === 'failed', 8000);
  assert.equal(failed.duplicate_benefit.status, 'failed');
  assert.match(failed.duplicate_benefit.error, /did not answer within 2 s/);
  assert.ok(codes(failed).includes('duplicate_benefit.failed'));
  assert.equal(failed.review_required, false);
  ibr.mode = 'ok';
  const c = await settled(r.body.id, token, (x) => x.duplicate_benefit.status === 'clear', 15000);
  assert.equal(c.duplicate_benefit.status, 'clear', JSON.stringify(c.duplicate_benefit));
  assert.ok(c.duplicate_benefit.attempts >= 2);
});
