// dci_async.test.mjs - async DCI search and transaction status (contracts/dci-ess.md): ACK at once
// with a new correlation_id, a signed on-search callback to sender_uri (retried after a failure),
// state through txn/status and sync/txn/status on both path families.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { Server } from './lib.mjs';
import { envelope, searchMsg, token, verify, sql } from './dci_helpers.mjs';
import { watchServer, checkCallback, record, assertNoViolations } from './dci_schema.mjs';

const SECRET = 'partner-secret-0123456789';
const UIN = '950314-1042150';
let s, recv, jwks, tok;
const got = [];
let failNext = 0;
let flaky = 0;

const uinQ = () => ({ query_type: 'idtype-value', query: { type: 'UIN', value: UIN } });
const wait = (ms) => new Promise((r) => setTimeout(r, ms));
async function callback(pred, ms = 8000) {
  for (let t = 0; t < ms; t += 50) {
    const c = got.find(pred);
    if (c) return c;
    await wait(50);
  }
  throw new Error('no callback arrived; got ' + JSON.stringify(got.map((g) => g.path)));
}

before(async () => {
  recv = http.createServer((req, res) => {
    let b = '';
    req.on('data', (d) => { b += d; });
    req.on('end', () => {
      record(checkCallback(req.url, JSON.parse(b))); // every callback body is checked against the OpenAPI schemas
      if (req.url.startsWith('/flaky/') && ++flaky === 2) { res.writeHead(503); res.end('busy'); return; }
      if (failNext > 0 || req.url.startsWith('/dead/')) { if (!req.url.startsWith('/dead/')) failNext--; res.writeHead(500); res.end('down'); return; }
      got.push({ path: req.url, body: JSON.parse(b), ct: req.headers['content-type'] });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: { ack_status: 'ACK', timestamp: new Date().toISOString(), correlation_id: 'x' } }));
    });
  });
  await new Promise((r) => recv.listen(0, '127.0.0.1', r));
  s = watchServer(new Server()); // every DCI reply is checked against the OpenAPI schemas
  s.cliOk('seed', '--demo');
  s.cliOk('client', 'add', '--id', 'sr-async', '--secret', SECRET, '--scopes', 'registry.search');
  s.cliOk('partner', 'add', '--client', 'sr-async', '--sig-mode', 'off');
  s.cliOk('partner', 'agreement', 'add', '--client', 'sr-async', '--purposes', 'welfare_referral', '--fields', 'member_identifier employment_status',
    '--attributes', 'UIN OPENPES region employment_status', '--legal-basis', 'MoU', '--valid-from', '2020-01-01');
  s.cliOk('office', 'add', '--code', 'HQ-1', '--name', 'HQ', '--kind', 'ministry', '--region', 'KR-11');
  s.cliOk('user', 'add', '--username', 'ops.admin', '--password', 'correct-horse-42', '--kind', 'staff', '--role', 'admin', '--office', 'HQ-1', '--name', 'Ops');
  process.env.OPENPES_DCI_ASYNC_PAGE = '20'; // large results come back in callbacks of 20 records
  await s.start();
  jwks = (await s.get('/.well-known/jwks.json')).body;
  tok = await token(s, 'sr-async', SECRET);
});
after(async () => { await s.stop(); recv.close(); });
afterEach(assertNoViolations);

const uri = (p) => `http://127.0.0.1:${recv.address().port}${p}`;
const post = (path, body) => s.post(path, body, { token: tok });

for (const fam of ['/registry', '/ess']) {
  test(`${fam}/search: ACK at once, then a signed on-search callback with the same correlation_id`, async () => {
    const msg = searchMsg([uinQ()]);
    const t0 = Date.now();
    const r = await post(`${fam}/search`, envelope('sr-async', msg, { header: { sender_uri: uri('/registry/on-search') } }));
    assert.equal(r.status, 200, r.text);
    assert.match(r.headers.get('content-type'), /application\/json/);
    assert.equal(r.body.message.ack_status, 'ACK');
    const corr = r.body.message.correlation_id;
    assert.match(corr, /^[0-9a-f-]{36}$/);
    assert.ok(Date.now() - t0 < 1000);
    const cb = await callback((c) => c.body.message?.correlation_id === corr);
    assert.equal(cb.path, '/registry/on-search');
    assert.match(cb.ct, /application\/json/);
    assert.ok(verify(cb.body, jwks), 'callback is signed with our key');
    assert.equal(cb.body.header.action, 'on-search');
    assert.equal(cb.body.header.status, 'succ');
    assert.equal(cb.body.header.receiver_id, 'sr-async');
    assert.equal(cb.body.message.transaction_id, msg.transaction_id);
    const rec = cb.body.message.search_response[0].data.reg_records[0];
    assert.deepEqual(Object.keys(rec).sort(), ['@type', 'employment_status', 'member_identifier']);
    // audited as the partner with the async correlation id (the rows commit with the result, in
    // audit_pending, before the callback; the group committer chains them into audit_log a moment later)
    let rows = [];
    for (let i = 0; i < 100 && rows.length < 2; i++, await wait(20))
      rows = sql(s, `SELECT actor_id, resource_type FROM audit_log WHERE correlation_id = '${corr}' ORDER BY seq`);
    assert.deepEqual(rows, ['sr-async|person', 'sr-async|dci_request']);
  });
}

test('a failed callback is retried with back-off; txn status shows the delivery', async () => {
  failNext = 1;
  const msg = searchMsg([uinQ()]);
  const r = await post('/registry/search', envelope('sr-async', msg, { header: { sender_uri: uri('/cb/on-search') } }));
  const corr = r.body.message.correlation_id;
  const cb = await callback((c) => c.body.message?.correlation_id === corr, 15000);
  assert.equal(cb.body.message.transaction_id, msg.transaction_id);
  const st = await post('/registry/sync/txn/status', envelope('sr-async', { transaction_id: 'st-1',
    txnstatus_request: { reference_id: 'q1', txn_type: 'search', attribute_type: 'correlation_id', attribute_value: corr } }, { action: 'txn-status' }));
  assert.equal(st.status, 200, st.text);
  const tr = st.body.message.txnstatus_response;
  assert.equal(tr.status, 'succ');
  assert.equal(tr.callback.state, 'delivered');
  assert.equal(tr.callback.attempts, 2);
  assert.match(tr.callback.last_error ?? '', /^$|HTTP 500/);
});

test('sync/txn/status by transaction id (both families) and unknown transactions', async () => {
  const msg = searchMsg([uinQ()]);
  const r = await post('/ess/search', envelope('sr-async', msg)); // no sender_uri: result only via txn/status
  const corr = r.body.message.correlation_id;
  for (const fam of ['/registry', '/ess']) {
    let tr;
    for (let i = 0; i < 100; i++) {
      const st = await post(`${fam}/sync/txn/status`, envelope('sr-async', { transaction_id: 'st-' + i,
        txnstatus_request: { reference_id: 'q1', txn_type: 'search', attribute_type: 'transaction_id', attribute_value: msg.transaction_id } },
      { action: 'txn-status' }));
      assert.equal(st.status, 200, st.text);
      assert.ok(verify(st.body, jwks));
      assert.equal(st.body.header.action, 'txn-on-status');
      tr = st.body.message.txnstatus_response;
      if (tr.status === 'succ') break;
      await wait(50);
    }
    assert.equal(tr.status, 'succ');
    assert.equal(tr.callback.state, 'none');
    assert.equal(tr.txn_status.correlation_id, corr);
    assert.equal(tr.txn_status.search_response[0].data.reg_records.length, 1);
  }
  const st = await post('/registry/sync/txn/status', envelope('sr-async', { transaction_id: 'st-x',
    txnstatus_request: { reference_id: 'q1', txn_type: 'search', attribute_type: 'transaction_id', attribute_value: 'no-such-txn' } }, { action: 'txn-status' }));
  assert.equal(st.status, 200);
  assert.equal(st.body.message.txnstatus_response.status, 'rjct');
  assert.equal(st.body.message.txnstatus_response.status_reason_code, 'rjct.reference_id.invalid');
  assert.deepEqual(st.body.message.txnstatus_response.txn_status, { transaction_id: 'no-such-txn',
    correlation_id: st.body.message.correlation_id, search_response: [] }); // required (TxnStatusResponse)
  const bad = await post('/registry/sync/txn/status', envelope('sr-async', { transaction_id: 'st-y' }, { action: 'txn-status' }));
  assert.equal(bad.body.message.ack_status, 'ERR');
  const wrong = await post('/registry/sync/txn/status', envelope('sr-async', { transaction_id: 'st-z', txnstatus_request: {} }));
  assert.equal(wrong.body.message.error.code, 'err.request.bad'); // action "search" on a status path
});

test('async txn/status: ACK, then a txn-on-status callback', async () => {
  const msg = searchMsg([uinQ()]);
  await post('/registry/search', envelope('sr-async', msg));
  const r = await post('/ess/txn/status', envelope('sr-async', { transaction_id: 'st-async',
    txnstatus_request: { reference_id: 'q1', txn_type: 'search', attribute_type: 'transaction_id', attribute_value: msg.transaction_id } },
  { action: 'txn-status', header: { sender_uri: uri('/registry/txn/on-status') } }));
  assert.equal(r.body.message.ack_status, 'ACK');
  const corr = r.body.message.correlation_id;
  const cb = await callback((c) => c.path === '/registry/txn/on-status' && c.body.message?.correlation_id === corr);
  assert.ok(verify(cb.body, jwks));
  assert.equal(cb.body.header.action, 'txn-on-status');
  assert.equal(cb.body.message.transaction_id, 'st-async');
  assert.equal(cb.body.message.txnstatus_response.txn_type, 'search');
});

test('async search refused outside the agreement (403) and malformed messages are ERR', async () => {
  const m = searchMsg([{ ...uinQ(), authorize: { purpose: { code: 'statistics' } } }]);
  const r = await post('/registry/search', envelope('sr-async', m, { header: { sender_uri: uri('/registry/on-search') } }));
  assert.equal(r.status, 403, r.text);
  assert.equal(r.body.errors[0].code, 'err.request.forbidden');
  const e = await post('/ess/search', envelope('sr-async', { transaction_id: 't', search_request: [] }));
  assert.equal(e.body.message.ack_status, 'ERR');
  const u = await post('/ess/search', envelope('sr-async', searchMsg([uinQ()]), { header: { sender_uri: 'ftp://x/y' } }));
  assert.equal(u.body.message.error.code, 'err.sender_uri.invalid');
});

test('operators see failing callbacks (admin API and CLI)', async () => {
  const r = await post('/registry/search', envelope('sr-async', searchMsg([uinQ()]), { header: { sender_uri: uri('/dead/on-search') } }));
  const corr = r.body.message.correlation_id;
  const admin = await s.login('ops.admin', 'correct-horse-42');
  let row;
  for (let i = 0; i < 100 && !row?.last_error; i++) {
    const l = await s.get('/api/v1/partners/transactions?callback_state=pending&client=sr-async', { token: admin });
    assert.equal(l.status, 200, l.text);
    row = l.body.items.find((x) => x.correlation_id === corr);
    await wait(50);
  }
  assert.equal(row.status, 'succ');
  assert.ok(row.callback_attempts >= 1);
  assert.match(row.last_error, /HTTP 500/);
  assert.match(s.cliOk('partner', 'transactions', '--callback-state', 'pending'), new RegExp(corr));
  assert.equal((await s.get('/api/v1/partners/transactions?callback_state=lost', { token: admin })).status, 422);
});

test('a large async result is paged into several callbacks; explicit pagination is one page', async () => {
  const total = Number(sql(s, "SELECT COUNT(*) FROM persons WHERE region_code = 'KR-11'")[0]);
  assert.ok(total > 40, `demo data has ${total} people in KR-11`);
  const crit = { query_type: 'predicate', query: [{ seq_num: 1, expression1: { attribute_name: 'region', operator: 'eq', attribute_value: 'KR-11' } }] };
  const r = await post('/registry/search', envelope('sr-async', searchMsg([crit, uinQ()]), { header: { sender_uri: uri('/paged/on-search') } }));
  const corr = r.body.message.correlation_id;
  const pages = Math.ceil(total / 20);
  for (let t = 0; t < 160 && got.filter((c) => c.body.message?.correlation_id === corr).length < pages; t++) await wait(50);
  const cbs = got.filter((c) => c.body.message?.correlation_id === corr);
  assert.equal(cbs.length, pages);
  const ids = new Set();
  cbs.forEach((cb, k) => {
    assert.ok(verify(cb.body, jwks));
    const item = cb.body.message.search_response.find((x) => x.reference_id === 'ref-1');
    assert.deepEqual(item.pagination, { page_size: 20, page_number: k + 1, total_count: total });
    for (const m of item.data.reg_records) ids.add(m.member_identifier[1].identifier_value);
    // the UIN item (one page) travels in the first callback only
    assert.equal(cb.body.message.search_response.some((x) => x.reference_id === 'ref-2'), k === 0);
    assert.equal(cb.body.header.total_count, k === 0 ? 2 : 1);
  });
  assert.equal(ids.size, total);
  // explicit pagination: exactly that page, one callback
  const one = { ...crit, pagination: { page_size: 5, page_number: 2 } };
  const r2 = await post('/ess/search', envelope('sr-async', searchMsg([one]), { header: { sender_uri: uri('/paged/on-search') } }));
  const cb = await callback((c) => c.body.message?.correlation_id === r2.body.message.correlation_id);
  await wait(300);
  assert.equal(got.filter((c) => c.body.message?.correlation_id === r2.body.message.correlation_id).length, 1);
  assert.deepEqual(cb.body.message.search_response[0].pagination, { page_size: 5, page_number: 2, total_count: total });
});

test('a failed page is retried from that page on: every page arrives exactly once', async () => {
  const total = Number(sql(s, "SELECT COUNT(*) FROM persons WHERE region_code = 'KR-11'")[0]);
  const crit = { query_type: 'predicate', query: [{ seq_num: 1, expression1: { attribute_name: 'region', operator: 'eq', attribute_value: 'KR-11' } }] };
  const r = await post('/registry/search', envelope('sr-async', searchMsg([crit]), { header: { sender_uri: uri('/flaky/on-search') } }));
  const corr = r.body.message.correlation_id;
  const pages = Math.ceil(total / 20);
  // Wait until the server has recorded the last page as delivered (the receiver can see it a moment
  // before the server commits that), then compare what arrived.
  const state = () => sql(s, `SELECT callback_state, callback_attempts, pages_sent FROM dci_transactions WHERE correlation_id = '${corr}'`);
  let l = state();
  for (let t = 0; t < 300 && !(l[0] || '').startsWith('delivered|'); t++) { await wait(50); l = state(); }
  const nums = got.filter((c) => c.body.message?.correlation_id === corr).map((c) => c.body.message.search_response[0].pagination.page_number);
  assert.deepEqual(nums, Array.from({ length: pages }, (_, i) => i + 1));
  assert.deepEqual(l, [`delivered|2|${pages}`]);
});
