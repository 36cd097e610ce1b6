// ei.test.mjs - the employment-insurance lifecycle over HTTP and the CLI: insured-history import
// (error report), claims (decision from stored history, registration due date, every bad-input
// class, nothing half-written), the job diary and recognition rounds, employment detection
// (claim suspended, event queued, registration changed, later payment withheld, idempotent
// duplicates, batches with broken lines, job end re-opening the claim) and the payment batch
// (killed midway and re-run: no duplicate, no missing payment).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync, readFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Server, assertError, BIN } from './lib.mjs';

const PW = 'correct-horse-42';
const SECRET = 'ins-secret-0123456789abcdef';
const BRN = '123-45-67890';
// The payout account of person a (김가나); bankOf(name): the same account held in another claimant's
// name (the holder must be the claimant: otherwise the account is unconfirmed and payments held).
const BANK = { bank_code: '088', account_number: '110-234-567890', holder_name: '김가나' };
const bankOf = (holder) => ({ ...BANK, holder_name: holder });
let s;
const tok = {};
const pid = {};

const day = (offset) => {
  const d = new Date(Date.now() + offset * 86400000);
  return d.toISOString().slice(0, 10);
};
const T = (n) => day(n); // T(-70) = 70 days ago

// Direct look at the database (events are not exposed over the API).
function sql(q) {
  return s.sql(q).trim();
}

const NIDS = { a: '800101-1234567', b: '810202-2345678', c: '820303-1456789', d: '830404-2567890' };
const crashNids = Array.from({ length: 6 }, (_, i) => `8505${String(10 + i).padStart(2, '0')}-1${String(100000 + i)}`);

async function makePerson(nid, family, given) {
  const r = await s.post('/api/v1/persons', {
    national_id: nid, given_name: given, family_name: family, birth_date: `19${nid.slice(0, 2)}-${nid.slice(2, 4)}-${nid.slice(4, 6)}`,
    sex: 'male', nationality: 'KR', address: { line: '테헤란로 1', postal_code: '06236', region_code: 'KR-11' },
  }, { token: tok.kim });
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}

before(async () => {
  s = new Server();
  s.cliOk('office', 'add', '--code', 'SEOUL-01', '--name', 'Seoul Job Centre', '--kind', 'job_centre', '--region', 'KR-11');
  for (const [u, role] of [['kim', 'counsellor'], ['han', 'supervisor'], ['seo', 'supervisor'], ['oh', 'analyst']])
    s.cliOk('user', 'add', '--username', `${u}.staff`, '--password', PW, '--kind', 'staff', '--role', role, '--office', 'SEOUL-01', '--name', u);
  s.cliOk('client', 'add', '--id', 'ins-agency', '--secret', SECRET, '--scopes', 'insurance.registrations', '--name', 'EI agency');
  s.cliOk('client', 'add', '--id', 'other', '--secret', SECRET, '--scopes', 'vacancies.read', '--name', 'Other');
  await s.start();
  for (const u of ['kim', 'han', 'seo', 'oh']) tok[u] = await s.login(`${u}.staff`, PW);
  for (const id of ['ins-agency', 'other']) {
    const r = await s.req('POST', '/oauth2/client/token', { form: { grant_type: 'client_credentials', client_id: id, client_secret: SECRET } });
    assert.equal(r.status, 200, r.text);
    tok[id] = r.body.access_token;
  }
  pid.a = await makePerson(NIDS.a, '김', '가나');
  pid.b = await makePerson(NIDS.b, '이', '다라');
  pid.c = await makePerson(NIDS.c, '박', '마바');
  s.cliOk('user', 'add', '--username', 'a.citizen', '--password', PW, '--kind', 'citizen', '--person', pid.a, '--name', 'A');
  s.cliOk('user', 'add', '--username', 'b.citizen', '--password', PW, '--kind', 'citizen', '--person', pid.b, '--name', 'B');
  tok.a = await s.login('a.citizen', PW);
  tok.b = await s.login('b.citizen', PW);
});
after(async () => { await s.stop(); });

test('import employment: JSONL and CSV, accepted lines committed, rejected lines reported', async () => {
  const spell = (nid, start, end, wage = 3000000) => JSON.stringify({ national_id: nid, employer_brn: BRN, employer_name: 'ACME', start_date: start, end_date: end, daily_contract_hours: 8, monthly_wage: wage });
  const jsonl = join(s.dir, 'emp.jsonl');
  writeFileSync(jsonl, [
    spell(NIDS.a, '2022-01-03', T(-70)),
    '{"national_id": broken',
    spell('990909-1999999', '2022-01-03', T(-70)),
    spell(NIDS.b, '2022-01-03', T(-70)).replace('"2022-01-03"', '"2022-02-30"'),
    JSON.stringify({ national_id: NIDS.b, employer_brn: '12', start_date: '2022-01-03' }),
    JSON.stringify({ national_id: NIDS.b, employer_brn: BRN, start_date: '2023-01-03', end_date: '2022-01-01' }),
    spell(NIDS.b, '2021-03-02', T(-70), 2500000),
    spell(NIDS.a, '2022-01-03', T(-70)), // repeated: updates, no duplicate
  ].join('\n') + '\n');
  const report = join(s.dir, 'emp.report');
  const r = s.cli('ei', 'import-employment', jsonl, '--report', report);
  assert.equal(r.status, 3, r.stderr); // some lines rejected
  const rep = readFileSync(report, 'utf8');
  assert.match(rep, /line 2: request\.malformed_json/);
  assert.match(rep, /line 3: resource\.not_found: no person has this national id \(field national_id\)/);
  assert.match(rep, /line 4: validation\.failed: .*start_date/);
  assert.match(rep, /line 5: validation\.failed: .*employer_brn/);
  assert.match(rep, /line 6: validation\.failed: .*end_date/);
  assert.match(rep, /3 accepted, 5 rejected/);
  const csv = join(s.dir, 'emp.csv');
  writeFileSync(csv, 'national_id,employer_brn,employer_name,start_date,end_date,daily_contract_hours,monthly_wage\n' +
    `${NIDS.c},${BRN},"ACME, Inc.",2020-05-01,${T(-70)},7.5,2800000\n` +
    `${NIDS.c},${BRN},ACME,2020-05-01\n` +
    `${NIDS.c},${BRN},ACME,2019-01-01,2019-06-30,eight,100\n`);
  const r2 = s.cli('ei', 'import-employment', csv);
  assert.equal(r2.status, 3);
  assert.match(r2.stderr, /line 3: request\.bad: the line has 4 fields; the header has 7/);
  assert.match(r2.stderr, /line 4: validation\.failed: .*daily_contract_hours/);
  const h = await s.get(`/api/v1/persons/${pid.a}/employment`, { token: tok.kim });
  assert.equal(h.status, 200, h.text);
  assert.equal(h.body.items.length, 1);
  assert.equal(h.body.items[0].employer_brn, '1234567890');
  assert.equal(h.body.items[0].monthly_wage, 3000000);
  const hc = await s.get(`/api/v1/persons/${pid.c}/employment`, { token: tok.kim });
  assert.equal(hc.body.items[0].employer_name, 'ACME, Inc.');
  assert.equal(hc.body.items[0].daily_contract_hours, 7.5);
});

let claimA;
test('claims: bad input gives clear errors and writes nothing', async () => {
  const base = { separation_reason: 'dismissal', report_date: T(-65), bank_account: BANK };
  assertError(assert, await s.post('/api/v1/claims', { ...base, person_id: '01900000-0000-7000-8000-000000000000' }, { token: tok.kim }), 404, 'resource.not_found');
  let r = await s.post('/api/v1/claims', { ...base, person_id: pid.a, separation_date: T(-60) }, { token: tok.kim });
  assertError(assert, r, 422, 'validation.failed');
  assert.equal(r.body.error.field, 'separation_date');
  r = await s.post('/api/v1/claims', { ...base, person_id: pid.a, report_date: T(3) }, { token: tok.kim });
  assertError(assert, r, 422, 'validation.failed');
  assert.equal(r.body.error.field, 'report_date');
  r = await s.post('/api/v1/claims', { ...base, person_id: pid.a, separation_date: T(-80) }, { token: tok.kim });
  assertError(assert, r, 422, 'validation.failed');
  assert.match(r.body.error.detail, /no insured employment/);
  r = await s.post('/api/v1/claims', { person_id: pid.a, report_date: T(-65), bank_account: BANK }, { token: tok.kim });
  assertError(assert, r, 422, 'validation.failed');
  assert.equal(r.body.error.field, 'separation_reason');
  r = await s.post('/api/v1/claims', { ...base, person_id: pid.a, separation_reason: 'bored' }, { token: tok.kim });
  assertError(assert, r, 422, 'validation.failed');
  assertError(assert, await s.post('/api/v1/claims', { ...base, person_id: pid.a, colour: 'red' }, { token: tok.kim }), 422, 'validation.unknown_field');
  assertError(assert, await s.post('/api/v1/claims', { ...base, person_id: pid.a }, { token: tok.b }), 403, 'access.denied');
  assertError(assert, await s.post('/api/v1/claims', { ...base, person_id: pid.a }, { token: tok.oh }), 403);
  const list = await s.get(`/api/v1/persons/${pid.a}/claims`, { token: tok.kim });
  assert.equal(list.status, 200, list.text);
  assert.equal(list.body.items.length, 0);
  assert.equal(sql(`SELECT COUNT(*) FROM jobseeker_registrations WHERE person_id = '${pid.a}'`), '0');
});

test('claims: filed by the citizen, decided from the stored history, registration due in 7 days', async () => {
  const r = await s.post('/api/v1/claims', { separation_reason: 'dismissal', report_date: T(-65), office: 'SEOUL-01', bank_account: BANK },
    { token: tok.a, headers: { 'Idempotency-Key': 'claim-a-1' } });
  assert.equal(r.status, 201, r.text);
  claimA = r.body;
  assert.equal(claimA.person_id, pid.a);
  assert.equal(claimA.status, 'active');
  assert.equal(claimA.eligible, true);
  assert.equal(claimA.separation_date, T(-70));
  assert.ok(claimA.decision.facts.insured_unit_days >= 180, JSON.stringify(claimA.decision.facts));
  assert.equal(claimA.decision.facts.wages_3m_total > 8000000, true);
  assert.ok(claimA.daily_amount > 0 && claimA.payable_days > 0);
  assert.ok(Array.isArray(claimA.decision.trace) && claimA.decision.trace.length > 0);
  assert.equal(claimA.registration_due_date, T(-58));
  assert.equal(claimA.rounds[0].recognition_date, T(-51));
  assert.equal(claimA.rounds[1].recognition_date, T(-23));
  // The same request again (idempotency key) gives the same claim.
  const again = await s.post('/api/v1/claims', { separation_reason: 'dismissal', report_date: T(-65), office: 'SEOUL-01', bank_account: BANK },
    { token: tok.a, headers: { 'Idempotency-Key': 'claim-a-1' } });
  assert.equal(again.status, 201);
  assert.equal(again.body.id, claimA.id);
  // A second open claim is refused.
  assertError(assert, await s.post('/api/v1/claims', { separation_reason: 'dismissal', report_date: T(-65), bank_account: BANK }, { token: tok.a }), 409, 'resource.duplicate');
  const reg = await s.get(`/api/v1/persons/${pid.a}/jobseeker-registration`, { token: tok.kim });
  assert.equal(reg.body.claim_id, claimA.id);
  assert.equal(reg.body.due_date, T(-58));
  assert.equal(reg.body.status, 'active');
  const mine = await s.get('/api/v1/me/claims', { token: tok.a });
  assert.equal(mine.body.items.length, 1);
  assertError(assert, await s.get(`/api/v1/claims/${claimA.id}`, { token: tok.b }), 403);
  const g = await s.get(`/api/v1/claims/${claimA.id}`, { token: tok.kim });
  assert.equal(g.status, 200);
  assert.equal(g.body.id, claimA.id);
  // Ineligible: voluntary quit is stored as a rejected claim with its reasons.
  const rc = await s.post('/api/v1/claims', { person_id: pid.c, separation_reason: 'voluntary_quit', report_date: T(-65), bank_account: BANK }, { token: tok.kim });
  assert.equal(rc.status, 201, rc.text);
  assert.equal(rc.body.status, 'rejected');
  assert.equal(rc.body.eligible, false);
  assert.ok(rc.body.decision.reasons.length > 0);
});

test('job diary and recognition rounds: evaluation and counsellor override', async () => {
  let r = await s.post(`/api/v1/claims/${claimA.id}/activities`, { date: T(-40), type: 'application', note: 'applied at ACME' }, { token: tok.a });
  assert.equal(r.status, 201, r.text);
  assertError(assert, await s.post(`/api/v1/claims/${claimA.id}/activities`, { date: T(2), type: 'application' }, { token: tok.a }), 422);
  assertError(assert, await s.post(`/api/v1/claims/${claimA.id}/activities`, { date: T(-40), type: 'dancing' }, { token: tok.a }), 422);
  assertError(assert, await s.post(`/api/v1/claims/${claimA.id}/activities`, { date: T(-40), type: 'application' }, { token: tok.b }), 403);
  const diary = await s.get(`/api/v1/claims/${claimA.id}/activities`, { token: tok.a });
  assert.equal(diary.status, 200, diary.text);
  assert.deepEqual(diary.body.items.map((x) => [x.date, x.type, x.source, x.note]), [[T(-40), 'application', 'diary', 'applied at ACME']]);
  assertError(assert, await s.get(`/api/v1/claims/${claimA.id}/activities`, { token: tok.b }), 403);
  r = await s.post(`/api/v1/claims/${claimA.id}/rounds/1/evaluate`, undefined, { token: tok.kim });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.status, 'recognized');
  // the calculator's answer with its trace, re-derived from the stored request (DECISIONS 15)
  assert.equal(r.body.evaluation.recognized, true);
  assert.equal(r.body.evaluation.request.round, 1);
  assert.ok(r.body.evaluation.trace.some((t) => t.parameter === 'kr.ei.recognition.table'), JSON.stringify(r.body.evaluation));
  const claimView = await s.get(`/api/v1/claims/${claimA.id}`, { token: tok.a });
  assert.deepEqual(claimView.body.rounds[0].evaluation, r.body.evaluation, 'the claim shows the same');
  assertError(assert, await s.post(`/api/v1/claims/${claimA.id}/rounds/3/evaluate`, undefined, { token: tok.kim }), 409);
  r = await s.post(`/api/v1/claims/${claimA.id}/rounds/1/override`, { recognized: false }, { token: tok.kim });
  assertError(assert, r, 422);
  r = await s.post(`/api/v1/claims/${claimA.id}/rounds/1/override`, { recognized: true, reason: 'attended in person' }, { token: tok.kim });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.override_reason, 'attended in person');
});

test('an application made on the platform appears in the claimant\'s job diary (outbox -> worker -> EI)', async () => {
  s.cliOk('seed', '--vacancies', '3', '--seed', '9');
  const list = await s.get('/api/v1/vacancies?page_size=1');
  assert.equal(list.status, 200, list.text);
  const ap = await s.post(`/api/v1/vacancies/${list.body.items[0].id}/applications`, {}, { token: tok.a });
  assert.equal(ap.status, 201, ap.text);
  let items = [];
  for (let i = 0; i < 50; i++) { // the background worker polls every 200 ms
    const d = await s.get(`/api/v1/claims/${claimA.id}/activities`, { token: tok.a });
    items = d.body.items;
    if (items.some((x) => x.source === 'platform')) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const platform = items.filter((x) => x.source === 'platform');
  assert.equal(platform.length, 1, JSON.stringify(items));
  assert.equal(platform[0].type, 'application');
  assert.equal(platform[0].date, T(0));
});

test('employment detection: claim suspended, event queued, registration placed, duplicates idempotent', async () => {
  const reg = { national_id: NIDS.a, employer_brn: '222-33-44444', employer_name: 'NewCo', start_date: T(-30) };
  assertError(assert, await s.post('/api/v1/insurance/registrations', reg, { token: tok.other }), 403);
  assertError(assert, await s.post('/api/v1/insurance/registrations', reg, { token: tok.a }), 403);
  assertError(assert, await s.post('/api/v1/insurance/registrations', { ...reg, national_id: '990909-1999999' }, { token: tok['ins-agency'] }), 404);
  assertError(assert, await s.post('/api/v1/insurance/registrations', { ...reg, start_date: 'soon' }, { token: tok['ins-agency'] }), 422);
  const events0 = Number(sql(`SELECT COUNT(*) FROM events WHERE type = 'employment.started'`));
  const r = await s.post('/api/v1/insurance/registrations', reg, { token: tok['ins-agency'] });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.claim_id, claimA.id);
  assert.equal(r.body.claim_status, 'suspended');
  assert.equal(r.body.payments_withheld_from, T(-30));
  assert.equal(r.body.registration_status, 'placed');
  assert.equal(r.body.early_reemployment.eligible, true, JSON.stringify(r.body.early_reemployment));
  assert.equal(r.body.early_reemployment.amount, Math.floor(claimA.daily_amount * claimA.payable_days / 2));
  const c = await s.get(`/api/v1/claims/${claimA.id}`, { token: tok.kim });
  assert.equal(c.body.status, 'suspended');
  assert.deepEqual(c.body.employment_breaks.map((b) => b.from), [T(-30)]);
  assert.equal(Number(sql(`SELECT COUNT(*) FROM events WHERE type = 'employment.started' AND subject = '${pid.a}'`)), events0 + 1);
  const jr = await s.get(`/api/v1/persons/${pid.a}/jobseeker-registration`, { token: tok.kim });
  assert.equal(jr.body.status, 'placed');
  // Audited as the agency itself (a partner with a purpose, not a system alias); the registration
  // change that follows from the report is the system's own, audited as such.
  assert.equal(sql(`SELECT actor_type || '|' || actor_id || '|' || purpose FROM audit_log WHERE person_id = '${pid.a}'
    AND resource_type = 'ei_employment' AND action = 'UPDATE' ORDER BY seq DESC LIMIT 1`), 'partner|ins-agency|benefit_administration');
  assert.equal(sql(`SELECT actor_type || '|' || actor_id FROM audit_log WHERE person_id = '${pid.a}'
    AND resource_type = 'jobseeker_registration' AND action = 'UPDATE' ORDER BY seq DESC LIMIT 1`), 'system|system:ei.detection');
  // The agency's scope covers reporting jobs, not reading people's records.
  assertError(assert, await s.get(`/api/v1/persons/${pid.a}`, { token: tok['ins-agency'] }), 403);
  // Duplicate: same answer, no second event.
  const d = await s.post('/api/v1/insurance/registrations', reg, { token: tok['ins-agency'] });
  assert.equal(d.status, 200, d.text);
  assert.deepEqual(d.body, r.body);
  assert.equal(Number(sql(`SELECT COUNT(*) FROM events WHERE type = 'employment.started' AND subject = '${pid.a}'`)), events0 + 1);
  // Staff may register too (supervisor); unknown fields are refused.
  assertError(assert, await s.post('/api/v1/insurance/registrations', { ...reg, salary: 1 }, { token: tok.han }), 422, 'validation.unknown_field');
});

test('payout account: required, validated, sealed, shown masked, changeable by the claimant, never logged', async () => {
  const base = { person_id: pid.b, separation_reason: 'dismissal', report_date: T(-65), office: 'SEOUL-01' };
  let r = await s.post('/api/v1/claims', base, { token: tok.kim });
  assertError(assert, r, 422, 'validation.failed');
  assert.equal(r.body.error.field, 'bank_account');
  assert.ok(r.body.error.hint, r.text);
  r = await s.post('/api/v1/claims', { ...base, bank_account: { ...BANK, account_number: '110-ABC-567890' } }, { token: tok.kim });
  assertError(assert, r, 422, 'validation.failed');
  assert.equal(r.body.error.field, 'bank_account.account_number');
  assert.ok(r.body.error.detail && r.body.error.hint, r.text);
  r = await s.post('/api/v1/claims', { ...base, bank_account: { ...BANK, bank_code: 'KB' } }, { token: tok.kim });
  assert.equal(r.body.error.field, 'bank_account.bank_code');
  r = await s.post('/api/v1/claims', { ...base, bank_account: { ...BANK, swift: 'X' } }, { token: tok.kim });
  assertError(assert, r, 422, 'validation.unknown_field');
  assert.equal(sql(`SELECT COUNT(*) FROM ei_claims WHERE person_id = '${pid.b}'`), '0');
  // What the claimant filed with, masked for staff and for the claimant alike.
  assert.deepEqual({ ...claimA.bank_account, version: undefined, updated_at: undefined },
    { bank_code: '088', account_number: '********7890', holder_name: '김**', status: 'confirmed', status_reason: 'name_matches',
      version: undefined, updated_at: undefined });
  const g = await s.get(`/api/v1/claims/${claimA.id}`, { token: tok.kim });
  assert.equal(g.body.bank_account.account_number, '********7890');
  assert.ok(!g.text.includes('110234567890') && !g.text.includes('김가나'), 'no plain account in the answer');
  const enc = sql(`SELECT account_enc || holder_enc FROM ei_bank_accounts WHERE claim_id = '${claimA.id}'`);
  assert.match(enc, /^v1:/);
  assert.ok(!enc.includes('234567890'));
  // Changed by the claimant; another citizen may not.
  const acct = { bank_code: '004', account_number: '123456-01-234567', holder_name: '김 가나' };
  assertError(assert, await s.req('PUT', `/api/v1/claims/${claimA.id}/bank-account`, { body: acct, token: tok.b }), 403, 'access.denied');
  r = await s.req('PUT', `/api/v1/claims/${claimA.id}/bank-account`, { body: { ...acct, account_number: '1' }, token: tok.a });
  assertError(assert, r, 422, 'validation.failed');
  assert.equal(r.body.error.field, 'account_number');
  r = await s.req('PUT', `/api/v1/claims/${claimA.id}/bank-account`, { body: acct, token: tok.a });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.bank_account.account_number, '**********4567');
  assert.equal(r.body.bank_account.holder_name, '김***');
  assert.equal(r.body.bank_account.status, 'confirmed', 'the holder is the claimant (a space aside)');
  assert.equal(r.body.bank_account.version, 2);
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE resource_type = 'ei_bank_account' AND action = 'UPDATE' AND person_id = '${pid.a}' AND outcome = 'allow'`), '1');
  assert.ok(!s.logs.some((l) => l.includes('12345601234567') || l.includes('123456-01-234567') || l.includes('110234567890')),
    'the account never reaches the log');
});

test('payment batch: recognised rounds paid once, days after the employment start withheld', async () => {
  const out = join(s.dir, 'bank.csv');
  const r = s.cli('ei', 'pay-batch', '--date', T(0), '--out', out);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const res = JSON.parse(r.stdout);
  assert.ok(res.paid >= 2, r.stdout);
  const p = await s.get(`/api/v1/claims/${claimA.id}/payments`, { token: tok.a });
  assert.equal(p.status, 200, p.text);
  const [r1, r2] = p.body.items;
  assert.equal(r1.round, 1);
  assert.equal(r1.days, 7); // waiting period: the report day + 6
  assert.equal(r1.amount, 7 * claimA.daily_amount);
  assert.equal(r2.round, 2);
  assert.equal(r2.days, 21); // T-51 .. T-31
  assert.equal(r2.withheld_days, 7); // T-30 .. T-24: employed
  assert.equal(r2.idempotency_key, `${claimA.id}:2`);
  const file = readFileSync(out, 'utf8').trim().split('\n');
  assert.match(file[0], /^payment_id,idempotency_key,claim_id.*,bank_code,account_number,account_holder$/);
  assert.equal(file.filter((l) => l.includes(claimA.id)).length, 2);
  // the account as changed by the claimant, each row read through the access path (audited)
  assert.equal(file.filter((l) => l.includes(claimA.id) && l.endsWith(',004,12345601234567,"김 가나"')).length, 2, file.join('\n'));
  assert.ok(Number(sql(`SELECT COUNT(*) FROM audit_log WHERE resource_type = 'ei_bank_account' AND action = 'READ'
    AND person_id = '${pid.a}' AND actor_type = 'system' AND purpose = 'benefit_administration'`)) >= 2);
  const again = s.cli('ei', 'pay-batch', '--date', T(0), '--out', out);
  assert.equal(JSON.parse(again.stdout).paid, 0);
  assert.equal(readFileSync(out, 'utf8').trim().split('\n').length, file.length);
  assert.equal(sql(`SELECT COUNT(*) FROM ei_payments WHERE claim_id = '${claimA.id}'`), '2');
  const c = await s.get(`/api/v1/claims/${claimA.id}`, { token: tok.a });
  assert.equal(c.body.days_paid, 28);
});

test('job end re-opens the remaining entitlement inside the benefit window', async () => {
  const end = { event: 'end', national_id: NIDS.a, employer_brn: '222-33-44444', start_date: T(-30), end_date: T(-10) };
  const r = await s.post('/api/v1/insurance/registrations', end, { token: tok['ins-agency'] });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.claim_status, 'active');
  assert.equal(r.body.payments_resume_from, T(-9));
  const d = await s.post('/api/v1/insurance/registrations', end, { token: tok['ins-agency'] });
  assert.equal(d.status, 200);
  assert.deepEqual(d.body, r.body);
  assert.equal(Number(sql(`SELECT COUNT(*) FROM events WHERE type = 'employment.ended'`)), 1);
  const c = await s.get(`/api/v1/claims/${claimA.id}`, { token: tok.kim });
  assert.equal(c.body.status, 'active');
  assert.equal(c.body.employment_breaks[0].to, T(-10));
});

test('registration batch (x-ndjson): broken lines rejected with their line numbers, the rest committed', async () => {
  const lines = [
    JSON.stringify({ national_id: NIDS.b, employer_brn: '333-44-55555', start_date: T(-5) }),
    '{"national_id":',
    JSON.stringify({ national_id: '990909-1999999', employer_brn: '333-44-55555', start_date: T(-5) }),
    JSON.stringify({ national_id: NIDS.b, employer_brn: '333-44-55555', start_date: T(-5) }),
    '',
    JSON.stringify({ national_id: NIDS.c, employer_brn: '333-44-55555', start_date: T(-5), insurance_type: 'daily' }),
  ].join('\n');
  const r = await s.req('POST', '/api/v1/insurance/registrations', { token: tok['ins-agency'], raw: lines, headers: { 'Content-Type': 'application/x-ndjson' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.created, 2);
  assert.equal(r.body.duplicates, 1);
  assert.equal(r.body.rejected, 2);
  assert.deepEqual(r.body.errors.map((e) => e.line), [2, 3]);
  assert.equal(r.body.errors[1].error.code, 'resource.not_found');
  assert.equal(sql(`SELECT COUNT(*) FROM ei_employment WHERE employer_key = '3334455555'`), '2');
  // The set-based path: one event per new job, and each accepted line's audit record (the agency's
  // UPDATE of ei_employment) already in the chain when the answer came.
  const started = (p) => Number(sql(`SELECT COUNT(*) FROM events WHERE type = 'employment.started' AND subject = '${p}' AND payload LIKE '%"start_date":"${T(-5)}"%'`));
  assert.equal(started(pid.c), 1);
  assert.equal(started(pid.b), 1, 'the repeated line emits nothing');
  const audited = (p) => Number(sql(`SELECT COUNT(*) FROM audit_log WHERE person_id = '${p}' AND action = 'UPDATE' AND resource_type = 'ei_employment' AND actor_id LIKE '%ins-agency%' AND outcome = 'allow'`));
  assert.ok(audited(pid.c) >= 1 && audited(pid.b) >= 2, `${audited(pid.c)} ${audited(pid.b)}`);
  assertError(assert, await s.req('POST', '/api/v1/insurance/registrations', { token: tok['ins-agency'], raw: 'x', headers: { 'Content-Type': 'text/plain' } }), 415);
});

test('payment batch killed midway and re-run: no duplicate and no missing payment', async () => {
  const ids = [];
  const emp = join(s.dir, 'crash.jsonl');
  for (let i = 0; i < crashNids.length; i++) ids.push(await makePerson(crashNids[i], '최', `사${i}`));
  writeFileSync(emp, crashNids.map((n) => JSON.stringify({ national_id: n, employer_brn: BRN, start_date: '2021-01-04', end_date: T(-70), monthly_wage: 3100000, daily_contract_hours: 8 })).join('\n'));
  s.cliOk('ei', 'import-employment', emp);
  const claims = [];
  for (const id of ids) {
    const r = await s.post('/api/v1/claims', { person_id: id, separation_reason: 'contract_expiry', report_date: T(-65), bank_account: bankOf(`최사${ids.indexOf(id)}`) }, { token: tok.kim });
    assert.equal(r.status, 201, r.text);
    claims.push(r.body);
    const a = await s.post(`/api/v1/claims/${r.body.id}/activities`, { date: T(-45), type: 'counselling' }, { token: tok.kim });
    assert.equal(a.status, 201, a.text);
  }
  // Open recovery orders of three of them, collected from these payments (at most half of each,
  // the share the claimants consented to): one repaid by the first payment, one by both, one
  // larger than both halves.
  const orders = [[0, 1000], [2, 100 * claims[2].daily_amount], [4, 5 * claims[4].daily_amount]];
  for (const [i, amount] of orders) {
    const c = claims[i];
    sql(`INSERT INTO ei_recoveries (id, idem_key, claim_id, person_id, kind, from_date, days, amount, levy, status, created_at, updated_at,
      offset_consent_ppm) VALUES ('01900000-0000-7000-8000-0000000c0d0${i}', 'crash:${i}', '${c.id}', '${c.person_id}', 'overpayment', '${T(-300)}', 1, ${amount}, 0, 'open',
      '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z', 500000)`); // consented to half of each payment
  }
  // Early re-employment allowances of claims 1 and 2 due before the batch date (their jobs have
  // lasted the tenure): paid after the rounds, claim 2's offset by its open order.
  const allowances = [[1, 300000], [2, 200001]];
  for (const [i, amount] of allowances) {
    const c = claims[i];
    sql(`INSERT INTO ei_reemploy (claim_id, person_id, employment_id, reemployment_date, due_date, remaining_days, amount, status, created_at, updated_at)
      VALUES ('${c.id}', '${c.person_id}', '01900000-0000-7000-8000-0000000e0e0${i}', '${T(-400)}', '${T(-35)}', 100, ${amount}, 'pending',
      '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z')`);
  }
  const out = join(s.dir, 'bank2.csv');
  const args = ['--db', s.db, '--keys', s.keys, '--log-level', 'warn', 'ei', 'pay-batch', '--date', T(0), '--out', out];
  const paidBefore = Number(sql(`SELECT COUNT(*) FROM ei_payments WHERE status = 'paid'`));
  const killed = spawnSync(BIN, args, { encoding: 'utf8', env: { ...process.env, OPENPES_EI_PAY_ABORT_AFTER: '5' } });
  assert.equal(killed.signal, 'SIGKILL', killed.stderr);
  assert.equal(existsSync(out), false);
  assert.equal(Number(sql(`SELECT COUNT(*) FROM ei_payments WHERE status = 'paid'`)), paidBefore + 5);
  // Killed again in the middle of the allowances: the rest of the rounds and the first allowance paid.
  const rounds = 2 * claims.length;
  const killed2 = spawnSync(BIN, args, { encoding: 'utf8', env: { ...process.env, OPENPES_EI_PAY_ABORT_AFTER: String(rounds - 5 + 1) } });
  assert.equal(killed2.signal, 'SIGKILL', killed2.stderr);
  assert.equal(existsSync(out), false);
  assert.equal(Number(sql(`SELECT COUNT(*) FROM ei_payments WHERE status = 'paid'`)), paidBefore + rounds + 1);
  assert.equal(sql(`SELECT COUNT(*) FROM ei_reemploy WHERE status = 'pending' AND claim_id IN ('${claims[1].id}', '${claims[2].id}')`), '1');
  const rerun = spawnSync(BIN, args, { encoding: 'utf8' });
  assert.equal(rerun.status, 0, rerun.stderr);
  const res = JSON.parse(rerun.stdout);
  assert.equal(res.paid, 1, rerun.stdout);
  assert.equal(res.early_reemployment, 1);
  assert.equal(res.not_in_file_no_account, 0);
  const again = spawnSync(BIN, args, { encoding: 'utf8' });
  assert.equal(again.status, 0, again.stderr);
  assert.equal(JSON.parse(again.stdout).paid, 0, 'a fourth run pays nothing');
  assert.equal(JSON.parse(again.stdout).recovery_offset, 0);
  const rows = readFileSync(out, 'utf8').trim().split('\n').slice(1);
  const keys = rows.map((l) => l.split(',')[1]);
  assert.equal(new Set(keys).size, keys.length, 'no duplicate key in the file');
  assert.equal(rows.filter((l) => claims.some((c) => l.split(',')[2] === c.id)).length, rounds + allowances.length);
  for (const [i, amount] of allowances) {
    const row = rows.find((l) => l.split(',')[1] === `reemploy:${claims[i].id}`);
    assert.ok(row, `the allowance of claim ${i} is in the bank file`);
    assert.equal(Number(row.split(',')[7]), amount);
    assert.equal(sql(`SELECT COUNT(*) FROM ei_payments WHERE idem_key = 'reemploy:${claims[i].id}'`), '1');
    assert.equal(sql(`SELECT status FROM ei_reemploy WHERE claim_id = '${claims[i].id}'`), 'paid');
  }
  for (const c of claims) {
    assert.ok(keys.includes(`${c.id}:1`) && keys.includes(`${c.id}:2`), `claim ${c.id} paid for both rounds`);
    assert.equal(sql(`SELECT COUNT(*) FROM ei_payments WHERE claim_id = '${c.id}' AND kind = 'benefit'`), '2');
    const g = await s.get(`/api/v1/claims/${c.id}`, { token: tok.kim });
    assert.equal(g.body.days_paid, 35);
  }
  assert.equal(sql(`SELECT COUNT(*) FROM ei_payments GROUP BY idem_key HAVING COUNT(*) > 1`), '');
  // The orders: each deduction once, linked to its order and payment, the balance never below zero.
  const half = (c, days) => Math.floor(days * c.daily_amount / 2);
  const want = { 0: [1000, 'settled'], 2: [half(claims[2], 7) + half(claims[2], 28) + 100000, 'open'], 4: [5 * claims[4].daily_amount, 'settled'] };
  for (const [i] of orders) {
    const [rec, st] = sql(`SELECT recovered || '|' || status FROM ei_recoveries WHERE idem_key = 'crash:${i}'`).split('|');
    assert.equal(Number(rec), want[i][0], `order of claim ${i}`);
    assert.equal(st, want[i][1]);
    assert.equal(Number(sql(`SELECT SUM(o.amount) FROM ei_recovery_offsets o JOIN ei_recoveries r ON r.id = o.recovery_id WHERE r.idem_key = 'crash:${i}'`)), want[i][0]);
  }
  assert.equal(sql(`SELECT COUNT(*) FROM ei_recovery_offsets`), '6', 'claim 0: round 1; claims 2 and 4: both rounds; claim 2: its allowance');
  assert.equal(sql(`SELECT o.amount FROM ei_recovery_offsets o JOIN ei_payments p ON p.id = o.payment_id WHERE p.idem_key = 'reemploy:${claims[2].id}'`), '100000',
    'half of the allowance (rounded down) to the order');
  assert.equal(sql(`SELECT COUNT(*) FROM ei_recoveries WHERE recovered > amount + levy OR recovered < 0`), '0');
  assert.equal(sql(`SELECT COUNT(*) FROM ei_payments p WHERE 2 * (SELECT COALESCE(SUM(amount), 0) FROM ei_recovery_offsets o WHERE o.payment_id = p.id) > p.amount`), '0');
  // The bank is sent each payment less its deductions.
  for (const l of rows) {
    const f = l.split(',');
    const off = Number(sql(`SELECT COALESCE(SUM(amount), 0) FROM ei_recovery_offsets WHERE payment_id = '${f[0]}'`));
    assert.equal(Number(f[8]), off, l);
    assert.equal(Number(f[9]), Number(f[7]) - off, l);
  }
});

test('sanctions: proposed, approved by another supervisor, withheld, appealed and revoked with back payment', async () => {
  const id = await makePerson('870707-1234321', '정', '사자');
  const emp = join(s.dir, 'sanction.jsonl');
  writeFileSync(emp, JSON.stringify({ national_id: '870707-1234321', employer_brn: BRN, start_date: '2021-01-04', end_date: T(-70), monthly_wage: 3100000, daily_contract_hours: 8 }));
  s.cliOk('ei', 'import-employment', emp);
  const c = await s.post('/api/v1/claims', { person_id: id, separation_reason: 'dismissal', report_date: T(-65), bank_account: bankOf('정사자') }, { token: tok.kim });
  assert.equal(c.status, 201, c.text);
  const claim = c.body.id;
  assert.equal((await s.post(`/api/v1/claims/${claim}/activities`, { date: T(-45), type: 'job_fair' }, { token: tok.kim })).status, 201);
  const base = `/api/v1/claims/${claim}/sanctions`;
  assertError(assert, await s.post(base, { type: 'refusal_job', date: T(-40) }, { token: tok.kim }), 422);
  assertError(assert, await s.post(base, { type: 'lateness', date: T(-40), reason: 'x' }, { token: tok.kim }), 422);
  assertError(assert, await s.post(base, { type: 'refusal_job', date: T(3), reason: 'x' }, { token: tok.kim }), 422);
  let r = await s.post(base, { type: 'refusal_job', date: T(-40), reason: 'refused a suitable offer' }, { token: tok.han });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.status, 'proposed');
  assert.equal(r.body.blocked_days, 14);
  const sid = r.body.id;
  assertError(assert, await s.post(`${base}/${sid}/decision`, { approve: true, reason: 'ok' }, { token: tok.kim }), 403);
  assertError(assert, await s.post(`${base}/${sid}/decision`, { approve: true, reason: 'ok' }, { token: tok.han }), 403); // proposer
  assertError(assert, await s.post(`${base}/${sid}/appeal`, { reason: 'early' }, { token: tok.kim }), 409);
  r = await s.post(`${base}/${sid}/decision`, { approve: true, reason: 'offer was suitable' }, { token: tok.seo });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.status, 'approved');
  const pay = s.cli('ei', 'pay-batch', '--date', T(0), '--out', join(s.dir, 'bank3.csv'));
  assert.equal(pay.status, 0, pay.stderr);
  let p = await s.get(`/api/v1/claims/${claim}/payments`, { token: tok.kim });
  const round2 = p.body.items.find((x) => x.round === 2);
  assert.equal(round2.days, 14);
  assert.equal(round2.withheld_days, 14); // the blocked days
  r = await s.post(`${base}/${sid}/appeal`, { reason: 'the job was 3 hours away' }, { token: tok.kim });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.status, 'appealed');
  r = await s.post(`${base}/${sid}/appeal-decision`, { upheld: false, reason: 'commute over 3 hours' }, { token: tok.han });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.status, 'revoked');
  p = await s.get(`/api/v1/claims/${claim}/payments`, { token: tok.kim });
  const adj = p.body.items.filter((x) => x.idempotency_key.includes(':revoked:'));
  assert.equal(adj.length, 1);
  assert.equal(adj[0].days, 14);
  const g = await s.get(`/api/v1/claims/${claim}`, { token: tok.kim });
  assert.equal(g.body.days_paid, 35);
  assert.equal(g.body.sanctions[0].status, 'revoked');
  assert.equal(g.body.employment_breaks.length, 0);
  assertError(assert, await s.post(`${base}/${sid}/appeal-decision`, { upheld: true, reason: 'again' }, { token: tok.han }), 409);
});

test('work lists: rounds due and sanctions awaiting a decision, for the caller\'s office, each person audited', async () => {
  const id = await makePerson('880808-1234321', '윤', '아라');
  const emp = join(s.dir, 'queue.jsonl');
  writeFileSync(emp, JSON.stringify({ national_id: '880808-1234321', employer_brn: BRN, start_date: '2021-01-04', end_date: T(-40), monthly_wage: 3000000, daily_contract_hours: 8 }));
  s.cliOk('ei', 'import-employment', emp);
  const c = await s.post('/api/v1/claims', { person_id: id, separation_reason: 'dismissal', report_date: T(-35), office: 'SEOUL-01', bank_account: bankOf('윤아라') }, { token: tok.kim });
  assert.equal(c.status, 201, c.text);
  const claim = c.body.id;
  let q = await s.get('/api/v1/ei/queue/rounds', { token: tok.kim });
  assert.equal(q.status, 200, q.text);
  const mine = q.body.items.filter((x) => x.claim_id === claim);
  assert.ok(mine.length >= 1 && mine.every((x) => x.status === 'scheduled' && x.recognition_date <= T(0)), JSON.stringify(mine));
  assert.equal(mine[0].round, 1);
  assert.equal(mine[0].family_name, '윤');
  // evaluated rounds leave the list
  assert.equal((await s.post(`/api/v1/claims/${claim}/rounds/1/evaluate`, undefined, { token: tok.kim })).status, 200);
  q = await s.get('/api/v1/ei/queue/rounds', { token: tok.kim });
  assert.ok(!q.body.items.some((x) => x.claim_id === claim && x.round === 1), 'round 1 evaluated');
  // a proposed sanction waits for a supervisor, who sees whether they proposed it
  const sp = await s.post(`/api/v1/claims/${claim}/sanctions`, { type: 'missed_appointment', date: T(-20), reason: 'did not come' }, { token: tok.han });
  assert.equal(sp.status, 201, sp.text);
  q = await s.get('/api/v1/ei/queue/sanctions', { token: tok.seo });
  const item = q.body.items.find((x) => x.sanction_id === sp.body.id);
  assert.ok(item && item.status === 'proposed' && item.proposed_by_me === false, JSON.stringify(q.body));
  q = await s.get('/api/v1/ei/queue/sanctions', { token: tok.han });
  assert.equal(q.body.items.find((x) => x.sanction_id === sp.body.id).proposed_by_me, true);
  // each person on a list is audited as read by the caller
  const aud = s.sql(`SELECT COUNT(*) FROM audit_log WHERE resource_type = 'ei_claim' AND resource_id = '${claim}' AND action = 'READ' AND actor_role = 'supervisor'`);
  assert.ok(Number(aud.trim()) >= 2, aud);
  // citizens, analysts and bad paging are refused
  assertError(assert, await s.get('/api/v1/ei/queue/rounds', { token: tok.a }), 403);
  assertError(assert, await s.get('/api/v1/ei/queue/sanctions', { token: tok.oh }), 403);
  assertError(assert, await s.get('/api/v1/ei/queue/rounds?limit=0', { token: tok.kim }), 400);
});

test('the daily batch runs in the server\'s worker at its time of day, once, when configured', async () => {
  // A recognised round left unpaid for the scheduled run to pay.
  const id = await makePerson('880808-1234560', '윤', '스케');
  const emp = join(s.dir, 'sched.jsonl');
  writeFileSync(emp, JSON.stringify({ national_id: '880808-1234560', employer_brn: BRN, start_date: '2021-01-04', end_date: T(-70), monthly_wage: 3000000, daily_contract_hours: 8 }));
  s.cliOk('ei', 'import-employment', emp);
  const c = await s.post('/api/v1/claims', { person_id: id, separation_reason: 'dismissal', report_date: T(-65), bank_account: bankOf('윤스케') }, { token: tok.kim });
  assert.equal(c.status, 201, c.text);
  assert.equal((await s.post(`/api/v1/claims/${c.body.id}/activities`, { date: T(-45), type: 'counselling' }, { token: tok.kim })).status, 201);
  assert.equal(sql(`SELECT COUNT(*) FROM ei_batch_runs`), '0', 'not scheduled unless asked for');
  const dir = join(s.dir, 'bank-files');
  mkdirSync(dir);
  await s.stop(true);
  await s.start(['--ei-batch-at', '00:00', '--ei-batch-dir', dir]);
  const local = new Date().toLocaleDateString('sv'); // YYYY-MM-DD in the server's (same) time zone
  const file = join(dir, `ei-bank-${local}.csv`);
  for (let i = 0; i < 400 && !(existsSync(file) && sql(`SELECT status FROM ei_batch_runs WHERE batch_date = '${local}'`) === 'done'); i++)
    await new Promise((r) => setTimeout(r, 50));
  assert.equal(sql(`SELECT status FROM ei_batch_runs WHERE batch_date = '${local}'`), 'done', s.logs.slice(-20).join('\n'));
  assert.equal(sql(`SELECT COUNT(*) FROM ei_payments WHERE claim_id = '${c.body.id}' AND status = 'paid'`), '2');
  assert.equal(readFileSync(file, 'utf8').split('\n').filter((l) => l.includes(c.body.id)).length, 2);
  // A restart the same day does not run it again.
  const started = sql(`SELECT started_at FROM ei_batch_runs WHERE batch_date = '${local}'`);
  await s.stop(true);
  await s.start(['--ei-batch-at', '00:00', '--ei-batch-dir', dir]);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(sql(`SELECT started_at FROM ei_batch_runs WHERE batch_date = '${local}'`), started);
  // A bad time is refused at start.
  const bad = s.cli('serve', '--port', '0', '--ei-batch-at', '25:00', '--ei-batch-dir', dir);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--ei-batch-at must be HH:MM/);
});

test('`openpes worker` runs the same periodic tasks as serve: the daily batch on its own process', async () => {
  const id = await makePerson('870707-1234561', '정', '워커');
  const emp = join(s.dir, 'worker.jsonl');
  writeFileSync(emp, JSON.stringify({ national_id: '870707-1234561', employer_brn: BRN, start_date: '2021-01-04', end_date: T(-70), monthly_wage: 3000000, daily_contract_hours: 8 }));
  s.cliOk('ei', 'import-employment', emp);
  const c = await s.post('/api/v1/claims', { person_id: id, separation_reason: 'dismissal', report_date: T(-65), bank_account: bankOf('정워커') }, { token: tok.kim });
  assert.equal(c.status, 201, c.text);
  assert.equal((await s.post(`/api/v1/claims/${c.body.id}/activities`, { date: T(-45), type: 'counselling' }, { token: tok.kim })).status, 201);
  const dir = join(s.dir, 'bank-files-worker');
  mkdirSync(dir);
  // Bad options are refused before anything runs.
  const bad = s.cli('worker', '--ei-batch-at', '25:00', '--ei-batch-dir', dir);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--ei-batch-at must be HH:MM/);
  assert.equal(s.cli('worker', '--ei-batch-at', '01:00', '--ei-btach-dir', dir).status, 2, 'a typo is not ignored');
  // The server (without --ei-batch-at) does not pay; today's run was recorded by the previous test:
  // forget it, as on the next day, for the worker to run the batch.
  await s.stop(true);
  await s.start();
  sql(`DELETE FROM ei_batch_runs`);
  const local = new Date().toLocaleDateString('sv');
  const file = join(dir, `ei-bank-${local}.csv`);
  const w = spawn(BIN, ['--db', s.db, '--keys', s.keys, '--log-level', 'warn', 'worker', '--ei-batch-at', '00:00', '--ei-batch-dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  w.stderr.on('data', (d) => { err += d; });
  const exited = new Promise((r) => w.on('exit', (code, signal) => r({ code, signal })));
  try {
    for (let i = 0; i < 400 && !(existsSync(file) && sql(`SELECT status FROM ei_batch_runs WHERE batch_date = '${local}'`) === 'done'); i++)
      await new Promise((r) => setTimeout(r, 50));
    assert.equal(sql(`SELECT status FROM ei_batch_runs WHERE batch_date = '${local}'`), 'done', err);
    assert.equal(sql(`SELECT COUNT(*) FROM ei_payments WHERE claim_id = '${c.body.id}' AND status = 'paid'`), '2');
    assert.equal(readFileSync(file, 'utf8').split('\n').filter((l) => l.includes(c.body.id)).length, 2);
  } finally {
    w.kill('SIGTERM');
  }
  const { code } = await exited;
  assert.equal(code, 0, `the worker stops cleanly on SIGTERM: ${err}`);
  // --once: every periodic task once and one pass over the events, then exit.
  const once = s.cli('worker', '--once');
  assert.equal(once.status, 0, once.stderr);
  assert.match(once.stdout, /^\d+ periodic tasks run, \d+ events processed$/m);
});
