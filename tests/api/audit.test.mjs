// audit.test.mjs - the audit trail end to end: every read is recorded before the answer, reads are
// group-committed (fewer commits than records under concurrency), auditors and citizens see the
// right views, and `openpes audit verify` reports a record modified directly in the database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, assertError } from './lib.mjs';

let s, counsellor, auditor, personId;
const PW = 'correct-horse-42';

before(async () => {
  s = new Server();
  s.cliOk('office', 'add', '--code', 'SEOUL-01', '--name', 'Seoul Job Centre', '--kind', 'job_centre', '--region', 'KR-11');
  s.cliOk('user', 'add', '--username', 'kim.counsellor', '--password', PW, '--kind', 'staff', '--role', 'counsellor', '--office', 'SEOUL-01', '--name', 'Kim');
  s.cliOk('user', 'add', '--username', 'lee.auditor', '--password', PW, '--kind', 'staff', '--role', 'auditor', '--office', 'SEOUL-01', '--name', 'Lee');
  await s.start();
  counsellor = await s.login('kim.counsellor', PW);
  auditor = await s.login('lee.auditor', PW);
  const r = await s.post('/api/v1/persons', {
    national_id: '900101-1234567', given_name: '민준', family_name: '김', birth_date: '1990-01-01',
    address: { line: '1 Teheran-ro', postal_code: '06000', region_code: 'KR-11' },
  }, { token: counsellor });
  assert.equal(r.status, 201, r.text);
  personId = r.body.id;
});
after(async () => { await s.stop(); });

async function metric(name) {
  const m = (await s.get('/metrics')).text.match(new RegExp(`^${name} (\\d+)$`, 'm'));
  return m ? Number(m[1]) : 0;
}

test('concurrent reads are each audited, in fewer commits than records', async () => {
  const b0 = await metric('openpes_audit_group_commits_total');
  const r0 = await metric('openpes_audit_group_records_total');
  const N = 60;
  const rs = await Promise.all(Array.from({ length: N }, () => s.get(`/api/v1/persons/${personId}`, { token: counsellor })));
  for (const r of rs) assert.equal(r.status, 200, r.text);
  const records = (await metric('openpes_audit_group_records_total')) - r0;
  const batches = (await metric('openpes_audit_group_commits_total')) - b0;
  assert.ok(records >= N, `every read audited: ${records} records for ${N} reads`);
  assert.ok(batches < records, `group commit batched: ${batches} commits for ${records} records`);
  const log = await s.get(`/api/v1/audit?person_id=${personId}&limit=500`, { token: auditor });
  assert.equal(log.status, 200, log.text);
  const reads = log.body.items.filter((i) => i.action === 'READ' && i.resource_type === 'person' && i.outcome === 'allow');
  assert.ok(reads.length >= N);
  const one = reads[0];
  assert.equal(one.actor_role, 'counsellor');
  assert.equal(one.purpose, 'employment_service');
  assert.match(one.legal_basis, /Employment Security Act/);
  assert.ok(one.correlation_id);
});

test('audit log is for auditors only', async () => {
  assertError(assert, await s.get(`/api/v1/audit?person_id=${personId}`, { token: counsellor }), 403, 'access.denied');
  assertError(assert, await s.get('/api/v1/audit', { token: auditor }), 400, 'request.bad_query');
});

test('audit verify passes, then reports a modified record', async () => {
  await s.stop(true);
  const ok = s.cli('audit', 'verify');
  assert.equal(ok.status, 0, ok.stderr + ok.stdout);
  assert.match(ok.stdout, /intact: \d+ records/);
  s.sql("UPDATE audit_log SET purpose = 'statistics' WHERE seq = 2");
  const bad = s.cli('audit', 'verify');
  assert.equal(bad.status, 3, bad.stdout + bad.stderr);
  assert.match(bad.stdout, /record 2 was altered/);
});
