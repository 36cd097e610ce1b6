// dci_client.test.mjs - OpenPES as a DCI client (docs/DCI.md "Client side") against dci_stub.mjs:
// token fetch and refresh, signed requests and answers, sync and async (on-search receiver),
// bad signatures, timeouts, the audited disclosure, the admin test-query API.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Server, BIN } from './lib.mjs';
import { startStub, } from './dci_stub.mjs';
import { watchServer, assertNoViolations } from './dci_schema.mjs';

const UIN = '950314-1042150'; // demo seed person
const NUIN = '9503141042150';
let s, stub, ibr, admin;

// The CLI must not block the event loop: the stub answers from this process.
const cli = (...args) => new Promise((res) => {
  execFile(BIN, ['--db', s.db, '--keys', s.keys, '--log-level', 'warn', ...args], { encoding: 'utf8', timeout: 60000 },
    (err, stdout, stderr) => res({ status: err ? (err.code ?? 1) : 0, stdout, stderr }));
});
const cliJson = async (...args) => {
  const r = await cli(...args);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  return JSON.parse(r.stdout);
};

function addPartner(st, id, kind, extra = []) {
  const jf = join(s.dir, `${id}.jwks.json`);
  writeFileSync(jf, JSON.stringify(st.key.jwks));
  s.cliOk('dci', 'partner', 'add', '--id', id, '--kind', kind, '--base-url', st.url, '--token-url', st.url + '/oauth2/client/token',
    '--client-id', 'openpes', '--secret', 'stub-secret', '--receiver-id', st.id, '--jwks', jf,
    '--purposes', 'employment_service benefit_administration system_operation', ...extra);
}

before(async () => {
  s = watchServer(new Server()); // our on-search receiver's replies are checked against the OpenAPI schemas
  s.cliOk('seed', '--demo');
  s.cliOk('office', 'add', '--code', 'HQ-1', '--name', 'HQ', '--kind', 'ministry', '--region', 'KR-11');
  s.cliOk('user', 'add', '--username', 'ops.admin', '--password', 'correct-horse-42', '--kind', 'staff', '--role', 'admin', '--office', 'HQ-1', '--name', 'Ops');
  await s.start();
  const ourJwks = (await s.get('/.well-known/jwks.json')).body;
  const people = { [NUIN]: { sr: { '@type': 'SRPerson', additional_attributes: { household_income_pct: 48.5, basic_livelihood_status: 'near_poor' } },
    ibr: [{ programme: 'BLSA-LIVELIHOOD', status: 'Active' }] } };
  stub = await startStub({ id: 'sr-stub', people, ourJwks });
  ibr = await startStub({ id: 'ibr-stub', people, ourJwks });
  addPartner(stub, 'sr1', 'social-registry', ['--callback-url', `${s.base}/registry/on-search`, '--timeout', '2']);
  addPartner(ibr, 'ibr1', 'ibr', ['--callback-url', `${s.base}/registry/on-search`]);
  admin = await s.login('ops.admin', 'correct-horse-42');
});
after(async () => { await stub?.close(); await ibr?.close(); await s.stop(); });
afterEach(assertNoViolations); // the stub checks our requests and our receiver's answers to its callbacks

test('sync social-registry query returns the income percentile and livelihood status; request signed, token form-encoded', async () => {
  stub.mode = 'ok';
  const before = stub.tokenRequests;
  const r = await cliJson('dci', 'query', '--partner', 'sr1', '--national-id', UIN, '--kind', 'social-registry');
  assert.equal(r.status, 'answered');
  assert.equal(r.mode, 'sync');
  assert.deepEqual(r.facts, { found: true, household_income_pct: 48.5, basic_livelihood_status: 'near_poor' });
  const call = stub.calls.at(-1);
  assert.equal(call.path, '/registry/sync/search');
  assert.equal(call.sigOk, true, 'our request is signed with our published key');
  assert.equal(call.body.header.sender_id, 'openpes');
  assert.equal(call.body.header.receiver_id, 'sr-stub');
  assert.equal(call.body.message.search_request[0].search_criteria.query.value, NUIN);
  assert.equal(call.body.message.search_request[0].search_criteria.authorize.purpose.code, 'employment_service');
  // second query reuses the cached token
  const n = stub.tokenRequests;
  assert.ok(n >= before);
  await cliJson('dci', 'query', '--partner', 'sr1', '--national-id', UIN);
  assert.equal(stub.tokenRequests, n);
  // the stored transaction
  const t = await cliJson('dci', 'txn', '--id', r.transaction_id);
  assert.equal(t.status, 'answered');
  assert.equal(t.facts.household_income_pct, 48.5);
});

test('the disclosure is audited through the access path (person, purpose, transaction)', async () => {
  const r = await cliJson('dci', 'query', '--partner', 'sr1', '--national-id', UIN);
  const rows = s.sql(`SELECT action, purpose, outcome, CASE WHEN person_id IS NOT NULL THEN 1 ELSE 0 END FROM audit_log WHERE resource_type = 'dci_disclosure' AND resource_id = '${r.transaction_id}'`)
    .trim().split('\n');
  assert.deepEqual(rows, ['READ|employment_service|allow|1']);
  // no national id in clear in the outbound transactions
  assert.equal(s.sql(`SELECT COUNT(*) FROM dci_outbound_txns WHERE COALESCE(result,'') LIKE '%${NUIN}%'`).trim(), '0');
  // the registry's facts are stored sealed, and read back through the API
  assert.equal(s.sql(`SELECT substr(result, 1, 3) FROM dci_outbound_txns WHERE transaction_id = '${r.transaction_id}'`).trim(), 'v1:');
  const back = await cliJson('dci', 'txn', '--id', r.transaction_id);
  assert.deepEqual(back.facts, r.facts);
});

test('a purpose the partner is not configured for: the national id is not sent', async () => {
  const n = stub.calls.length;
  const r = await cli('dci', 'query', '--partner', 'sr1', '--national-id', UIN, '--purpose', 'statistics');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /not configured for purpose "statistics"/);
  assert.equal(stub.calls.length, n);
});

test('IBR duplicate-benefit check: enrolled in another programme', async () => {
  const r = await cliJson('dci', 'query', '--partner', 'ibr1', '--national-id', UIN, '--kind', 'ibr');
  assert.equal(r.status, 'answered');
  assert.deepEqual(r.facts, { enrolled: true, programmes: [{ programme: 'BLSA-LIVELIHOOD', enrolled_status: 'Active', enrolled: true }] });
  const call = ibr.calls.at(-1);
  assert.equal(call.path, '/registry/sync/enrolled');
  assert.equal(call.body.message.enrolled_criteria[0].query.person_identifier.eq, NUIN);
  assert.equal(call.body.message.enrolled_criteria[0].authorize.purpose.code, 'benefit_administration');
  const bad = await cli('dci', 'query', '--partner', 'ibr1', '--national-id', UIN, '--kind', 'social-registry');
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /is a ibr, not a social-registry/);
});

test('IBR duplicate-benefit check, async: /registry/search, Beneficiary records at our on-search receiver', async () => {
  ibr.mode = 'ok';
  const r = await cliJson('dci', 'query', '--partner', 'ibr1', '--national-id', UIN, '--async', '--wait', '10');
  assert.equal(r.status, 'answered', JSON.stringify(r));
  assert.equal(r.mode, 'async');
  assert.deepEqual(r.facts, { enrolled: true, programmes: [{ programme: 'BLSA-LIVELIHOOD', enrolled_status: 'Active', enrolled: true }] });
  const call = ibr.calls.at(-1);
  assert.equal(call.path, '/registry/search');
  assert.equal(call.sigOk, true);
  assert.equal(call.body.message.search_request[0].search_criteria.reg_type, 'ns:org:RegistryType:IBR');
  assert.equal(call.body.message.search_request[0].search_criteria.query.value, NUIN);
  assert.equal(call.body.message.search_request[0].search_criteria.authorize.purpose.code, 'benefit_administration');
  assert.equal(ibr.callbackAnswer.message.ack_status, 'ACK');
  // someone the IBR does not know: not enrolled
  const n = await cliJson('dci', 'query', '--partner', 'ibr1', '--national-id', '980722-2031184', '--async', '--wait', '10');
  assert.deepEqual(n.facts, { enrolled: false, programmes: [] });
});

test('async query completes through our on-search receiver', async () => {
  stub.mode = 'ok';
  const r = await cliJson('dci', 'query', '--partner', 'sr1', '--national-id', UIN, '--async', '--wait', '10');
  assert.equal(r.status, 'answered', JSON.stringify(r));
  assert.equal(r.mode, 'async');
  assert.match(r.correlation_id, /^corr-/);
  assert.equal(r.facts.household_income_pct, 48.5);
  assert.equal(stub.callbackAnswer.message.ack_status, 'ACK');
  const call = stub.calls.at(-1);
  assert.equal(call.path, '/registry/search');
  assert.equal(call.body.header.sender_uri, `${s.base}/registry/on-search`);
  // the same callback again: already answered, and a replayed message id -> ERR
  const t = await s.get(`/api/v1/partners/outbound/transactions/${r.transaction_id}`, { token: admin });
  assert.equal(t.status, 200);
  assert.equal(t.body.status, 'answered');
});

test('on-search receiver rejects unknown transactions and bad signatures', async () => {
  const un = await s.post('/ess/on-search', { header: { version: '1.0.0', message_id: 'm1', message_ts: new Date().toISOString(), action: 'on-search', sender_id: 'sr-stub', total_count: 1 },
    message: { transaction_id: 'nope', search_response: [] } });
  assert.equal(un.status, 200);
  assert.equal(un.body.message.ack_status, 'ERR');
  assert.match(un.body.message.error.message, /no outbound search/);
  stub.mode = 'badsig';
  const r = await cliJson('dci', 'query', '--partner', 'sr1', '--national-id', UIN, '--async', '--wait', '5');
  // the tampered callback is refused; the transaction stays pending
  for (let i = 0; i < 50 && !stub.callbackAnswer?.message?.error; i++) await new Promise((x) => setTimeout(x, 100));
  assert.equal(stub.callbackAnswer.message.ack_status, 'ERR');
  assert.equal(stub.callbackAnswer.message.error.code, 'err.signature.invalid');
  const t = await cliJson('dci', 'txn', '--id', r.transaction_id);
  assert.equal(t.status, 'pending');
  stub.mode = 'ok';
});

test('a bad signature on a sync answer is rejected and recorded', async () => {
  stub.mode = 'badsig';
  const r = await cli('dci', 'query', '--partner', 'sr1', '--national-id', UIN);
  stub.mode = 'ok';
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /bad signature from "sr1": the signature does not match/);
  const last = s.sql(`SELECT status, error FROM dci_outbound_txns ORDER BY num DESC LIMIT 1`).trim();
  assert.match(last, /^error\|bad signature/);
});

test('a revoked or expired token is refreshed once and the query succeeds', async () => {
  stub.mode = 'ok';
  stub.revokeTokens();
  const n = stub.tokenRequests;
  const r = await cliJson('dci', 'query', '--partner', 'sr1', '--national-id', UIN);
  assert.equal(r.status, 'answered');
  assert.equal(stub.tokenRequests, n + 1);
  // an expired cache entry is refreshed before use
  s.sql(`UPDATE dci_outbound SET token_expires = 1 WHERE id = 'sr1'`);
  await cliJson('dci', 'query', '--partner', 'sr1', '--national-id', UIN);
  assert.equal(stub.tokenRequests, n + 2);
});

test('a partner timeout gives a clear error', async () => {
  stub.mode = 'slow';
  const t0 = Date.now();
  const r = await cli('dci', 'query', '--partner', 'sr1', '--national-id', UIN);
  stub.mode = 'ok';
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /registry "sr1" did not answer within 2 s/);
  assert.ok(Date.now() - t0 < 6000);
  assert.match(s.sql(`SELECT status FROM dci_outbound_txns ORDER BY num DESC LIMIT 1`).trim(), /^error$/);
});

test('admin test-query API: admin only; a registered person is refused (audited), the admin role has no personal-data access', async () => {
  const r = await s.post('/api/v1/partners/sr1/test-query', { national_id: UIN }, { token: admin });
  assert.equal(r.status, 403, r.text);
  const deny = s.sql(`SELECT COUNT(*) FROM audit_log WHERE resource_type = 'dci_disclosure' AND outcome = 'deny'`).trim();
  assert.ok(Number(deny) >= 1);
  const v = await s.post('/api/v1/partners/sr1/test-query', { national_id: 'x', bogus: 1 }, { token: admin });
  assert.equal(v.status, 422);
  const nf = await s.post('/api/v1/partners/none/test-query', { national_id: UIN }, { token: admin });
  assert.equal(nf.status, 404);
  const anon = await s.post('/api/v1/partners/sr1/test-query', { national_id: UIN });
  assert.equal(anon.status, 401);
  const list = await s.get('/api/v1/partners/outbound', { token: admin });
  assert.deepEqual(list.body.items.map((p) => p.id), ['ibr1', 'sr1']);
  assert.ok(!JSON.stringify(list.body).includes('stub-secret'));
});
