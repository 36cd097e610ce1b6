// ei_recovery.test.mjs - recovery orders collected by payment notice once payments end, over the CLI
// and HTTP: `openpes ei recovery-notices` issues one notice per order nothing pays any more (none
// while a claim can pay, none twice) and writes the giro file; receipts
// (POST /api/v1/recoveries/{id}/receipts) are idempotent on the bank reference, refuse a reused
// reference, overpayments and bad input with a structured error and nothing written, settle the
// order and pay its notice; the claim's payments show notices and receipts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Server, assertError } from './lib.mjs';

const PW = 'correct-horse-42';
const NID = '800101-1234567';
const BANK = { bank_code: '088', account_number: '110-234-567890', holder_name: '김가나' };
let s;
const tok = {};
let person;
let claim;

const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
const sql = (q) => s.sql(q).trim();

before(async () => {
  s = new Server();
  s.cliOk('office', 'add', '--code', 'SEOUL-01', '--name', 'Seoul Job Centre', '--kind', 'job_centre', '--region', 'KR-11');
  for (const [u, role] of [['kim', 'counsellor'], ['oh', 'analyst']])
    s.cliOk('user', 'add', '--username', `${u}.staff`, '--password', PW, '--kind', 'staff', '--role', role, '--office', 'SEOUL-01', '--name', u);
  await s.start();
  for (const u of ['kim', 'oh']) tok[u] = await s.login(`${u}.staff`, PW);
  const p = await s.post('/api/v1/persons', {
    national_id: NID, given_name: '가나', family_name: '김', birth_date: '1980-01-01', sex: 'male', nationality: 'KR',
    address: { line: '테헤란로 1', postal_code: '06236', region_code: 'KR-11' },
  }, { token: tok.kim });
  assert.equal(p.status, 201, p.text);
  person = p.body.id;
  s.cliOk('user', 'add', '--username', 'a.citizen', '--password', PW, '--kind', 'citizen', '--person', person, '--name', 'A');
  tok.a = await s.login('a.citizen', PW);
  const emp = join(s.dir, 'emp.jsonl');
  writeFileSync(emp, JSON.stringify({ national_id: NID, employer_brn: '123-45-67890', start_date: '2021-01-04', end_date: day(-70), monthly_wage: 3000000, daily_contract_hours: 8 }));
  s.cliOk('ei', 'import-employment', emp);
  const c = await s.post('/api/v1/claims', { person_id: person, separation_reason: 'dismissal', report_date: day(-65), bank_account: BANK }, { token: tok.kim });
  assert.equal(c.status, 201, c.text);
  claim = c.body.id;
});
after(async () => { await s.stop(); });

function openOrder(id, key, amount, levy) {
  sql(`INSERT INTO ei_recoveries (id, idem_key, claim_id, person_id, kind, from_date, days, amount, levy, status, created_at, updated_at)
       VALUES ('${id}', '${key}', '${claim}', '${person}', 'overpayment', '2026-01-01', 1, ${amount}, ${levy}, 'open',
       '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z')`);
}

const ORDER = '0190a000-0000-7000-8000-0000000000a1';

test('notices: none while a claim can pay, one per order once none can, never twice; the giro file', async () => {
  openOrder(ORDER, 'api:a', 50000, 10000);
  const out = join(s.dir, 'giro.csv');
  let r = s.cli('ei', 'recovery-notices', '--date', day(0), '--out', out);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).issued, 0, 'the claim is active');
  sql(`UPDATE ei_claims SET status = 'exhausted' WHERE id = '${claim}'`);
  r = s.cli('ei', 'recovery-notices', '--date', day(0), '--out', out);
  assert.equal(r.status, 0, r.stderr);
  const res = JSON.parse(r.stdout);
  assert.equal(res.issued, 1);
  assert.equal(res.amount_due, 60000);
  const lines = readFileSync(out, 'utf8').trim().split('\n');
  assert.match(lines[0], /^notice_id,payer_reference,recovery_id,claim_id,person_id,amount_due,currency,issue_date,due_date,payer_name/);
  assert.equal(lines.length, 2);
  assert.ok(lines[1].includes(`,${ORDER},${claim},${person},60000,KRW,${day(0)},${day(30)},"김 가나","06236","테헤란로 1"`), lines[1]);
  assert.equal(statSync(out).mode & 0o777, 0o600);
  assert.equal(existsSync(out + '.tmp'), false);
  assert.equal(sql(`SELECT COUNT(*) FROM events WHERE type = 'recovery.notice_issued' AND subject = '${person}'`), '1');
  const again = s.cli('ei', 'recovery-notices', '--date', day(0), '--out', out);
  assert.equal(JSON.parse(again.stdout).issued, 0, 'a re-run issues nothing twice');
  assert.equal(sql(`SELECT COUNT(*) FROM ei_recovery_notices`), '1');
  assert.equal(readFileSync(out, 'utf8').trim().split('\n').length, 2, 'and lists the day again');
  // bad options
  assert.equal(s.cli('ei', 'recovery-notices', '--date', day(0)).status, 2, '--out is required');
  assert.equal(s.cli('ei', 'recovery-notices', '--date', 'tomorrow', '--out', out).status, 2);
  assert.equal(s.cli('ei', 'recovery-notices', '--out', out, '--dtae', day(0)).status, 2, 'a typo is not ignored');
});

test('receipts: idempotent on the bank reference; conflicts, overpayments and bad input refused with nothing written', async () => {
  const url = `/api/v1/recoveries/${ORDER}/receipts`;
  const first = await s.post(url, { amount: 20000, paid_on: day(0), reference: 'KB-20261121-0001' }, { token: tok.kim });
  assert.equal(first.status, 201, first.text);
  assert.equal(first.body.recovery.outstanding, 40000);
  assert.equal(first.body.recovery.status, 'open');
  assert.equal(first.body.receipt.amount, 20000);
  const replay = await s.post(url, { amount: 20000, paid_on: day(0), reference: 'KB-20261121-0001' }, { token: tok.kim });
  assert.equal(replay.status, 200, replay.text);
  assert.deepEqual(replay.body, first.body, 'the same answer');
  const before = sql(`SELECT recovered || '|' || (SELECT COUNT(*) FROM ei_recovery_receipts) FROM ei_recoveries WHERE id = '${ORDER}'`);
  assert.equal(before, '20000|1');
  const cases = [
    [{ amount: 25000, paid_on: day(0), reference: 'KB-20261121-0001' }, 409, 'resource.conflict', 'reference'],
    [{ amount: 40001, paid_on: day(0), reference: 'KB-2' }, 422, 'validation.failed', 'amount'],
    [{ amount: 100, paid_on: day(1), reference: 'KB-3' }, 422, 'validation.failed', 'paid_on'],
    [{ amount: -5, paid_on: day(0), reference: 'KB-4' }, 422, 'validation.failed', 'amount'],
    [{ amount: 10.5, paid_on: day(0), reference: 'KB-5' }, 422, 'validation.failed', 'amount'],
    [{ amount: 100, paid_on: '21-11-2026', reference: 'KB-6' }, 422, 'validation.failed', 'paid_on'],
    [{ amount: 100, paid_on: day(0) }, 422, 'validation.failed', 'reference'],
    [{ amount: 100, paid_on: day(0), reference: 'KB-7', note: 'x' }, 422, 'validation.unknown_field', 'note'],
  ];
  for (const [body, status, code, field] of cases) {
    const r = await s.post(url, body, { token: tok.kim });
    assertError(assert, r, status, code);
    assert.equal(r.body.error.field, field, JSON.stringify(body));
  }
  assertError(assert, await s.post(url, { amount: 100, paid_on: day(0), reference: 'KB-8' }, { token: tok.oh }), 403);
  assertError(assert, await s.post(url, { amount: 100, paid_on: day(0), reference: 'KB-9' }, { token: tok.a }), 403);
  assertError(assert, await s.post('/api/v1/recoveries/0190a000-0000-7000-8000-00000000dead/receipts',
    { amount: 100, paid_on: day(0), reference: 'KB-10' }, { token: tok.kim }), 404);
  assert.equal(sql(`SELECT recovered || '|' || (SELECT COUNT(*) FROM ei_recovery_receipts) FROM ei_recoveries WHERE id = '${ORDER}'`), before,
    'nothing changed');
  // the rest: settled, its notice paid
  const last = await s.post(url, { amount: 40000, paid_on: day(0), reference: 'KB-20261121-0002' }, { token: tok.kim });
  assert.equal(last.status, 201, last.text);
  assert.equal(last.body.recovery.status, 'settled');
  assert.equal(last.body.recovery.outstanding, 0);
  assertError(assert, await s.post(url, { amount: 1, paid_on: day(0), reference: 'KB-11' }, { token: tok.kim }), 409);
  assert.equal(sql(`SELECT COUNT(*) FROM events WHERE type = 'claim.recovery_receipt'`), '2');
  assert.ok(Number(sql(`SELECT COUNT(*) FROM audit_log WHERE resource_type = 'ei_recovery' AND resource_id = '${ORDER}'
    AND action = 'UPDATE' AND actor_role = 'counsellor'`)) >= 2);
  // the claimant sees the order, its notice and its receipts with the payments
  const p = await s.get(`/api/v1/claims/${claim}/payments`, { token: tok.a });
  assert.equal(p.status, 200, p.text);
  const o = p.body.recoveries.find((x) => x.id === ORDER);
  assert.equal(o.status, 'settled');
  assert.equal(o.recovered, 60000);
  assert.equal(o.notices.length, 1);
  assert.equal(o.notices[0].status, 'paid');
  assert.match(o.notices[0].payer_reference, /^\d{16}$/);
  assert.deepEqual(o.receipts.map((x) => [x.reference, x.amount]), [['KB-20261121-0001', 20000], ['KB-20261121-0002', 40000]]);
});
