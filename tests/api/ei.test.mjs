// ei.test.mjs - the employment-insurance lifecycle over HTTP and the CLI: insured-history import
// (error report), claims (decision from stored history, registration due date, every bad-input
// class, nothing half-written), the job diary and recognition rounds, employment detection
// (claim suspended, event queued, registration changed, later payment withheld, idempotent
// duplicates, batches with broken lines, job end re-opening the claim) and the payment batch
// (killed midway and re-run: no duplicate, no missing payment).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Server, assertError, BIN } from './lib.mjs';

const PW = 'correct-horse-42';
const SECRET = 'ins-secret-0123456789abcdef';
const BRN = '123-45-67890';
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
  const base = { separation_reason: 'dismissal', report_date: T(-65) };
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
  r = await s.post('/api/v1/claims', { person_id: pid.a, report_date: T(-65) }, { token: tok.kim });
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
  const r = await s.post('/api/v1/claims', { separation_reason: 'dismissal', report_date: T(-65), office: 'SEOUL-01' },
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
  const again = await s.post('/api/v1/claims', { separation_reason: 'dismissal', report_date: T(-65), office: 'SEOUL-01' },
    { token: tok.a, headers: { 'Idempotency-Key': 'claim-a-1' } });
  assert.equal(again.status, 201);
  assert.equal(again.body.id, claimA.id);
  // A second open claim is refused.
  assertError(assert, await s.post('/api/v1/claims', { separation_reason: 'dismissal', report_date: T(-65) }, { token: tok.a }), 409, 'resource.duplicate');
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
  const rc = await s.post('/api/v1/claims', { person_id: pid.c, separation_reason: 'voluntary_quit', report_date: T(-65) }, { token: tok.kim });
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
  assert.match(file[0], /^payment_id,idempotency_key,claim_id/);
  assert.equal(file.filter((l) => l.includes(claimA.id)).length, 2);
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
    const r = await s.post('/api/v1/claims', { person_id: id, separation_reason: 'contract_expiry', report_date: T(-65) }, { token: tok.kim });
    assert.equal(r.status, 201, r.text);
    claims.push(r.body);
    const a = await s.post(`/api/v1/claims/${r.body.id}/activities`, { date: T(-45), type: 'counselling' }, { token: tok.kim });
    assert.equal(a.status, 201, a.text);
  }
  const out = join(s.dir, 'bank2.csv');
  const args = ['--db', s.db, '--keys', s.keys, '--log-level', 'warn', 'ei', 'pay-batch', '--date', T(0), '--out', out];
  const paidBefore = Number(sql(`SELECT COUNT(*) FROM ei_payments WHERE status = 'paid'`));
  const killed = spawnSync(BIN, args, { encoding: 'utf8', env: { ...process.env, OPENPES_EI_PAY_ABORT_AFTER: '5' } });
  assert.equal(killed.signal, 'SIGKILL', killed.stderr);
  assert.equal(existsSync(out), false);
  assert.equal(Number(sql(`SELECT COUNT(*) FROM ei_payments WHERE status = 'paid'`)), paidBefore + 5);
  const rerun = spawnSync(BIN, args, { encoding: 'utf8' });
  assert.equal(rerun.status, 0, rerun.stderr);
  assert.equal(JSON.parse(rerun.stdout).paid, 2 * claims.length - 5);
  const rows = readFileSync(out, 'utf8').trim().split('\n').slice(1);
  const keys = rows.map((l) => l.split(',')[1]);
  assert.equal(new Set(keys).size, keys.length, 'no duplicate key in the file');
  for (const c of claims) {
    assert.ok(keys.includes(`${c.id}:1`) && keys.includes(`${c.id}:2`), `claim ${c.id} paid for both rounds`);
    assert.equal(sql(`SELECT COUNT(*) FROM ei_payments WHERE claim_id = '${c.id}'`), '2');
    const g = await s.get(`/api/v1/claims/${c.id}`, { token: tok.kim });
    assert.equal(g.body.days_paid, 35);
  }
  assert.equal(sql(`SELECT COUNT(*) FROM ei_payments GROUP BY idem_key HAVING COUNT(*) > 1`), '');
});

test('sanctions: proposed, approved by another supervisor, withheld, appealed and revoked with back payment', async () => {
  const id = await makePerson('870707-1234321', '정', '사자');
  const emp = join(s.dir, 'sanction.jsonl');
  writeFileSync(emp, JSON.stringify({ national_id: '870707-1234321', employer_brn: BRN, start_date: '2021-01-04', end_date: T(-70), monthly_wage: 3100000, daily_contract_hours: 8 }));
  s.cliOk('ei', 'import-employment', emp);
  const c = await s.post('/api/v1/claims', { person_id: id, separation_reason: 'dismissal', report_date: T(-65) }, { token: tok.kim });
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
  const c = await s.post('/api/v1/claims', { person_id: id, separation_reason: 'dismissal', report_date: T(-35), office: 'SEOUL-01' }, { token: tok.kim });
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
