// dci_schema.test.mjs - the OpenAPI validator the DCI tests use (dci_schema.mjs): it must refuse
// what the specs refuse, and each spec-defect patch must change exactly what it says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkResponse, checkCallback, checkRequest, specPath, PATCHES } from './dci_schema.mjs';

const TS = '2026-01-01T10:00:00Z';
const ack = (extra = {}) => ({ message: { ack_status: 'ACK', timestamp: TS, correlation_id: 'c-1', ...extra } });
const err = { message: { ack_status: 'ERR', timestamp: TS, correlation_id: 'c-1', error: { code: 'err.request.bad', message: 'x' } } };
const cbHeader = (action, extra = {}) => ({ version: '1.0.0', message_id: 'm-1', message_ts: TS, action, status: 'succ',
  total_count: 1, completed_count: 1, sender_id: 'openpes', receiver_id: 'sr1', ...extra });
const searchResponse = (records) => ({ transaction_id: 't-1', correlation_id: 'c-1', search_response: [{ reference_id: 'r-1', timestamp: TS,
  status: 'succ', data: { version: '1.0.0', reg_type: 'ns:org:RegistryType:ESS', reg_record_type: 'Member', reg_records: records } }] });
const has = (errs, re) => errs.some((e) => re.test(e));

test('paths of both families map to the spec; other paths are not checked', () => {
  assert.deepEqual(specPath('/ess/sync/search'), ['core', '/registry/sync/search']);
  assert.deepEqual(specPath('/registry/sync/check-enrollment'), ['ibr', '/registry/sync/enrolled']);
  assert.deepEqual(specPath('/ess/txn/status'), ['core', '/registry/txn/status']);
  assert.equal(specPath('/registry/partner-info'), undefined);
  assert.equal(specPath('/api/v1/persons'), undefined);
  assert.deepEqual(checkResponse('/api/v1/persons', 200, {}), []);
});

test('ACK and ERR replies: the Response schema with its required fields and enums', () => {
  assert.deepEqual(checkResponse('/registry/search', 200, ack()), []);
  assert.deepEqual(checkResponse('/ess/subscribe', 200, err), []);
  assert.ok(has(checkResponse('/registry/search', 200, { message: { ack_status: 'ACK', timestamp: TS } }), /correlation_id/));
  assert.ok(has(checkResponse('/registry/search', 200, ack({ ack_status: 'OK' })), /allowed values/));
  assert.ok(has(checkResponse('/registry/search', 200, ack({ timestamp: '2026-01-01T10:00:00' })), /date-time/), 'a timestamp needs its zone');
  assert.ok(has(checkResponse('/registry/search', 200, ack({ correlation_id: 'c'.repeat(100) })), /99/));
  assert.ok(has(checkResponse('/registry/search', 200, { message: { ...err.message, error: { code: 'err.server' } } }), /allowed values/));
  // 401/403 use HttpErrorResponse (the spec gives errors no type, only its items)
  assert.deepEqual(checkResponse('/registry/sync/search', 401, { errors: [{ code: 'err.request.unauthorized', message: 'x' }] }), []);
  assert.ok(has(checkResponse('/registry/sync/search', 403, { errors: [{ code: 403 }] }), /string/));
  assert.ok(checkResponse('/registry/search', 200, undefined).length > 0, 'a body that is not JSON');
});

test('sync search: the on-search envelope (callback header, action on-search), or an ERR reply (patch sync-err-reply)', () => {
  const body = { signature: 's', header: cbHeader('on-search'), message: searchResponse([{ '@type': 'spdci:Member' }]) };
  assert.deepEqual(checkResponse('/registry/sync/search', 200, body), []);
  assert.ok(checkResponse('/registry/sync/search', 200, { ...body, header: cbHeader('search') }).length > 0, 'action must be on-search');
  assert.ok(checkResponse('/registry/sync/search', 200, { ...body, header: cbHeader('on-search', { status: 'ok' }) }).length > 0);
  assert.ok(checkResponse('/registry/sync/search', 200, { ...body, header: cbHeader('on-search', { total_count: '1' }) }).length > 0);
  assert.deepEqual(checkResponse('/registry/sync/search', 200, err), []);
  assert.ok(checkResponse('/registry/sync/search', 200, ack()).length > 0, 'an ACK is no answer to a sync search');
});

test('reg_records is an array of records (patch reg-records-array)', () => {
  const h = cbHeader('on-search');
  assert.deepEqual(checkCallback('http://x/registry/on-search', { header: h, message: searchResponse([]) }), []);
  assert.ok(has(checkCallback('http://x/registry/on-search', { header: h, message: searchResponse({ '@type': 'spdci:Member' }) }), /array/));
  assert.ok(has(checkCallback('http://x/registry/on-search', { header: h, message: searchResponse(['x']) }), /object/));
});

test('callbacks: on-subscribe needs the request header fields; SubscriptionInfo and UnSubscribeResponse as patched', () => {
  const sub = { transaction_id: 't', correlation_id: 'c', subscribe_response: [{ reference_id: 'r', timestamp: TS, status: 'succ',
    subscriptions: [{ code: 'sub-1', status: 'subscribe', timestamp: TS }] }] };
  assert.deepEqual(checkCallback('http://x/a/on-subscribe', { header: cbHeader('on-subscribe'), message: sub }), []);
  const noSender = cbHeader('on-subscribe');
  delete noSender.sender_id;
  assert.ok(has(checkCallback('http://x/a/on-subscribe', { header: noSender, message: sub }), /sender_id/));
  const noCode = structuredClone(sub);
  delete noCode.subscribe_response[0].subscriptions[0].code;
  assert.ok(has(checkCallback('http://x/a/on-subscribe', { header: cbHeader('on-subscribe'), message: noCode }), /code/));
  const unsub = { transaction_id: 't', correlation_id: 'c', timestamp: TS, status: 'succ', subscription_status: [{ code: 'sub-1', status: 'unsubscribe' }] };
  assert.deepEqual(checkCallback('http://x/a/on-unsubscribe', { header: cbHeader('on-unsubscribe'), message: unsub }), []);
  const { timestamp, ...noTs } = unsub;
  assert.ok(timestamp && has(checkCallback('http://x/a/on-unsubscribe', { header: cbHeader('on-unsubscribe'), message: noTs }), /timestamp/));
  assert.ok(has(checkCallback('http://x/a/on-unsubscribe', { header: cbHeader('on-unsubscribe'),
    message: { ...unsub, timestamp: 'yesterday' } }), /date-time/), 'the patched timestamp keeps its format');
});

test('notify, txn/on-status; unknown callback paths are refused', () => {
  const notify = { transaction_id: 't', notify_event: [{ reference_id: 'evt-1', timestamp: TS,
    data: { reg_record_type: 'Member', reg_records: [{ '@type': 'spdci:Member' }] } }] };
  assert.deepEqual(checkCallback('http://x/registry/notify', { header: cbHeader('notify'), message: notify }), []);
  assert.ok(checkCallback('http://x/registry/notify', { header: cbHeader('notify'), message: { transaction_id: 't' } }).length > 0);
  const st = { transaction_id: 't', correlation_id: 'c', txnstatus_response: { txn_type: 'search', txn_status: searchResponse([]) } };
  assert.deepEqual(checkCallback('http://x/registry/txn/on-status', { header: cbHeader('txn-on-status'), message: st }), []);
  const noStatus = { ...st, txnstatus_response: { txn_type: 'search' } };
  assert.ok(has(checkCallback('http://x/registry/txn/on-status', { header: cbHeader('txn-on-status'), message: noStatus }), /txn_status/));
  const badType = { ...st, txnstatus_response: { txn_type: 'receipt', txn_status: searchResponse([]) } };
  assert.ok(checkCallback('http://x/registry/txn/on-status', { header: cbHeader('txn-on-status'), message: badType }).length > 0);
  assert.ok(checkCallback('http://x/registry/whatever', {}).length > 0);
});

test('enrollment check: the envelope (patch enrolled-envelope) with CD.EMP.03 statuses (patch enrolled-status-codes)', () => {
  const item = (s) => ({ reference_id: 'e1', timestamp: TS, status: 'succ', enrolled_status: s });
  const body = (s) => ({ signature: 's', header: cbHeader('on-search'), message: { transaction_id: 't', correlation_id: 'c', enrolled_response: [item(s)] } });
  for (const s of ['Active', 'Awaiting Renewal', 'yes']) assert.deepEqual(checkResponse('/ess/sync/check-enrollment', 200, body(s)), [], s);
  assert.ok(checkResponse('/registry/sync/enrolled', 200, body('Maybe')).length > 0);
  const missing = body('Active');
  delete missing.message.enrolled_response[0].enrolled_status;
  assert.ok(checkResponse('/registry/sync/enrolled', 200, missing).length > 0);
  assert.deepEqual(checkResponse('/registry/sync/enrolled', 200, err), []);
});

test('requests our client sends: MsgHeader and SearchRequest', () => {
  const header = { version: '1.0.0', message_id: 'm', message_ts: TS, action: 'search', sender_id: 'openpes', total_count: 1 };
  const message = { transaction_id: 't', search_request: [{ reference_id: 'r', timestamp: TS,
    search_criteria: { query_type: 'idtype-value', query: { type: 'UIN', value: '9503141042150' } } }] };
  assert.deepEqual(checkRequest('/registry/sync/search', { header, message }), []);
  const { sender_id, ...noSender } = header;
  assert.ok(sender_id && has(checkRequest('/registry/sync/search', { header: noSender, message }), /sender_id/));
  assert.ok(checkRequest('/registry/search', { header: { ...header, sender_uri: 'not a uri' }, message }).length > 0);
});

test('every patch names its source and what it changes', () => {
  assert.ok(PATCHES.length >= 8);
  for (const p of PATCHES) {
    assert.match(p.id, /^[a-z0-9-]+$/);
    assert.match(p.source, /DCI-DIGEST|contract/);
    assert.ok(p.what.length > 20);
  }
  assert.equal(new Set(PATCHES.map((p) => p.id)).size, PATCHES.length);
});
