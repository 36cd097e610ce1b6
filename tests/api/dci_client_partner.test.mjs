// dci_client_partner.test.mjs - managing the registries we query (docs/DCI.md "Client side"):
// a partner's JWKS from a URL (fetched, validated, refreshed on an unknown kid at most once a
// minute), removing a partner (disabled, history kept, callbacks refused), and notifications from
// registries that share one sender id (chosen by signing key and subscription code, never "the first").
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Server, BIN, assertError } from './lib.mjs';
import { startStub } from './dci_stub.mjs';
import { envelope, searchMsg, token } from './dci_helpers.mjs';
import { watchServer, assertNoViolations } from './dci_schema.mjs';

const UIN = '950314-1042150';
const NUIN = '9503141042150';
let s, sr, ra, rb, admin, staff;

const cli = (...args) => new Promise((res) => {
  execFile(BIN, ['--db', s.db, '--keys', s.keys, '--log-level', 'warn', ...args], { encoding: 'utf8', timeout: 60000 },
    (err, stdout, stderr) => res({ status: err ? (err.code ?? 1) : 0, stdout, stderr }));
});
const cliJson = async (...args) => {
  const r = await cli(...args);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  return JSON.parse(r.stdout);
};
const common = (st) => ['--kind', 'social-registry', '--base-url', st.url, '--token-url', st.url + '/oauth2/client/token', '--client-id', 'openpes',
  '--secret', 'stub-secret', '--receiver-id', st.id, '--purposes', 'employment_service', '--callback-url', `${s.base}/registry/on-search`, '--timeout', '2'];
const jwksFile = (st, name) => {
  const f = join(s.dir, `${name}.jwks.json`);
  writeFileSync(f, JSON.stringify(st.key.jwks));
  return f;
};
const partner = async (id) => (await s.get('/api/v1/partners/outbound', { token: admin })).body.items.find((p) => p.id === id);

before(async () => {
  s = watchServer(new Server());
  s.cliOk('seed', '--demo');
  s.cliOk('office', 'add', '--code', 'HQ-1', '--name', 'HQ', '--kind', 'ministry', '--region', 'KR-11');
  s.cliOk('user', 'add', '--username', 'ops.admin', '--password', 'correct-horse-42', '--kind', 'staff', '--role', 'admin', '--office', 'HQ-1', '--name', 'Ops');
  await s.start();
  const ourJwks = (await s.get('/.well-known/jwks.json')).body;
  const people = { [NUIN]: { sr: { '@type': 'SRPerson', additional_attributes: { household_income_pct: 48.5, basic_livelihood_status: 'near_poor' } } } };
  sr = await startStub({ id: 'sr-url', people, ourJwks });
  ra = await startStub({ id: 'shared-sr', people, ourJwks });
  rb = await startStub({ id: 'shared-sr', people, ourJwks });
  rb.rotate('stub-b1'); // the two registries behind one sender id sign with different keys
  admin = await s.login('ops.admin', 'correct-horse-42');
  staff = await s.login('counsellor', 'demo-pass-2026');
});
after(async () => { await sr?.close(); await ra?.close(); await rb?.close(); await s.stop(); });
afterEach(assertNoViolations);

test('--jwks-url: the JWKS is fetched and validated like the file form; a bad URL or document stores nothing', async () => {
  const bad = await cli('dci', 'partner', 'add', '--id', 'srU', ...common(sr), '--jwks-url', sr.url + '/nothing-here');
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /could not be fetched: HTTP 40/);
  sr.jwksDoc = { keys: [{ kty: 'RSA', kid: 'r1', n: 'x', e: 'AQAB' }] };
  const rsa = await cli('dci', 'partner', 'add', '--id', 'srU', ...common(sr), '--jwks-url', sr.url + '/jwks.json');
  assert.notEqual(rsa.status, 0);
  assert.match(rsa.stderr, /is not a JWKS/);
  sr.jwksDoc = undefined;
  const j0 = sr.jwksRequests;
  const both = await cli('dci', 'partner', 'add', '--id', 'srU', ...common(sr), '--jwks-url', sr.url + '/jwks.json', '--jwks', jwksFile(sr, 'sr'));
  assert.equal(both.status, 2);
  assert.equal(await partner('srU'), undefined);
  const ok = await cli('dci', 'partner', 'add', '--id', 'srU', ...common(sr), '--jwks-url', sr.url + '/jwks.json'); // the stub answers from this process
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(sr.jwksRequests, j0 + 1);
  const p = await partner('srU');
  assert.equal(p.jwks_url, sr.url + '/jwks.json');
  assert.deepEqual(p.keys, ['stub-k1']);
  assert.equal(p.status, 'active');
  const r = await cliJson('dci', 'query', '--partner', 'srU', '--national-id', UIN);
  assert.equal(r.facts.household_income_pct, 48.5);
});

test('a signature with an unknown kid fetches the JWKS again, at most once a minute per partner', async () => {
  s.sql(`UPDATE dci_outbound SET jwks_fetched_at = jwks_fetched_at - 61 WHERE id = 'srU'`); // fetched a minute ago at the add
  sr.rotate('stub-k2');
  const n = sr.jwksRequests;
  const r = await cliJson('dci', 'query', '--partner', 'srU', '--national-id', UIN);
  assert.equal(r.status, 'answered');
  assert.equal(sr.jwksRequests, n + 1);
  assert.deepEqual((await partner('srU')).keys, ['stub-k2']);
  // rotated again within the minute: not fetched again, the answer is refused
  sr.rotate('stub-k3');
  const again = await cli('dci', 'query', '--partner', 'srU', '--national-id', UIN);
  assert.notEqual(again.status, 0);
  assert.match(again.stderr, /signed with unknown key "stub-k3"/);
  assert.equal(sr.jwksRequests, n + 1);
  // a minute later it is
  s.sql(`UPDATE dci_outbound SET jwks_fetched_at = jwks_fetched_at - 61 WHERE id = 'srU'`);
  assert.equal((await cliJson('dci', 'query', '--partner', 'srU', '--national-id', UIN)).status, 'answered');
  assert.equal(sr.jwksRequests, n + 2);
  // a partner configured from a file has no URL: an unknown kid is simply refused
  s.cliOk('dci', 'partner', 'add', '--id', 'srF', ...common(sr), '--jwks', jwksFile(sr, 'srf'));
  sr.rotate('stub-k4');
  const f = await cli('dci', 'query', '--partner', 'srF', '--national-id', UIN);
  assert.match(f.stderr, /signed with unknown key "stub-k4"/);
  assert.equal(sr.jwksRequests, n + 2);
});

test('notify from registries sharing a sender id: the partner is chosen by the signing key and the subscription code', async () => {
  s.cliOk('dci', 'partner', 'add', '--id', 'pa', ...common(ra), '--jwks', jwksFile(ra, 'pa'));
  s.cliOk('dci', 'partner', 'add', '--id', 'pb', ...common(rb), '--jwks', jwksFile(rb, 'pb'));
  const sub = await cliJson('dci', 'subscribe', '--partner', 'pb', '--event-type', 'household_changed', '--national-id', UIN, '--wait', '10');
  assert.equal(sub.status, 'answered', JSON.stringify(sub));
  const code = [...rb.subs.keys()][0];
  const rec = { '@type': 'SRPerson', member_identifier: [{ identifier_type: 'UIN', identifier_value: NUIN }], household_income_pct: 40 };
  const n1 = await rb.notify(code, [rec], { ref: 'evt-b1' });
  assert.equal(n1.body.message.ack_status, 'ACK', JSON.stringify(n1.body));
  assert.equal(s.sql(`SELECT partner_id FROM dci_notifications_in WHERE reference_id = 'evt-b1'`).trim(), 'pb', 'not "pa", the first by id');
  // without the subscription code: the signing key (stub-b1) names pb
  const n2 = await rb.notify(code, [rec], { ref: 'evt-b2', noCode: true });
  assert.equal(n2.body.message.ack_status, 'ACK', JSON.stringify(n2.body));
  assert.equal(s.sql(`SELECT partner_id || ':' || subscription_code FROM dci_notifications_in WHERE reference_id = 'evt-b2'`).trim(), `pb:${code}`);
  // neither key nor code tells: refused
  const n3 = await rb.notify(code, [rec], { ref: 'evt-b3', noCode: true, unsigned: true });
  assert.equal(n3.body.message.ack_status, 'ERR');
  assert.equal(n3.body.message.error.code, 'err.sender_id.invalid');
  assert.match(n3.body.message.error.message, /2 registries share sender_id "shared-sr"/);
  // pa's key with pb's code: pa is chosen by its key, and pa has no such subscription
  ra.subs.set(code, rb.subs.get(code));
  const n4 = await ra.notify(code, [rec], { ref: 'evt-a1' });
  assert.equal(n4.body.message.ack_status, 'ERR');
  assert.equal(Number(s.sql(`SELECT COUNT(*) FROM dci_notifications_in WHERE reference_id = 'evt-a1'`)), 0);
});

test('removing a partner: disabled, secret and token wiped, history kept, queries and callbacks refused', async () => {
  const txns = s.sql(`SELECT COUNT(*) FROM dci_outbound_txns WHERE partner_id = 'pb'`).trim();
  assert.ok(Number(txns) >= 1);
  assertError(assert, await s.req('DELETE', '/api/v1/partners/outbound/pb', { token: staff }), 403);
  assertError(assert, await s.req('DELETE', '/api/v1/partners/outbound/nope', { token: admin }), 404, 'resource.not_found');
  const del = await s.req('DELETE', '/api/v1/partners/outbound/pb', { token: admin });
  assert.equal(del.status, 200, del.text);
  assert.deepEqual(del.body, { id: 'pb', status: 'removed' });
  assert.equal((await s.req('DELETE', '/api/v1/partners/outbound/pb', { token: admin })).status, 200, 'removing twice changes nothing');
  const p = await partner('pb');
  assert.equal(p.status, 'removed');
  assert.match(p.removed_at, /^\d{4}-/);
  assert.equal(s.sql(`SELECT secret_enc || '|' || COALESCE(token_enc, 'null') FROM dci_outbound WHERE id = 'pb'`).trim(), '|null');
  assert.equal(s.sql(`SELECT COUNT(*) FROM dci_outbound_txns WHERE partner_id = 'pb'`).trim(), txns, 'its transactions are kept');
  assert.equal(s.sql(`SELECT COUNT(*) FROM dci_notifications_in WHERE partner_id = 'pb'`).trim(), '2', 'and its notifications');
  assert.equal(s.sql(`SELECT status FROM dci_outbound_subs WHERE partner_id = 'pb'`).trim(), 'unsubscribe');
  const q = await cli('dci', 'query', '--partner', 'pb', '--national-id', UIN);
  assert.notEqual(q.status, 0);
  assert.match(q.stderr, /registry "pb" was removed/);
  const re = await cli('dci', 'partner', 'add', '--id', 'pb', ...common(rb), '--jwks', jwksFile(rb, 'pb2'));
  assert.notEqual(re.status, 0);
  assert.match(re.stderr, /was removed/);
  // its notifications are refused now; pa (same sender id) is the only one left and has no such subscription
  const code = [...rb.subs.keys()][0];
  const n = await rb.notify(code, [{ '@type': 'SRPerson' }], { ref: 'evt-b9' });
  assert.equal(n.body.message.ack_status, 'ERR');
  assert.equal(Number(s.sql(`SELECT COUNT(*) FROM dci_notifications_in WHERE reference_id = 'evt-b9'`)), 0);
  // the CLI form
  assert.match(s.cliOk('dci', 'partner', 'remove', '--id', 'srF'), /srF removed/);
  assert.equal((await partner('srF')).status, 'removed');
  assert.notEqual((await cli('dci', 'partner', 'remove', '--id', 'nope')).status, 0);
});

test('partners that call us: --jwks-url registers their keys, an unknown kid fetches them again (at most once a minute)', async () => {
  const caller = await startStub({ id: 'caller-x' }); // serves its JWKS at /jwks.json
  try {
    s.cliOk('client', 'add', '--id', 'caller-x', '--secret', 'caller-secret-123', '--scopes', 'registry.search');
    const add = await cli('partner', 'add', '--client', 'caller-x', '--sig-mode', 'required', '--jwks-url', caller.url + '/jwks.json');
    assert.equal(add.status, 0, add.stderr);
    s.cliOk('partner', 'agreement', 'add', '--client', 'caller-x', '--purposes', 'welfare_referral', '--fields', 'employment_status',
      '--attributes', 'UIN', '--legal-basis', 'Social Security Benefits Act Art. 5', '--valid-from', '2020-01-01');
    const listed = JSON.parse(s.cliOk('partner', 'list')).items.find((p) => p.client_id === 'caller-x');
    assert.deepEqual(listed.keys, ['stub-k1']);
    assert.equal(listed.jwks_url, caller.url + '/jwks.json');
    const tok = await token(s, 'caller-x', 'caller-secret-123');
    const search = () => s.post('/registry/sync/search', envelope('caller-x', searchMsg([{ reg_type: 'ns:org:RegistryType:ESS', query_type: 'idtype-value',
      query: { type: 'UIN', value: UIN } }]), { key: caller.key }), { token: tok });
    let r = await search();
    assert.equal(r.body.header.status, 'succ', r.text);
    // the caller rotates its key within the minute of the add: not fetched again, refused
    caller.rotate('caller-k2');
    const n = caller.jwksRequests;
    r = await search();
    assert.equal(r.body.message.ack_status, 'ERR', r.text);
    assert.equal(r.body.message.error.code, 'err.signature.invalid', r.text);
    assert.equal(caller.jwksRequests, n);
    // a minute later the unknown kid fetches their JWKS: the old key is gone, the new one works
    s.sql(`UPDATE dci_partners SET jwks_fetched_at = jwks_fetched_at - 61 WHERE client_id = 'caller-x'`);
    r = await search();
    assert.equal(r.body.header?.status, 'succ', r.text);
    assert.equal(caller.jwksRequests, n + 1);
    assert.deepEqual(JSON.parse(s.cliOk('partner', 'list')).items.find((p) => p.client_id === 'caller-x').keys, ['caller-k2']);
  } finally {
    await caller.close();
  }
});
