// policy.test.mjs - policy calculators over HTTP (contract: /work/shared/contracts/policy-api.md) and the
// `openpes policy` CLI giving byte-identical answers for the same request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server, assertError, BIN } from './lib.mjs';

let s;
let token;

before(async () => {
  s = new Server();
  await s.start();
  s.cliOk('user', 'add', '--username', 'pol_citizen', '--password', 'correct horse battery', '--kind', 'citizen');
  token = await s.login('pol_citizen', 'correct horse battery');
});
after(async () => { await s.stop(); });

const P = '/api/v1/policy';
const post = (path, body, opts = {}) => s.post(P + path, body, { token, ...opts });

// The CLI: JSON on stdin, JSON on stdout; exit 0 or 1 (2 for usage).
function cli(name, body, extra = []) {
  const input = typeof body === 'string' ? body : JSON.stringify(body);
  const r = spawnSync(BIN, ['policy', name, ...extra], { input, encoding: 'utf8', timeout: 30000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const KR = {
  country: 'KR', separation_date: '2025-06-30', age: 45, separation_reason: 'contract_expiry',
  insured_unit_days: 300, insured_months: 40, avg_daily_wage: 120000, report_date: '2025-07-02',
};
const DE = {
  country: 'DE', separation_date: '2025-06-30', age: 52, insured_months_30m: 30, insured_months_5y: 40,
  has_child: true, bemessungsentgelt_daily: 30000,
};
const REC = {
  country: 'KR', round: 5, claimant_category: 'general',
  activities: [{ date: '2025-08-04', type: 'application' }, { date: '2025-08-04', type: 'training' }, { date: '2025-08-11', type: 'lecture' }],
};
const REEMP = {
  country: 'KR', prescribed_days: 180, days_paid: 60, daily_amount: 66000, age_at_separation: 40,
  reemployment_date: '2025-10-01', expected_tenure_months: 12,
};
const SANC = {
  country: 'DE', entitlement_days: 360,
  events: [{ type: 'quit', date: '2025-01-01' }, { type: 'refusal_job', date: '2025-03-01' }, { type: 'missed_appointment', date: '2025-04-01' }],
};
const NESP = {
  date: '2026-03-01', age: 30, household_income_pct: 50, household_assets: 100000000, work_days_2y: 120,
  work_hours_2y: 0, receiving_ei: false, vulnerable_group: null, dependents: 2, military_service_years: 0,
};

function assertTrace(body) {
  assert.ok(Array.isArray(body.trace) && body.trace.length > 0, 'trace present');
  for (const t of body.trace) {
    for (const k of ['rule', 'parameter', 'source']) assert.equal(typeof t[k], 'string', `trace.${k}`);
    assert.ok('value' in t, 'trace.value');
  }
}

test('unauthenticated calls are refused with 401 on every path', async () => {
  for (const p of ['/ei/assess', '/ei/recognition', '/ei/early-reemployment', '/ei/sanction', '/nesp/assess', '/nesp/allowance']) {
    const r = await s.post(P + p, {});
    assertError(assert, r, 401, 'auth.required');
  }
});

test('ei/assess KR: entitlement, timing and trace', async () => {
  const r = await post('/ei/assess', KR);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.eligible, true);
  assert.deepEqual(r.body.reasons, []);
  assert.equal(r.body.daily_amount, 66000);
  assert.equal(r.body.currency, 'KRW');
  assert.equal(r.body.prescribed_days, 180);
  assert.deepEqual(r.body.waiting_period, { from: '2025-07-02', to: '2025-07-08' });
  assert.equal(r.body.first_payable_date, '2025-07-09');
  assert.equal(r.body.benefit_window_end, '2026-06-30');
  assert.equal(r.body.payable_days, 180);
  assert.equal(r.body.total_amount, 66000 * 180);
  assertTrace(r.body);
  const cap = r.body.trace.find((t) => t.parameter === 'kr.ei.base_cap');
  assert.equal(cap.value, 110000);
  assert.equal(cap.confidence, 'A');
});

test('ei/assess KR: cap change, floor, late report, disqualification', async () => {
  let r = await post('/ei/assess', { ...KR, separation_date: '2026-01-01', report_date: '2026-01-05' });
  assert.equal(r.body.daily_amount, 68100);
  r = await post('/ei/assess', { ...KR, avg_daily_wage: 50000 });
  assert.equal(r.body.daily_amount, 64192);
  r = await post('/ei/assess', { ...KR, report_date: '2026-03-22' });
  assert.equal(r.body.payable_days, 94);
  r = await post('/ei/assess', { ...KR, separation_reason: 'voluntary_quit' });
  assert.equal(r.status, 200);
  assert.equal(r.body.eligible, false);
  assert.equal(r.body.reasons[0].code, 'disqualifying_separation');
  assert.equal(typeof r.body.reasons[0].message, 'string');
});

test('ei/assess: repeated-recipient reduction is off unless options turn it on', async () => {
  let r = await post('/ei/assess', { ...KR, receipt_count_5y: 2 });
  assert.equal(r.body.daily_amount, 66000);
  r = await post('/ei/assess', { ...KR, receipt_count_5y: 2, options: { repeated_recipient_reduction: true } });
  assert.equal(r.body.daily_amount, 59400);
  assert.ok(r.body.trace.some((t) => t.rule === 'options.switch' && t.parameter === 'kr.ei.repeated_recipient.enabled'));
  r = await post('/ei/assess', { ...KR, options: { params: { 'kr.ei.rate': 0.65 } } });
  assert.equal(r.body.daily_amount, 71500);
  assert.ok(r.body.trace.some((t) => t.parameter === 'kr.ei.rate' && t.override === true));
});

test('ei/assess DE: ALG I with child, capped', async () => {
  const r = await post('/ei/assess', DE);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.eligible, true);
  assert.equal(r.body.currency, 'EUR');
  assert.equal(r.body.daily_amount, 14186);
  assert.equal(r.body.monthly_amount, 14186 * 30);
  assert.equal(r.body.prescribed_days, 450);
  assert.equal(r.body.waiting_period, null);
  assertTrace(r.body);
  const r2 = await post('/ei/assess', { ...DE, has_child: false });
  assert.equal(r2.body.daily_amount, 12704);
});

test('ei/assess errors: not found, validation naming the field', async () => {
  assertError(assert, await post('/ei/assess', { ...KR, country: 'JP' }), 404, 'policy.not_found');
  assertError(assert, await post('/ei/assess', { ...KR, separation_date: '2027-03-01', report_date: '2027-03-05' }), 404, 'policy.not_found');
  assertError(assert, await post('/ei/assess', { ...DE, separation_date: '2023-06-30' }), 404, 'policy.not_found');
  let r = await post('/ei/assess', { ...KR, insured_unit_days: undefined });
  assertError(assert, r, 422, 'validation.failed');
  assert.equal(r.body.error.field, 'insured_unit_days');
  r = await post('/ei/assess', { ...KR, wages_3m_total: 9000000 });
  assertError(assert, r, 422, 'validation.failed');
  assert.equal(r.body.error.field, 'wages_3m_total');
  r = await post('/ei/assess', { ...KR, separation_reason: 'voluntary_quit_justified' });
  assert.equal(r.body.error.field, 'justified_reason');
  r = await post('/ei/assess', { ...KR, options: { params: { 'kr.ei.rate': 'x' } } });
  assert.equal(r.body.error.field, 'options.params.kr.ei.rate');
  assertError(assert, await post('/ei/assess', '{"country":', {}), 400, 'request.malformed_json');
  assertError(assert, await s.req('POST', P + '/ei/assess', { token, raw: '{}', headers: { 'Content-Type': 'text/plain' } }), 415,
    'request.unsupported_media_type');
});

test('ei/recognition: one activity per day, job-search quota', async () => {
  let r = await post('/ei/recognition', REC);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.recognized, true);
  assert.equal(r.body.required_activities, 2);
  assert.equal(r.body.counted_activities, 2);
  assert.equal(r.body.required_job_search, 1);
  assert.equal(r.body.counted_job_search, 1);
  assertTrace(r.body);
  r = await post('/ei/recognition', { ...REC, activities: REC.activities.slice(0, 2) });
  assert.equal(r.body.recognized, false);
  assert.equal(r.body.reasons[0].code, 'too_few_activities');
  r = await post('/ei/recognition', { ...REC, activities: [{ date: '2025-08-04', type: 'skydiving' }] });
  assertError(assert, r, 422, 'validation.failed');
  assert.equal(r.body.error.field, 'activities[0].type');
  assertError(assert, await post('/ei/recognition', { ...REC, country: 'DE' }), 404, 'policy.not_found');
});

test('ei/early-reemployment: half of the remaining days', async () => {
  let r = await post('/ei/early-reemployment', REEMP);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.eligible, true);
  assert.equal(r.body.amount, 3960000);
  assert.equal(r.body.remaining_days, 120);
  assertTrace(r.body);
  r = await post('/ei/early-reemployment', { ...REEMP, days_paid: 91 });
  assert.equal(r.body.eligible, false);
  assert.equal(r.body.reasons[0].code, 'too_few_remaining_days');
  r = await post('/ei/early-reemployment', { ...REEMP, days_paid: 200 });
  assertError(assert, r, 422, 'validation.failed');
  assert.equal(r.body.error.field, 'days_paid');
  assertError(assert, await post('/ei/early-reemployment', { ...REEMP, country: 'DE' }), 404, 'policy.not_found');
});

test('ei/sanction: Sperrzeit, reductions, lapse', async () => {
  let r = await post('/ei/sanction', SANC);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.blocked_days_total, 84 + 21 + 7);
  assert.equal(r.body.entitlement_reduction_days, 90 + 21 + 7);
  assert.equal(r.body.remaining_entitlement_days, 360 - 118);
  assert.equal(r.body.lapsed, false);
  assert.deepEqual(r.body.per_event.map((e) => [e.type, e.blocked_days, e.reduction_days]),
    [['quit', 84, 90], ['refusal_job', 21, 21], ['missed_appointment', 7, 7]]);
  assertTrace(r.body);
  r = await post('/ei/sanction', { ...SANC, events: [...SANC.events, { type: 'refusal_job', date: '2025-05-01' }] });
  assert.equal(r.body.blocked_days_total, 154);
  assert.equal(r.body.lapsed, true);
  assert.equal(r.body.remaining_entitlement_days, 0);
  r = await post('/ei/sanction', { country: 'KR', entitlement_days: 180, events: [{ type: 'refusal_job', date: '2025-03-01' }] });
  assert.equal(r.body.blocked_days_total, 14);
  assert.equal(r.body.entitlement_reduction_days, 0);
  r = await post('/ei/sanction', { ...SANC, events: [{ type: 'quit' }] });
  assertError(assert, r, 422, 'validation.failed');
  assert.equal(r.body.error.field, 'events[0].date');
  assertError(assert, await post('/ei/sanction', { ...SANC, country: 'US' }), 404, 'policy.not_found');
});

test('nesp/assess: tracks and allowance', async () => {
  let r = await post('/nesp/assess', NESP);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.track, 'I-requirement');
  assert.equal(r.body.monthly_allowance, 800000);
  assert.equal(r.body.months, 6);
  assert.equal(r.body.total_allowance, 4800000);
  assertTrace(r.body);
  r = await post('/nesp/assess', { ...NESP, household_income_pct: 150 });
  assert.equal(r.body.track, 'II-youth');
  assert.equal(r.body.monthly_allowance, 0);
  r = await post('/nesp/assess', { ...NESP, receiving_ei: true });
  assert.equal(r.body.track, null);
  assert.equal(r.body.reasons[0].code, 'receiving_ei');
  r = await post('/nesp/assess', { ...NESP, vulnerable_group: 'pirate' });
  assertError(assert, r, 422, 'validation.failed');
  assert.equal(r.body.error.field, 'vulnerable_group');
  assertError(assert, await post('/nesp/assess', { ...NESP, date: '2020-06-01' }), 404, 'policy.not_found');
});

test('nesp/allowance: early success, success, Type II activity', async () => {
  let r = await post('/nesp/allowance', { kind: 'early_success', date: '2026-03-01', months_paid: 2, dependents: 1, employed_within_months: 2 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.eligible, true);
  assert.equal(r.body.amount, 1400000);
  assertTrace(r.body);
  r = await post('/nesp/allowance', { kind: 'success', date: '2025-05-01', employed_months: 12 });
  assert.equal(r.body.amount, 1500000);
  r = await post('/nesp/allowance', { kind: 'type2_activity', date: '2025-05-01', participation_allowance: 250000, training_months: 6 });
  assert.equal(r.body.amount, 1954000);
  r = await post('/nesp/allowance', { kind: 'early_success', months_paid: 2, employed_within_months: 2 });
  assertError(assert, r, 422, 'validation.failed');
  assert.equal(r.body.error.field, 'date');
  assertError(assert, await post('/nesp/allowance', { kind: 'success', date: '2027-05-01', employed_months: 6 }), 404, 'policy.not_found');
});

test('the OpenAPI document lists the policy endpoints', async () => {
  const r = await s.get('/api/v1/openapi.json');
  for (const p of ['/ei/assess', '/ei/recognition', '/ei/early-reemployment', '/ei/sanction', '/nesp/assess', '/nesp/allowance'])
    assert.ok(r.body.paths[P + p]?.post, p);
});

test('CLI and API give identical output for the same request', async () => {
  const cases = [
    ['ei-assess', '/ei/assess', KR],
    ['ei-assess', '/ei/assess', DE],
    ['ei-assess', '/ei/assess', { ...KR, receipt_count_5y: 3, options: { repeated_recipient_reduction: true } }],
    ['ei-recognition', '/ei/recognition', REC],
    ['ei-early-reemployment', '/ei/early-reemployment', REEMP],
    ['ei-sanction', '/ei/sanction', SANC],
    ['nesp-assess', '/nesp/assess', NESP],
    ['nesp-allowance', '/nesp/allowance', { kind: 'success', employed_months: 12 }],
    // errors: the same envelope on stdout, exit 1
    ['ei-assess', '/ei/assess', { ...KR, country: 'XX' }],
    ['ei-assess', '/ei/assess', { ...KR, age: undefined }],
    ['ei-sanction', '/ei/sanction', { ...SANC, events: [{ type: 'nap', date: '2025-01-01' }] }],
    ['ei-assess', '/ei/assess', '{"country": "KR",'],
  ];
  for (const [name, path, body] of cases) {
    const api = await post(path, body);
    const c = cli(name, body);
    assert.equal(c.status, api.status === 200 ? 0 : 1, `${name} exit code: ${c.stderr}`);
    assert.equal(c.stdout.trim(), api.text, `${name}: CLI and API differ`);
  }
});

test('CLI: usage errors, --pack-dir, no database needed', () => {
  const r = cli('ei-nothing', {});
  assert.equal(r.status, 2);
  assert.match(r.stderr, /ei-assess/);
  const empty = mkdtempSync(join(tmpdir(), 'openpes-nopacks-'));
  try {
    const c = cli('ei-assess', KR, ['--pack-dir', empty]);
    assert.equal(c.status, 1);
    assert.equal(JSON.parse(c.stdout).error.code, 'policy.not_found');
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
  // runs without any database file in the working directory
  const cwd = mkdtempSync(join(tmpdir(), 'openpes-nodb-'));
  try {
    const c = spawnSync(BIN, ['policy', 'ei-assess'], { input: JSON.stringify(KR), encoding: 'utf8', cwd });
    assert.equal(c.status, 0, c.stdout + c.stderr);
    assert.equal(JSON.parse(c.stdout).daily_amount, 66000);
    assert.equal(existsSync(join(cwd, 'openpes.db')), false, 'no database was opened');
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});
