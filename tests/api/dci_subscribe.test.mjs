// dci_subscribe.test.mjs - DCI subscriptions (contracts/dci-ess.md "Subscriptions and
// notifications"): subscribe → ACK → signed on-subscribe; employment registrations and
// registration changes → signed notify to the derived URI within a second, only the agreement's
// fields, filtered by UIN or predicate, in order per person and retried; unsubscribe stops them;
// unknown codes → rjct.subscription_code.invalid; scope and purpose refusals; a frequency's cron
// → one digest notify per period.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Server } from './lib.mjs';
import { envelope, token, verify, sql, mid, nowTs } from './dci_helpers.mjs';
import { watchServer, checkCallback, record, assertNoViolations } from './dci_schema.mjs';

const SECRET = 'partner-secret-0123456789';
const INS_SECRET = 'ins-secret-0123456789abcdef';
// demo seed people (src/seed/demo.c)
const KIM = '950314-1042150'; // active registration, KR-11
const LEE = '980722-2031184'; // active registration, KR-11
const PARK = '871103-1053276'; // KR-26
const CHOI = '680530-2044165'; // KR-11
const WILSON = '890418-6012144'; // KR-11, SEOUL-GANGNAM
let s, recv, jwks, tok, ins;
const got = [];
let failNotify = 0;
let failDigest = 0; // failures of /dig/notify only

const wait = (ms) => new Promise((r) => setTimeout(r, ms));
async function callback(pred, ms = 8000) {
  for (let t = 0; t < ms; t += 20) {
    const c = got.find(pred);
    if (c) return c;
    await wait(20);
  }
  throw new Error('no callback arrived; got ' + JSON.stringify(got.map((g) => g.path)));
}
const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);

before(async () => {
  recv = http.createServer((req, res) => {
    let b = '';
    req.on('data', (d) => { b += d; });
    req.on('end', () => {
      const at = Date.now();
      record(checkCallback(req.url, JSON.parse(b))); // every callback body is checked against the OpenAPI schemas
      if ((req.url.endsWith('/notify') && failNotify > 0 && failNotify--) || req.url === '/dead/notify' ||
        (req.url === '/dig/notify' && failDigest > 0 && failDigest--)) {
        res.writeHead(500); res.end('down'); return;
      }
      got.push({ path: req.url, body: JSON.parse(b), at });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: { ack_status: 'ACK', timestamp: new Date().toISOString(), correlation_id: 'x' } }));
    });
  });
  await new Promise((r) => recv.listen(0, '127.0.0.1', r));
  s = watchServer(new Server()); // every DCI reply is checked against the OpenAPI schemas
  s.cliOk('seed', '--demo');
  s.cliOk('client', 'add', '--id', 'sr-sub', '--secret', SECRET, '--scopes', 'registry.subscribe registry.search');
  s.cliOk('client', 'add', '--id', 'sr-nosub', '--secret', SECRET, '--scopes', 'registry.search');
  s.cliOk('client', 'add', '--id', 'ins-agency', '--secret', INS_SECRET, '--scopes', 'insurance.registrations');
  s.cliOk('partner', 'add', '--client', 'sr-sub', '--sig-mode', 'off');
  s.cliOk('partner', 'add', '--client', 'sr-nosub', '--sig-mode', 'off');
  s.cliOk('partner', 'agreement', 'add', '--client', 'sr-sub', '--purposes', 'welfare_referral', '--fields', 'member_identifier employment_status',
    '--attributes', 'UIN region employment_status', '--legal-basis', 'MoU Art. 3', '--valid-from', '2020-01-01');
  await s.start();
  jwks = (await s.get('/.well-known/jwks.json')).body;
  tok = await token(s, 'sr-sub', SECRET);
  ins = await token(s, 'ins-agency', INS_SECRET);
});
after(async () => { await s.stop(); recv.close(); });
afterEach(assertNoViolations);

const uri = (p) => `http://127.0.0.1:${recv.address().port}${p}`;
const post = (path, body, t = tok) => s.post(path, body, { token: t });
const uinFilter = (...uins) => [{ seq_num: 1, expression1: { attribute_name: 'UIN', operator: uins.length > 1 ? 'in' : 'eq', attribute_value: uins.length > 1 ? uins : uins[0] } }];
function subMsg(items, txn = 'sub-txn-' + mid()) {
  return {
    transaction_id: txn,
    subscribe_request: items.map((c, i) => ({ reference_id: `r${i + 1}`, timestamp: nowTs(),
      subscribe_criteria: { reg_type: 'ns:org:RegistryType:ESS', notify_record_type: 'Member', ...c } })),
  };
}

// sync txn/status, asked again until the server has recorded the callback's delivery (it does so
// after the receiver's answer, so right after the callback arrived it may still say "pending")
async function txnStatusDelivered(fam, txnstatus_request) {
  for (let i = 0; ; i++) {
    const st = await post(`${fam}/sync/txn/status`, envelope('sr-sub', { transaction_id: 'st-' + mid(), txnstatus_request }, { action: 'txn-status' }));
    if (st.body.message.txnstatus_response.callback?.state !== 'pending' || i === 100) return st;
    await wait(50);
  }
}

// subscribe; wait for the on-subscribe callback; returns {ack, cb, codes}
async function subscribe(items, { fam = '/registry', base = '/registry', t = tok } = {}) {
  const msg = subMsg(items);
  const r = await post(`${fam}/subscribe`, envelope('sr-sub', msg, { action: 'subscribe', header: { sender_uri: uri(`${base}/on-subscribe`) } }), t);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.message.ack_status, 'ACK', r.text);
  const corr = r.body.message.correlation_id;
  const cb = await callback((c) => c.path === `${base}/on-subscribe` && c.body.message?.correlation_id === corr);
  const codes = cb.body.message.subscribe_response.map((x) => x.subscriptions?.[0]?.code);
  return { msg, corr, cb, codes };
}
async function unsubscribe(codes, fam = '/registry') {
  const msg = { transaction_id: 'unsub-' + mid(), timestamp: nowTs(), subscription_codes: codes };
  const r = await post(`${fam}/unsubscribe`, envelope('sr-sub', msg, { action: 'unsubscribe', header: { sender_uri: uri('/registry/on-unsubscribe') } }));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.message.ack_status, 'ACK', r.text);
  const corr = r.body.message.correlation_id;
  return (await callback((c) => c.path === '/registry/on-unsubscribe' && c.body.message?.correlation_id === corr)).body;
}
async function employment(nid, event = 'start', extra = {}) {
  const r = await s.post('/api/v1/insurance/registrations', { event, national_id: nid, employer_brn: '222-33-44444', employer_name: 'NewCo',
    start_date: day(-20), ...extra }, { token: ins });
  assert.equal(r.status, 201, r.text);
  return r.body;
}
// all domain events of a person processed by the worker
async function settled(personId) {
  for (let i = 0; i < 200; i++) {
    if (sql(s, `SELECT COUNT(*) FROM events WHERE subject = '${personId}' AND status = 'pending'`)[0] === '0') return;
    await wait(25);
  }
  throw new Error('events of ' + personId + ' still pending');
}
const notifies = (code) => got.filter((c) => c.path.endsWith('/notify') && c.body.message?.notify_event?.[0]?.data?.subscription_code === code);

for (const fam of ['/registry', '/ess']) {
  test(`${fam}/subscribe: ACK, then a signed on-subscribe with the subscription code; stored with its notify URI`, async () => {
    const freq = { start_time: '2020-01-01T00:00:00Z', end_time: '2099-12-31T00:00:00Z', frequency: '0 0 * * * ? *' };
    const { msg, cb, codes } = await subscribe([{ reg_event_type: 'registration_changed', filter_type: 'predicate', frequency: freq,
      filter: [{ seq_num: 1, expression1: { attribute_name: 'region', operator: 'eq', attribute_value: `KR-9${fam.length}` } }],
      authorize: { purpose: { code: 'welfare_referral' } } }], { fam });
    assert.ok(verify(cb.body, jwks), 'on-subscribe is signed with our key');
    assert.equal(cb.body.header.action, 'on-subscribe');
    assert.equal(cb.body.header.status, 'succ');
    assert.equal(cb.body.header.sender_id, 'openpes');
    assert.equal(cb.body.header.receiver_id, 'sr-sub');
    assert.equal(cb.body.header.total_count, 1);
    assert.equal(cb.body.message.transaction_id, msg.transaction_id);
    const item = cb.body.message.subscribe_response[0];
    assert.equal(item.reference_id, 'r1');
    assert.equal(item.status, 'succ');
    const sub = item.subscriptions[0];
    assert.match(sub.code, /^sub-[0-9a-f-]{36}$/);
    assert.equal(sub.status, 'subscribe');
    assert.equal(sub.reg_event_type, 'registration_changed');
    assert.deepEqual(sub.frequency, freq);
    const row = sql(s, `SELECT client_id, event_type, purpose, notify_uri, status, frequency FROM dci_subscriptions WHERE code = '${codes[0]}'`);
    assert.deepEqual(row, [`sr-sub|registration_changed|welfare_referral|${uri('/registry/notify')}|subscribe|${JSON.stringify(freq)}`]);
  });
}

test('an employment registration produces one signed notify within a second: code, event type, only agreement fields', async () => {
  const { codes } = await subscribe([{ reg_event_type: 'employment_started', filter: uinFilter(KIM) }]);
  const code = codes[0];
  const other = await employment(LEE); // not in the filter
  const t0 = Date.now();
  const res = await employment(KIM);
  const n = await callback((c) => notifies(code).includes(c), 3000);
  assert.ok(n.at - t0 < 1000, `notify after ${n.at - t0} ms`);
  assert.equal(n.path, '/registry/notify');
  assert.ok(verify(n.body, jwks), 'notify is signed with our key');
  assert.equal(n.body.header.action, 'notify');
  assert.equal(n.body.header.status, 'succ');
  assert.equal(n.body.header.receiver_id, 'sr-sub');
  const ev = n.body.message.notify_event[0];
  assert.equal(typeof n.body.message.transaction_id, 'string');
  assert.match(ev.reference_id, /^evt-\d+$/);
  assert.equal(ev.data.reg_event_type, 'employment_started');
  assert.equal(ev.data.subscription_code, code);
  assert.equal(ev.data.reg_record_type, 'Member');
  const rec = ev.data.reg_records[0];
  assert.deepEqual(Object.keys(rec).sort(), ['@type', 'employment_status', 'member_identifier']);
  assert.equal(rec.employment_status, 'employed'); // the state after the event
  assert.deepEqual(rec.member_identifier.map((m) => m.identifier_type), ['UIN', 'OPENPES']);
  assert.equal(rec.member_identifier[1].identifier_value, res.person_id);
  // audited as the partner, a READ of that person under the agreement, with the notify's correlation id
  const corr = n.body.message.correlation_id;
  let rows = [];
  for (let i = 0; i < 100 && rows.length === 0; i++, await wait(20))
    rows = sql(s, `SELECT actor_id, action, resource_type, person_id, purpose, legal_basis FROM audit_log WHERE correlation_id = '${corr}'`);
  assert.deepEqual(rows, [`sr-sub|READ|person|${res.person_id}|welfare_referral|MoU Art. 3`]);
  // the person outside the filter gave nothing, even once all their events were handled
  await settled(other.person_id);
  await wait(200);
  assert.equal(notifies(code).length, 1);
  assert.equal(sql(s, `SELECT COUNT(*) FROM dci_transactions WHERE action = 'notify' AND request LIKE '%${other.person_id}%'`)[0], '0');
  // no national id in clear in the stored subscription or request
  assert.equal(sql(s, `SELECT COUNT(*) FROM dci_subscriptions WHERE filter LIKE '%1042150%'`)[0], '0');
  assert.equal(sql(s, `SELECT COUNT(*) FROM dci_transactions WHERE action = 'subscribe' AND request LIKE '%1042150%'`)[0], '0');
  // queries and answers are stored sealed (AES-GCM), never as plain JSON
  assert.equal(sql(s, `SELECT COUNT(*) FROM dci_transactions WHERE request NOT LIKE 'v1:%' OR (response IS NOT NULL AND response NOT LIKE 'v1:%')`)[0], '0');
});

test('a claimant\'s benefit suspended by a new job: benefit_status_changed notify with the status after the event', async () => {
  const { codes } = await subscribe([{ reg_event_type: 'benefit_status_changed', filter: uinFilter(WILSON) }]);
  const code = codes[0];
  // insured history, then a claim filed by her counsellor: the claim's start is a status change too
  const f = join(s.dir, 'wilson.jsonl');
  writeFileSync(f, JSON.stringify({ national_id: WILSON, employer_brn: '1234567890', employer_name: 'OldCo', start_date: '2019-01-07',
    end_date: day(-70), daily_contract_hours: 8, monthly_wage: 3100000 }) + '\n');
  s.cliOk('ei', 'import-employment', f);
  const staff = await s.login('counsellor', 'demo-pass-2026');
  const found = await s.post('/api/v1/persons/search', { national_id: WILSON }, { token: staff });
  assert.equal(found.status, 200, found.text);
  const pid = found.body.items[0].id;
  const claim = await s.post('/api/v1/claims', { person_id: pid, separation_reason: 'dismissal', report_date: day(-65), office: 'SEOUL-GANGNAM',
    bank_account: { bank_code: '004', account_number: '123456-01-234567', holder_name: 'Claimant' } },
    { token: staff });
  assert.equal(claim.status, 201, claim.text);
  assert.equal(claim.body.status, 'active');
  const granted = await callback((c) => notifies(code).includes(c), 3000);
  assert.equal(granted.body.message.notify_event[0].data.reg_event_type, 'benefit_status_changed');
  // a job start suspends the benefit at once: one more notify, in order
  const t0 = Date.now();
  const res = await employment(WILSON);
  assert.equal(res.claim_status, 'suspended');
  const n = await callback((c) => notifies(code).length === 2 && notifies(code)[1] === c, 3000);
  assert.ok(n.at - t0 < 1000, `notify after ${n.at - t0} ms`);
  assert.ok(verify(n.body, jwks), 'notify is signed with our key');
  assert.equal(n.body.message.notify_event[0].data.reg_event_type, 'benefit_status_changed');
  assert.ok(granted.at <= n.at, 'in order per person');
  // the agreement allows member_identifier and employment_status only: no benefit detail leaks
  const rec = n.body.message.notify_event[0].data.reg_records[0];
  assert.deepEqual(Object.keys(rec).sort(), ['@type', 'employment_status', 'member_identifier']);
  assert.equal(rec.employment_status, 'employed');
  await settled(pid);
  assert.equal(notifies(code).length, 2, 'the job start gives one benefit notify (its employment_started is another event type)');
});

test('predicate filters see the state after the event; notifications come in order per person, retried after a failure', async () => {
  const { codes } = await subscribe([
    { reg_event_type: 'employment_started', filter_type: 'predicate', filter: [{ seq_num: 1,
      expression1: { attribute_name: 'employment_status', operator: 'eq', attribute_value: 'employed' }, condition: 'and',
      expression2: { attribute_name: 'UIN', operator: 'in', attribute_value: [CHOI, PARK] } }] },
    { reg_event_type: 'employment_ended', filter_type: 'idtype-value', filter: { type: 'UIN', value: CHOI } },
    { reg_event_type: 'employment_started', filter: [{ seq_num: 1, expression1: { attribute_name: 'employment_status', operator: 'eq', attribute_value: 'unemployed' } }] },
  ], { base: '/cb2' });
  assert.equal(codes.length, 3);
  failNotify = 1; // the first notify fails once: the second must wait for it
  await employment(CHOI);
  await employment(CHOI, 'end', { end_date: day(-2) });
  const ended = await callback((c) => notifies(codes[1]).includes(c), 15000);
  const started = notifies(codes[0]);
  assert.equal(started.length, 1);
  assert.equal(started[0].path, '/cb2/notify');
  assert.ok(started[0].at <= ended.at, 'employment_started before employment_ended');
  assert.equal(ended.body.message.notify_event[0].data.reg_event_type, 'employment_ended');
  const row = sql(s, `SELECT callback_state, callback_attempts FROM dci_transactions WHERE correlation_id = '${started[0].body.message.correlation_id}'`);
  assert.deepEqual(row, ['delivered|2']);
  assert.equal(notifies(codes[2]).length, 0, 'employed after the event: "unemployed" does not match');
});

test('unsubscribe stops notifications; unknown codes are rjct.subscription_code.invalid, never 404', async () => {
  const { codes } = await subscribe([
    { reg_event_type: 'employment_started', filter: uinFilter(PARK) },
    { reg_event_type: 'registration_changed', filter: uinFilter(PARK, KIM) },
  ]);
  const cb = await unsubscribe([codes[0]]);
  assert.ok(verify(cb, jwks));
  assert.equal(cb.header.action, 'on-unsubscribe');
  assert.equal(cb.header.status, 'succ');
  assert.equal(cb.message.status, 'succ');
  assert.deepEqual(cb.message.subscription_status, [{ code: codes[0], status: 'unsubscribe' }]);
  const res = await employment(PARK);
  await settled(res.person_id);
  const kept = await callback((c) => notifies(codes[1]).includes(c)); // the other subscription still works
  assert.equal(kept.body.message.notify_event[0].data.reg_event_type, 'registration_changed');
  await wait(300);
  assert.equal(notifies(codes[0]).length, 0, 'no notify after unsubscribe');
  // unknown code (and one of ours already gone): ACK, then rjct
  for (const fam of ['/registry', '/ess']) {
    const u = await unsubscribe(['sub-no-such-code', codes[0]], fam);
    assert.equal(u.header.action, 'on-unsubscribe');
    assert.equal(u.message.status, 'rjct');
    assert.equal(u.message.status_reason_code, 'rjct.subscription_code.invalid');
    assert.deepEqual(u.message.subscription_status.map((x) => x.code), [codes[0]], 'the unknown code is omitted');
  }
  const again = await unsubscribe([codes[0]]);
  assert.equal(again.message.status_reason_code, 'rjct.event.already_unsubscribed');
  // txn status of the subscription request
  const st = await txnStatusDelivered('/registry', { reference_id: 'q', txn_type: 'unsubscribe', attribute_type: 'correlation_id',
    attribute_value: again.message.correlation_id });
  assert.equal(st.body.message.txnstatus_response.status, 'rjct');
  assert.equal(st.body.message.txnstatus_response.callback.state, 'delivered');
  const bad = await post('/registry/unsubscribe', envelope('sr-sub', { transaction_id: 't', subscription_codes: [] }, { action: 'unsubscribe' }));
  assert.equal(bad.body.message.error.code, 'err.request.bad');
});

test('txn/status shows a subscribe transaction by its transaction id', async () => {
  const { msg, corr } = await subscribe([{ reg_event_type: 'employment_ended', filter: uinFilter(LEE) }]);
  const st = await txnStatusDelivered('/ess', { reference_id: 'q', txn_type: 'subscribe', attribute_type: 'transaction_id',
    attribute_value: msg.transaction_id });
  const tr = st.body.message.txnstatus_response;
  assert.equal(tr.status, 'succ');
  assert.equal(tr.txn_status.correlation_id, corr);
  assert.equal(tr.txn_status.subscribe_response[0].status, 'succ');
  assert.equal(tr.callback.state, 'delivered');
});

test('refusals: missing scope 403, purpose outside the agreement 403, item rejections in on-subscribe', async () => {
  const nosub = await token(s, 'sr-nosub', SECRET);
  const r = await s.post('/registry/subscribe', envelope('sr-nosub', subMsg([{ reg_event_type: 'employment_started', filter: uinFilter(KIM) }]),
    { action: 'subscribe' }), { token: nosub });
  assert.equal(r.status, 403, r.text);
  assert.equal(r.body.errors[0].code, 'err.request.forbidden');
  assert.equal(r.body.message.error.code, 'err.request.forbidden');
  assert.match(r.body.message.error.message, /registry\.subscribe/);
  const u = await s.post('/ess/unsubscribe', envelope('sr-nosub', { transaction_id: 't', subscription_codes: ['x'] }, { action: 'unsubscribe' }), { token: nosub });
  assert.equal(u.status, 403);
  const p = await post('/registry/subscribe', envelope('sr-sub', subMsg([{ reg_event_type: 'employment_started', filter: uinFilter(KIM),
    authorize: { purpose: { code: 'statistics' } } }]), { action: 'subscribe', header: { sender_uri: uri('/registry/on-subscribe') } }));
  assert.equal(p.status, 403, p.text);
  assert.equal(p.body.errors[0].code, 'err.request.forbidden');
  const wrongAction = await post('/registry/subscribe', envelope('sr-sub', subMsg([{ reg_event_type: 'employment_started', filter: uinFilter(KIM) }])));
  assert.equal(wrongAction.body.message.error.code, 'err.request.bad');
  const { cb } = await subscribe([
    { reg_event_type: 'birth', filter: uinFilter(KIM) },
    { reg_event_type: 'employment_started', filter: uinFilter('123') },
    { reg_event_type: 'employment_started', filter: [{ seq_num: 1, expression1: { attribute_name: 'education_level', operator: 'eq', attribute_value: 'x' } }] },
    { reg_event_type: 'employment_started', filter: uinFilter(LEE) },
    { reg_event_type: 'employment_started', filter: uinFilter(LEE) },
  ]);
  const items = cb.body.message.subscribe_response;
  assert.deepEqual(items.map((x) => x.status), ['rjct', 'rjct', 'rjct', 'succ', 'rjct']);
  assert.deepEqual(items.map((x) => x.status_reason_code), ['rjct.notify_types.invalid', 'rjct.person_id.invalid',
    'rjct.notify_details.invalid', undefined, 'rjct.event.already_subscribed']);
  assert.equal(items[4].subscriptions[0].code, items[3].subscriptions[0].code);
  assert.equal(cb.body.header.status, 'succ');
  assert.equal(cb.body.header.completed_count, 1);
});

test('a failing notify endpoint is visible to operators', async () => {
  const { codes } = await subscribe([{ reg_event_type: 'employment_ended', filter: uinFilter(KIM) }], { base: '/dead' });
  await employment(KIM, 'end', { end_date: day(-1) });
  let row = [];
  for (let i = 0; i < 150 && !(row[0] || '').includes('HTTP 500'); i++, await wait(20))
    row = sql(s, `SELECT callback_state, sender_uri, last_error FROM dci_transactions WHERE action = 'notify' AND sender_uri = '${uri('/dead/notify')}'`);
  assert.deepEqual(row, [`pending|${uri('/dead/notify')}|callback answered HTTP 500`]);
  assert.match(s.cliOk('partner', 'transactions', '--client', 'sr-sub', '--callback-state', 'pending'), /notify/);
});

test('a frequency with a cron asks for a digest: one signed notify per period, its events in order, audited, retried', async () => {
  // Quartz form with seconds: a period ends every 10 s
  const P = 10000;
  const freq = { start_time: '2020-01-01T00:00:00Z', end_time: '2099-12-31T00:00:00Z', frequency: '*/10 * * * * ?' };
  const { codes, cb } = await subscribe([
    { reg_event_type: 'employment_started', filter: uinFilter(KIM, LEE), frequency: freq },
    { reg_event_type: 'employment_started', filter: uinFilter(KIM), frequency: { ...freq, frequency: '0 0 0 L * ?' } },
    { reg_event_type: 'employment_started', filter: uinFilter(KIM), frequency: { ...freq, frequency: '0 0 0 1 1 ? 2020' } },
  ], { base: '/dig' });
  assert.deepEqual(cb.body.message.subscribe_response.map((x) => x.status_reason_code), [undefined, 'rjct.notify_details.invalid', 'rjct.notify_details.invalid']);
  assert.match(cb.body.message.subscribe_response[1].status_reason_message, /L, W and # are not supported/);
  assert.match(cb.body.message.subscribe_response[2].status_reason_message, /never fires again/);
  const code = codes[0];
  while (Date.now() % P < 200 || Date.now() % P > 1500) await wait(20); // just after a period began
  const periodEnd = Math.ceil(Date.now() / P) * P;
  failDigest = 1; // the digest's first delivery fails: it is retried
  const a = await employment(KIM, 'start', { employer_brn: '333-44-55555', employer_name: 'DigestCo', start_date: day(-3) });
  const b = await employment(LEE, 'start', { employer_brn: '333-44-55555', employer_name: 'DigestCo', start_date: day(-3) });
  await settled(a.person_id);
  await settled(b.person_id);
  assert.ok(Date.now() < periodEnd - 300, 'the events were handled within the period');
  assert.equal(notifies(code).length, 0, 'nothing before the period ends');
  const n = await callback((c) => notifies(code).includes(c), 20000);
  assert.ok(n.at >= periodEnd, `the digest came ${periodEnd - n.at} ms before its period ended`);
  assert.equal(n.path, '/dig/notify');
  assert.ok(verify(n.body, jwks), 'the digest is signed with our key');
  assert.equal(n.body.header.action, 'notify');
  assert.equal(n.body.header.total_count, 2);
  const evs = n.body.message.notify_event;
  assert.equal(evs.length, 2, 'both events in one notify');
  const ids = evs.map((e) => Number(e.reference_id.slice(4)));
  assert.ok(ids[0] < ids[1], 'in event order');
  assert.ok(evs.every((e) => e.data.subscription_code === code && e.data.reg_event_type === 'employment_started'));
  assert.deepEqual(evs.map((e) => e.data.reg_records[0].member_identifier[1].identifier_value), [a.person_id, b.person_id]);
  await wait(300);
  assert.equal(notifies(code).length, 1, 'one notify for the period (the failed attempt is not counted)');
  // the audit rows of both disclosures carry the digest's correlation id
  const corr = n.body.message.correlation_id;
  const rows = sql(s, `SELECT actor_id, action, person_id FROM audit_log WHERE correlation_id = '${corr}' ORDER BY person_id`);
  assert.deepEqual(rows, [`sr-sub|READ|${a.person_id}`, `sr-sub|READ|${b.person_id}`].sort());
  let row = [];
  for (let i = 0; i < 100 && row[0] !== 'delivered|2|closed|0'; i++, await wait(20))
    row = sql(s, `SELECT t.callback_state, t.callback_attempts, d.state, (SELECT COUNT(*) FROM dci_digest_items WHERE correlation_id = d.correlation_id)
      FROM dci_transactions t JOIN dci_digests d ON d.correlation_id = t.correlation_id WHERE t.correlation_id = '${corr}'`);
  assert.deepEqual(row, ['delivered|2|closed|0'], 'delivered on the second attempt; the waiting items are gone');
  assert.equal(sql(s, `SELECT COUNT(*) FROM dci_transactions WHERE (request NOT LIKE 'v1:%' OR response NOT LIKE 'v1:%') AND correlation_id = '${corr}'`)[0], '0');
  // the next period: a later event makes a second digest, after that period's end
  const c2 = await employment(KIM, 'start', { employer_brn: '444-55-66666', employer_name: 'LaterCo', start_date: day(-2) });
  await settled(c2.person_id);
  const n2 = await callback((c) => notifies(code).length === 2 && notifies(code)[1] === c, 20000);
  assert.equal(n2.body.message.notify_event.length, 1);
  assert.notEqual(n2.body.message.correlation_id, corr);
  assert.ok(n2.at % P < P / 2, 'delivered soon after a period ended');
});
