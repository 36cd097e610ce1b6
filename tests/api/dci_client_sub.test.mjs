// dci_client_sub.test.mjs - OpenPES subscribing to another registry (docs/DCI.md "Client side:
// subscriptions") against dci_stub.mjs: signed subscribe (ACK + on-subscribe callback, or answered
// inline), our on-subscribe / on-unsubscribe / txn/on-status / notify receivers verifying the
// partner's signature, received notifications persisted (sealed), audited, de-duplicated and turned
// into a domain event, unsubscribe, and txn/status polling of a pending transaction.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Server, BIN } from './lib.mjs';
import { startStub } from './dci_stub.mjs';
import { sql } from './dci_helpers.mjs';
import { watchServer, assertNoViolations } from './dci_schema.mjs';

const UIN = '950314-1042150'; // demo seed person (Kim)
const NUIN = '9503141042150';
const LEE = '980722-2031184';
let s, stub;

const wait = (ms) => new Promise((r) => setTimeout(r, ms));
const cli = (...args) => new Promise((res) => {
  execFile(BIN, ['--db', s.db, '--keys', s.keys, '--log-level', 'warn', ...args], { encoding: 'utf8', timeout: 60000 },
    (err, stdout, stderr) => res({ status: err ? (err.code ?? 1) : 0, stdout, stderr }));
});
const cliJson = async (...args) => {
  const r = await cli(...args);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  return JSON.parse(r.stdout);
};
async function until(fn, ms = 5000) {
  for (let t = 0; t < ms; t += 50) {
    const v = await fn();
    if (v) return v;
    await wait(50);
  }
  throw new Error('timed out');
}
const record = (uin, extra = {}) => ({ '@type': 'SRPerson', member_identifier: [{ identifier_type: 'UIN', identifier_value: uin }],
  additional_attributes: { household_income_pct: 41.5, basic_livelihood_status: 'recipient' }, ...extra });

before(async () => {
  s = watchServer(new Server()); // our receivers' replies are checked against the OpenAPI schemas
  s.cliOk('seed', '--demo');
  await s.start();
  const ourJwks = (await s.get('/.well-known/jwks.json')).body;
  stub = await startStub({ id: 'sr-stub', ourJwks });
  const jf = join(s.dir, 'sr.jwks.json');
  writeFileSync(jf, JSON.stringify(stub.key.jwks));
  s.cliOk('dci', 'partner', 'add', '--id', 'sr1', '--kind', 'social-registry', '--base-url', stub.url, '--token-url', stub.url + '/oauth2/client/token',
    '--client-id', 'openpes', '--secret', 'stub-secret', '--receiver-id', stub.id, '--jwks', jf, '--purposes', 'employment_service',
    '--callback-url', `${s.base}/registry/on-search`);
});
after(async () => { await stub?.close(); await s.stop(); });
afterEach(assertNoViolations); // the stub checks our requests and our receivers' answers

async function subscribeKim(extra = []) {
  const r = await cliJson('dci', 'subscribe', '--partner', 'sr1', '--event-type', 'household_changed', '--national-id', UIN, ...extra);
  return r;
}

test('subscribe: signed request naming the person by UIN, ACK, then the on-subscribe callback stores the partner\'s code', async () => {
  stub.subMode = 'ack';
  const r = await subscribeKim(['--frequency', '0 0 6 * * ?', '--wait', '5']);
  assert.equal(r.status, 'answered', JSON.stringify(r));
  assert.equal(r.action, 'subscribe');
  const call = stub.calls.at(-1);
  assert.equal(call.path, '/registry/subscribe');
  assert.equal(call.sigOk, true, 'signed with our published key');
  assert.equal(call.body.header.sender_uri, `${s.base}/registry/on-subscribe`);
  const crit = call.body.message.subscribe_request[0].subscribe_criteria;
  assert.equal(crit.reg_event_type, 'household_changed');
  assert.deepEqual(crit.filter, [{ seq_num: 1, expression1: { attribute_name: 'UIN', operator: 'eq', attribute_value: NUIN } }]);
  assert.equal(crit.authorize.purpose.code, 'employment_service');
  assert.equal(crit.frequency.frequency, '0 0 6 * * ?');
  assert.deepEqual(stub.answers.at(-1).answer.message.ack_status, 'ACK', 'our on-subscribe receiver ACKs');
  const subs = (await cliJson('dci', 'subscriptions', '--partner', 'sr1')).items;
  const mine = subs.find((x) => x.transaction_id === r.transaction_id);
  assert.equal(mine.status, 'subscribe');
  assert.match(mine.code, /^stub-sub-/);
  assert.equal(r.facts.subscriptions[0].code, mine.code);
  // the disclosure of the national id is audited through the access path
  const pid = sql(s, `SELECT person_id FROM dci_outbound_txns WHERE transaction_id = '${r.transaction_id}'`)[0];
  assert.ok(pid, 'the person is known');
  const rows = sql(s, `SELECT action, resource_type, purpose FROM audit_log WHERE resource_id = '${r.transaction_id}' AND person_id = '${pid}'`);
  assert.deepEqual(rows, ['READ|dci_disclosure|employment_service']);
  // the admin API lists it too
  const admin = sql(s, `SELECT COUNT(*) FROM dci_outbound_subs WHERE code = '${mine.code}' AND persons LIKE '%${pid}%'`)[0];
  assert.equal(admin, '1');
  assert.equal(sql(s, `SELECT COUNT(*) FROM dci_outbound_subs WHERE persons LIKE '%1042150%'`)[0], '0', 'no national id stored');
});

test('notify: verified with the partner\'s key, stored sealed, audited, a domain event; a retry is not stored twice', async () => {
  stub.subMode = 'ack';
  const r = await subscribeKim(['--wait', '5']);
  const code = r.facts.subscriptions[0].code;
  const pid = sql(s, `SELECT person_id FROM dci_outbound_txns WHERE transaction_id = '${r.transaction_id}'`)[0];
  const n = await stub.notify(code, [record(NUIN)], { ref: 'evt-77' });
  assert.equal(n.status, 200);
  assert.equal(n.body.message.ack_status, 'ACK', JSON.stringify(n.body));
  assert.equal(n.body.message.correlation_id, n.sent.message.correlation_id, 'the ACK echoes the correlation id');
  const row = sql(s, `SELECT partner_id, subscription_code, reference_id, reg_event_type, person_id, substr(item, 1, 3) FROM dci_notifications_in WHERE subscription_code = '${code}'`);
  assert.deepEqual(row, [`sr1|${code}|evt-77|household_changed|${pid}|v1:`]);
  const nid = sql(s, `SELECT id FROM dci_notifications_in WHERE subscription_code = '${code}'`)[0];
  const audit = sql(s, `SELECT actor_id, action, resource_type, purpose FROM audit_log WHERE resource_id = '${nid}'`);
  assert.deepEqual(audit, ['system:dci-client:sr1|UPDATE|dci_notification|employment_service']);
  const ev = sql(s, `SELECT subject, payload FROM events WHERE type = 'partner.notified' AND payload LIKE '%${nid}%'`);
  assert.equal(ev.length, 1);
  const [subject, payload] = ev[0].split('|');
  assert.equal(subject, pid);
  assert.deepEqual(JSON.parse(payload), { partner: 'sr1', subscription_code: code, reference_id: 'evt-77', notification_id: nid,
    reg_event_type: 'household_changed', person_id: pid });
  // the partner retries the same notification (a new message): ACK, nothing new
  const again = await stub.notify(code, [record(NUIN)], { ref: 'evt-77' });
  assert.equal(again.body.message.ack_status, 'ACK');
  assert.equal(sql(s, `SELECT COUNT(*) FROM dci_notifications_in WHERE subscription_code = '${code}'`)[0], '1');
  assert.equal(sql(s, `SELECT COUNT(*) FROM events WHERE type = 'partner.notified' AND payload LIKE '%${code}%'`)[0], '1');
  // two items in one notify: both stored, in order
  const two = await stub.notify(code, [record(NUIN), record(NUIN)], { ref: 'evt-78' });
  assert.equal(two.body.message.ack_status, 'ACK');
  assert.equal(sql(s, `SELECT COUNT(*) FROM dci_notifications_in WHERE subscription_code = '${code}'`)[0], '3');
});

test('notify refusals: bad or missing signature, another sender, a replayed message id, an unknown subscription', async () => {
  stub.subMode = 'ack';
  const r = await subscribeKim(['--wait', '5']);
  const code = r.facts.subscriptions[0].code;
  const before = sql(s, `SELECT COUNT(*) FROM dci_notifications_in`)[0];
  const bad = await stub.notify(code, [record(NUIN)], { badsig: true });
  assert.equal(bad.body.message.ack_status, 'ERR');
  assert.equal(bad.body.message.error.code, 'err.signature.invalid');
  const uns = await stub.notify(code, [record(NUIN)], { unsigned: true });
  assert.equal(uns.body.message.error.code, 'err.signature.missing');
  const other = await stub.notify(code, [record(NUIN)], { sender: 'someone-else' });
  assert.equal(other.body.message.error.code, 'err.sender_id.invalid');
  const ok = await stub.notify(code, [record(NUIN)], { messageId: 'fixed-mid-1' });
  assert.equal(ok.body.message.ack_status, 'ACK');
  const replay = await stub.notify(code, [record(NUIN)], { messageId: 'fixed-mid-1' });
  assert.equal(replay.body.message.ack_status, 'ERR');
  assert.match(replay.body.message.error.message, /replay/);
  stub.subs.set('not-ours', { ...stub.subs.get(code), code: 'not-ours' });
  const unknown = await stub.notify('not-ours', [record(NUIN)]);
  assert.equal(unknown.body.message.error.code, 'err.request.bad');
  assert.equal(Number(sql(s, `SELECT COUNT(*) FROM dci_notifications_in`)[0]), Number(before) + 1, 'only the good one is stored');
});

test('a registry answering subscribe inline (sync): answered at once; unsubscribe: ACK then on-unsubscribe', async () => {
  stub.subMode = 'sync';
  const r = await subscribeKim();
  assert.equal(r.status, 'answered', JSON.stringify(r));
  const code = r.subscriptions[0].code;
  assert.equal(stub.subs.get(code).status, 'subscribe');
  stub.subMode = 'ack';
  const u = await cliJson('dci', 'unsubscribe', '--partner', 'sr1', '--code', code, '--wait', '5');
  assert.equal(u.status, 'answered', JSON.stringify(u));
  assert.equal(stub.calls.at(-1).path, '/registry/unsubscribe');
  assert.equal(stub.calls.at(-1).body.header.sender_uri, `${s.base}/registry/on-unsubscribe`);
  assert.equal(stub.subs.get(code).status, 'unsubscribe');
  const mine = (await cliJson('dci', 'subscriptions')).items.find((x) => x.code === code);
  assert.equal(mine.status, 'unsubscribe');
});

test('txn/status of a pending subscription: sync applies the answer at once; async answers at our txn/on-status', async () => {
  stub.subMode = 'silent'; // the registry ACKs but never calls back
  const r = await subscribeKim();
  assert.equal(r.status, 'pending');
  const st = await cliJson('dci', 'status', '--id', r.transaction_id);
  assert.equal(st.partner_status, 'succ');
  assert.equal(st.applied, true);
  assert.equal(stub.calls.at(-1).path, '/registry/sync/txn/status');
  assert.equal(stub.calls.at(-1).body.message.txnstatus_request.attribute_value, r.correlation_id);
  const t = await cliJson('dci', 'txn', '--id', r.transaction_id);
  assert.equal(t.status, 'answered');
  assert.match(t.facts.subscriptions[0].code, /^stub-sub-/);
  // async
  const r2 = await subscribeKim();
  assert.equal(r2.status, 'pending');
  const a = await cliJson('dci', 'status', '--id', r2.transaction_id, '--async', '--wait', '5');
  assert.equal(a.status, 'answered', JSON.stringify(a));
  assert.equal(a.about, r2.transaction_id);
  assert.equal(a.facts.applied, true);
  assert.equal(stub.calls.at(-1).body.header.sender_uri, `${s.base}/registry/txn/on-status`);
  assert.equal((await cliJson('dci', 'txn', '--id', r2.transaction_id)).status, 'answered');
  stub.subMode = 'ack';
});

test('receivers refuse what does not belong to us; a purpose the partner is not configured for sends nothing', async () => {
  for (const p of ['/registry/on-subscribe', '/ess/on-unsubscribe', '/registry/txn/on-status']) {
    const r = await s.post(p, { header: { version: '1.0.0', message_id: 'm-' + Date.now(), message_ts: new Date().toISOString(),
      action: p.endsWith('on-subscribe') ? 'on-subscribe' : p.endsWith('on-unsubscribe') ? 'on-unsubscribe' : 'txn-on-status',
      sender_id: 'sr-stub', total_count: 1, status: 'succ' }, message: { transaction_id: 'no-such-txn', correlation_id: 'c' } });
    assert.equal(r.status, 200, p);
    assert.equal(r.body.message.ack_status, 'ERR', p);
    assert.match(r.body.message.error.message, /no outbound transaction/);
  }
  const calls = stub.calls.length;
  const r = await cli('dci', 'subscribe', '--partner', 'sr1', '--event-type', 'household_changed', '--national-id', LEE, '--purpose', 'statistics');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr + r.stdout, /not configured for purpose "statistics"/);
  assert.equal(stub.calls.length, calls, 'nothing sent');
});
