// ei_holder.test.mjs - the payout account must be in the claimant's name (docs/EI.md "Payout
// account holder"): the holder's name is compared with the registered name (NFKC caseless, white
// space and punctuation aside); a match is confirmed, a mismatch is kept unconfirmed and its
// payments are held (account_holder_mismatch) until a counsellor confirms the holder
// (POST /api/v1/claims/{id}/bank-account/confirm), which releases them to the next batch.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Server, assertError } from './lib.mjs';

const PW = 'demo-pass-2026';
const KIM = '950314-1042150', LEE = '980722-2031184', WILSON = '890418-6012144';
const ACCOUNT = { bank_code: '004', account_number: '123456-01-234567' };
const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
let s;
const tok = {};
const claim = {};

async function personOf(nid) {
  return (await s.post('/api/v1/persons/search', { national_id: nid }, { token: tok.counsellor })).body.items[0];
}
// Insured history ending 20 days ago, then a claim reported 15 days ago (round 1 due yesterday).
async function fileClaim(nid, holder, token = tok.counsellor) {
  const f = join(s.dir, `h-${nid}.jsonl`);
  writeFileSync(f, JSON.stringify({ national_id: nid, employer_brn: '1234567890', employer_name: 'OldCo', start_date: '2019-01-07',
    end_date: day(-20), daily_contract_hours: 8, monthly_wage: 3100000 }) + '\n');
  s.cliOk('ei', 'import-employment', f);
  const p = await personOf(nid);
  const body = { separation_reason: 'dismissal', report_date: day(-15), office: 'SEOUL-GANGNAM', bank_account: { ...ACCOUNT, holder_name: holder } };
  if (token === tok.counsellor) body.person_id = p.id;
  const r = await s.post('/api/v1/claims', body, { token });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.status, 'active');
  return r.body;
}
const sql = (q) => s.sql(q).trim();
const events = (type, id) => Number(sql(`SELECT COUNT(*) FROM events WHERE type = '${type}' AND payload LIKE '%${id}%'`));
const confirm = (id, body, token = tok.counsellor, headers = {}) =>
  s.post(`/api/v1/claims/${id}/bank-account/confirm`, body, { token, headers });
function payBatch(name) {
  const out = join(s.dir, name);
  const b = s.cli('ei', 'pay-batch', '--date', day(0), '--out', out);
  assert.equal(b.status, 0, b.stderr + b.stdout);
  return readFileSync(out, 'utf8');
}

before(async () => {
  s = new Server();
  s.cliOk('seed', '--demo');
  await s.start();
  for (const u of ['counsellor', 'counsellor2', 'supervisor', 'analyst', 'welfare', 'citizen', 'citizen2']) tok[u] = await s.login(u, PW);
});
after(async () => { await s.stop(); });

test('registration: a holder who is the claimant is confirmed (spaces, case and full-width aside)', async () => {
  claim.kim = await fileClaim(KIM, '김 민준', tok.citizen);
  assert.equal(claim.kim.bank_account.status, 'confirmed', JSON.stringify(claim.kim.bank_account));
  assert.equal(claim.kim.bank_account.status_reason, 'name_matches');
  assert.equal(claim.kim.bank_account.confirmation, undefined);
  claim.wilson = await fileClaim(WILSON, 'ＷＩＬＳＯＮ，　ｅｍｍａ');
  assert.equal(claim.wilson.bank_account.status, 'confirmed', 'full-width, family name first, comma');
  // the registered name is read through the access path for the check (audited)
  const p = await personOf(KIM);
  assert.ok(Number(sql(`SELECT COUNT(*) FROM audit_log WHERE resource_type = 'person' AND action = 'READ' AND person_id = '${p.id}'
    AND actor_type = 'citizen' AND outcome = 'allow'`)) >= 1);
  assert.equal(sql(`SELECT holder_status || ':' || holder_reason FROM ei_bank_accounts WHERE claim_id = '${claim.kim.id}'`), 'confirmed:name_matches');
});

test('registration: another holder is kept unconfirmed with the reason; the claimant sees the status', async () => {
  claim.lee = await fileClaim(LEE, '이서현');
  const a = claim.lee.bank_account;
  assert.equal(a.status, 'unconfirmed', JSON.stringify(a));
  assert.equal(a.status_reason, 'name_differs');
  assert.equal(a.account_number, '**********4567', 'the account is kept (masked)');
  assert.equal(sql(`SELECT holder_status || ':' || holder_reason FROM ei_bank_accounts WHERE claim_id = '${claim.lee.id}'`), 'unconfirmed:name_differs');
  // a change by the claimant to an account in someone else's name: unconfirmed too
  const r = await s.req('PUT', `/api/v1/claims/${claim.wilson.id}/bank-account`, { body: { ...ACCOUNT, holder_name: 'Emma Watson' }, token: tok.citizen2 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.bank_account.status, 'unconfirmed');
  assert.equal(r.body.bank_account.version, 2);
  const mine = await s.get(`/api/v1/claims/${claim.wilson.id}`, { token: tok.citizen2 });
  assert.equal(mine.body.bank_account.status, 'unconfirmed', 'the claimant sees the status');
  assert.equal(sql(`SELECT payload FROM events WHERE type = 'claim.bank_account_changed' AND payload LIKE '%${claim.wilson.id}%'`),
    JSON.stringify({ claim_id: claim.wilson.id, holder_status: 'unconfirmed' }));
  // the holder's name stays sealed and out of the log
  assert.match(sql(`SELECT holder_enc FROM ei_bank_accounts WHERE claim_id = '${claim.lee.id}'`), /^v1:/);
  assert.ok(!s.logs.some((l) => l.includes('이서현') || l.includes('Emma Watson') || l.includes('12345601234567')), 'never logged');
});

test('pay batch: the payments of an unconfirmed account are held with account_holder_mismatch, a confirmed one is paid', async () => {
  for (const c of [claim.kim, claim.lee, claim.wilson]) {
    const r = await s.post(`/api/v1/claims/${c.id}/rounds/1/override`, { recognized: true, reason: 'attended in person' }, { token: tok.counsellor });
    assert.equal(r.status, 200, r.text);
  }
  const file = payBatch('bank-1.csv');
  const pays = async (c) => (await s.get(`/api/v1/claims/${c.id}/payments`, { token: tok.counsellor })).body;
  const lee = await pays(claim.lee);
  assert.equal(lee.items.length, 0, 'nothing paid');
  assert.deepEqual(lee.held.map((h) => [h.round, h.reason]), [[1, 'account_holder_mismatch']]);
  assert.deepEqual((await pays(claim.wilson)).held.map((h) => h.reason), ['account_holder_mismatch']);
  assert.deepEqual((await pays(claim.kim)).items.map((p) => [p.round, p.status]), [[1, 'paid']]);
  assert.equal(events('payment.held', claim.lee.id), 1);
  assert.ok(!file.includes(claim.lee.id) && file.includes(claim.kim.id));
  payBatch('bank-1b.csv'); // held again, announced once
  assert.equal(events('payment.held', claim.lee.id), 1);
  assert.equal(sql(`SELECT COUNT(*) FROM ei_payment_holds WHERE claim_id = '${claim.lee.id}' AND reason = 'account_holder_mismatch'`), '1');
});

test('confirm: only counsellors and supervisors of the claimant, bad input refused with a structured error and nothing changed', async () => {
  const id = claim.lee.id;
  const unchanged = () => {
    assert.equal(sql(`SELECT holder_status || ':' || COALESCE(confirmed_by, '-') FROM ei_bank_accounts WHERE claim_id = '${id}'`), 'unconfirmed:-');
    assert.equal(events('claim.bank_account_confirmed', id), 0);
  };
  const ok = { reason: 'bank statement seen: the account is hers (name registered before marriage)' };
  assertError(assert, await confirm(id, ok, tok.citizen2), 403);
  assertError(assert, await confirm(claim.wilson.id, ok, tok.citizen2), 403, 'access.denied');
  assertError(assert, await confirm(id, ok, tok.analyst), 403);
  assertError(assert, await confirm(id, ok, tok.welfare), 403);
  assertError(assert, await confirm(id, ok, tok.counsellor2), 403, 'access.denied'); // another office
  for (const [body, status, code, field] of [
    [{}, 422, 'validation.failed', 'reason'],
    [{ reason: '' }, 422, 'validation.failed', 'reason'],
    [{ reason: 42 }, 422, 'validation.failed', 'reason'],
    [{ reason: 'x'.repeat(501) }, 422, 'validation.failed', 'reason'],
    [{ reason: 'seen', extra: 1 }, 422, 'validation.unknown_field', undefined],
    [{ reason: 'seen', version: 0 }, 422, 'validation.failed', 'version'],
    [{ reason: 'seen', version: 7 }, 409, undefined, 'version'],
  ]) {
    const r = await confirm(id, body);
    assertError(assert, r, status, code);
    if (field) assert.equal(r.body.error.field, field, r.text);
  }
  assertError(assert, await confirm('not-a-claim', ok), 404, 'resource.not_found');
  assertError(assert, await confirm('01900000-0000-7000-8000-000000000000', ok), 404, 'resource.not_found');
  unchanged();
  unchanged();
});

test('confirm: recorded who/when/why with an event; a repeat is answered the same and records nothing again', async () => {
  const id = claim.lee.id;
  const r = await confirm(id, { reason: 'bank statement seen', version: 1 }, tok.counsellor, { 'Idempotency-Key': 'confirm-lee-1' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.bank_account.status, 'confirmed');
  assert.equal(r.body.bank_account.status_reason, 'counsellor');
  assert.equal(r.body.bank_account.confirmation.reason, 'bank statement seen');
  const at = r.body.bank_account.confirmation.confirmed_at;
  assert.ok(at);
  const me = sql("SELECT id FROM accounts WHERE username = 'counsellor'");
  const row = sql(`SELECT confirmed_by || '|' || confirm_reason FROM ei_bank_accounts WHERE claim_id = '${id}'`);
  assert.equal(row, `${me}|bank statement seen`);
  assert.equal(events('claim.bank_account_confirmed', id), 1);
  assert.ok(Number(sql(`SELECT COUNT(*) FROM audit_log WHERE resource_type = 'ei_bank_account' AND resource_id = '${id}' AND action = 'UPDATE'
    AND actor_type = 'staff' AND outcome = 'allow'`)) >= 1);
  // the same request replayed, and a second confirmation: the same answer, nothing recorded again
  const replay = await confirm(id, { reason: 'bank statement seen', version: 1 }, tok.counsellor, { 'Idempotency-Key': 'confirm-lee-1' });
  assert.equal(replay.status, 200, replay.text);
  const again = await confirm(id, { reason: 'seen again' }, tok.supervisor);
  assert.equal(again.status, 200, again.text);
  assert.equal(again.body.bank_account.confirmation.reason, 'bank statement seen');
  assert.equal(again.body.bank_account.confirmation.confirmed_at, at);
  assert.equal(events('claim.bank_account_confirmed', id), 1);
  // the claimant sees it
  const c = await s.get(`/api/v1/claims/${id}`, { token: tok.counsellor });
  assert.equal(c.body.bank_account.status, 'confirmed');
  // a supervisor confirms the other one
  const w = await confirm(claim.wilson.id, { reason: 'married name, certificate seen' }, tok.supervisor);
  assert.equal(w.status, 200, w.text);
  assert.equal(w.body.bank_account.status, 'confirmed');
});

test('release: the next batch pays what was held; a later change to another holder is checked anew', async () => {
  const file = payBatch('bank-2.csv');
  const lee = (await s.get(`/api/v1/claims/${claim.lee.id}/payments`, { token: tok.counsellor })).body;
  assert.deepEqual(lee.items.map((p) => [p.round, p.status]), [[1, 'paid']]);
  assert.equal(lee.held.length, 0);
  assert.ok(file.split('\n').some((l) => l.includes(claim.lee.id) && l.endsWith(',004,12345601234567,"이서현"')), file);
  assert.equal(sql(`SELECT COUNT(*) FROM ei_payment_holds WHERE claim_id IN ('${claim.lee.id}', '${claim.wilson.id}')`), '0');
  // the claimant changes the account again: the confirmation does not carry over
  const r = await s.req('PUT', `/api/v1/claims/${claim.wilson.id}/bank-account`, { body: { ...ACCOUNT, holder_name: 'Someone Else' }, token: tok.citizen2 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.bank_account.status, 'unconfirmed');
  assert.equal(r.body.bank_account.confirmation, undefined);
  assert.equal(sql(`SELECT COALESCE(confirmed_by, '-') FROM ei_bank_accounts WHERE claim_id = '${claim.wilson.id}'`), '-');
});
