// dci.test.mjs - OpenPES as a DCI employment registry (contracts/dci-ess.md): partners and
// agreements, sync search on both path families, every envelope error class, signatures,
// replay, agreement field masks and purposes, enrollment checks.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Server } from './lib.mjs';
import { envelope, searchMsg, token, keypair, verify, sql, sign, mid, nowTs } from './dci_helpers.mjs';
import { watchServer, assertNoViolations } from './dci_schema.mjs';

const SECRET = 'partner-secret-0123456789';
const PW = 'correct-horse-42';
const UIN = '950314-1042150'; // demo seed: 김민준, active registration at SEOUL-GANGNAM, KR-11
const FULL_FIELDS = 'member_identifier demographic_info employment_status occupation education_level unemployment_reason employment_info registration_date last_updated additional_attributes';
const ALL_ATTRS = 'UIN OPENPES employment_status occupation education_level registration_date demographic_info.birth_date demographic_info.sex region benefit_status';
const FAMILIES = ['/registry', '/ess'];
let s, jwks, key, tok = {};

const ok = (r) => { assert.equal(r.status, 200, r.text); assert.match(r.headers.get('content-type'), /application\/json/); return r.body; };
function assertErr(r, code, re) {
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.message.ack_status, 'ERR', r.text);
  assert.equal(typeof r.body.message.correlation_id, 'string');
  assert.equal(typeof r.body.message.timestamp, 'string');
  assert.equal(r.body.message.error.code, code, r.text);
  if (re) assert.match(r.body.message.error.message, re);
}
function assertHttp(r, status, code) {
  assert.equal(r.status, status, r.text);
  assert.match(r.headers.get('content-type'), /application\/json/);
  assert.equal(r.body.errors[0].code, code, r.text);
  assert.equal(r.body.message.ack_status, 'ERR');
  assert.equal(r.body.message.error.code, code);
}
const post = (path, body, t) => s.post(path, body, { token: t });
const search = (path, client, criteria, opts = {}) =>
  post(path, envelope(client, searchMsg(criteria), { key: client === 'sr-full' ? key : undefined, ...opts }), tok[client]);
const uinQ = (v = UIN, extra = {}) => ({ reg_type: 'ns:org:RegistryType:ESS', query_type: 'idtype-value', query: { type: 'UIN', value: v }, ...extra });

before(async () => {
  s = watchServer(new Server()); // every DCI reply is checked against the OpenAPI schemas
  s.cliOk('seed', '--demo');
  key = keypair('k1');
  const jf = join(s.dir, 'sr-full.jwks.json');
  writeFileSync(jf, JSON.stringify(key.jwks));
  const clients = { 'sr-full': 'registry.search registry.enrollment', 'sr-min': 'registry.search registry.enrollment',
    'sr-exp': 'registry.search registry.enrollment', 'sr-noscope': 'registry.subscribe', 'sr-stranger': 'registry.search' };
  for (const [id, scopes] of Object.entries(clients)) s.cliOk('client', 'add', '--id', id, '--secret', SECRET, '--scopes', scopes);
  s.cliOk('partner', 'add', '--client', 'sr-full', '--name', 'Social registry', '--sig-mode', 'required', '--jwks', jf);
  s.cliOk('partner', 'agreement', 'add', '--client', 'sr-full', '--purposes', 'welfare_referral benefit_administration',
    '--fields', FULL_FIELDS, '--attributes', ALL_ATTRS, '--legal-basis', 'Social Security Benefits Act Art. 5', '--valid-from', '2020-01-01');
  s.cliOk('partner', 'add', '--client', 'sr-min', '--sig-mode', 'off');
  s.cliOk('partner', 'agreement', 'add', '--client', 'sr-min', '--purposes', 'statistics welfare_referral',
    '--fields', 'employment_status demographic_info.name', '--attributes', 'UIN employment_status region',
    '--legal-basis', 'Statistics Act Art. 33', '--valid-from', '2020-01-01');
  s.cliOk('partner', 'add', '--client', 'sr-exp', '--sig-mode', 'optional');
  s.cliOk('partner', 'agreement', 'add', '--client', 'sr-exp', '--purposes', 'welfare_referral', '--fields', 'employment_status',
    '--attributes', 'UIN', '--legal-basis', 'old MoU', '--valid-from', '2020-01-01', '--valid-to', '2020-12-31');
  s.cliOk('partner', 'add', '--client', 'sr-noscope', '--sig-mode', 'off');
  await s.start();
  jwks = (await s.get('/.well-known/jwks.json')).body;
  for (const id of Object.keys(clients)) tok[id] = await token(s, id, SECRET);
});
after(async () => { await s.stop(); });
afterEach(assertNoViolations);

test('CLI lists partners, refuses unknown clients and bad agreements', () => {
  const list = JSON.parse(s.cliOk('partner', 'list'));
  const full = list.items.find((p) => p.client_id === 'sr-full');
  assert.deepEqual(full.keys, ['k1']);
  assert.equal(full.sig_mode, 'required');
  assert.equal(full.agreements[0].legal_basis, 'Social Security Benefits Act Art. 5');
  let r = s.cli('partner', 'add', '--client', 'nobody');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /does not exist/);
  r = s.cli('partner', 'agreement', 'add', '--client', 'sr-min', '--purposes', 'x', '--fields', 'salary', '--attributes', '',
    '--legal-basis', 'x', '--valid-from', '2020-01-01');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /salary/);
});

test('our JWKS is published (OKP/Ed25519)', () => {
  assert.equal(jwks.keys.length, 1);
  assert.equal(jwks.keys[0].kty, 'OKP');
  assert.equal(jwks.keys[0].crv, 'Ed25519');
  assert.match(jwks.keys[0].x, /^[A-Za-z0-9_-]{43}$/);
});

for (const fam of FAMILIES) {
  test(`${fam}/sync/search by UIN: signed on-search reply with a full Member`, async () => {
    const b = ok(await search(`${fam}/sync/search`, 'sr-full', [uinQ()]));
    assert.ok(verify(b, jwks), 'reply signature verifies with our JWKS');
    assert.equal(b.header.action, 'on-search');
    assert.equal(b.header.status, 'succ');
    assert.equal(b.header.completed_count, 1);
    assert.equal(b.header.receiver_id, 'sr-full');
    const it = b.message.search_response[0];
    assert.equal(it.status, 'succ');
    assert.equal(it.reference_id, 'ref-1');
    assert.equal(it.data.reg_record_type, 'Member');
    assert.deepEqual(it.pagination, { page_size: 20, page_number: 1, total_count: 1 });
    const m = it.data.reg_records[0];
    assert.equal(m['@type'], 'spdci:Member');
    assert.deepEqual(m.member_identifier[0], { identifier_type: 'UIN', identifier_value: '9503141042150' });
    assert.equal(m.member_identifier[1].identifier_type, 'OPENPES');
    assert.equal(m.demographic_info.name.surname, '김');
    assert.equal(m.employment_status, 'unemployed');
    assert.equal(m.additional_attributes.region, 'KR-11');
    assert.ok(m.registration_date);
    assert.equal(b.message.correlation_id.length > 0, true);
  });
}

test('UIN not found and OPENPES id queries', async () => {
  let b = ok(await search('/registry/sync/search', 'sr-full', [uinQ('900101-1234568'), uinQ('not-a-number')]));
  assert.deepEqual(b.message.search_response.map((x) => x.data.reg_records.length), [0, 0]);
  const id = sql(s, "SELECT id FROM persons ORDER BY id LIMIT 1")[0];
  b = ok(await search('/ess/sync/search', 'sr-full', [{ query_type: 'idtype-value', query: { type: 'OPENPES', value: id } }]));
  assert.equal(b.message.search_response[0].data.reg_records[0].member_identifier[1].identifier_value, id);
});

test('predicate: and/or/not, in, pagination and sorting', async () => {
  const busan = Number(sql(s, "SELECT COUNT(*) FROM persons WHERE region_code = 'KR-26'")[0]);
  const q = (query, extra = {}) => ({ query_type: 'predicate', query, ...extra });
  const p1 = { seq_num: 1, expression1: { attribute_name: 'region', operator: 'eq', attribute_value: 'KR-26' } };
  let b = ok(await search('/registry/sync/search', 'sr-full', [q([p1], { pagination: { page_size: 2, page_number: 1 } })]));
  let it = b.message.search_response[0];
  assert.equal(it.pagination.total_count, busan);
  assert.equal(it.data.reg_records.length, Math.min(2, busan));
  // in (JSON array) + and + sort desc by birth date, page 2 continues page 1
  const inq = [{ seq_num: 1, expression1: { attribute_name: 'region', operator: 'in', attribute_value: ['KR-26', 'KR-28'] },
    condition: 'and', expression2: { attribute_name: 'employment_status', operator: 'eq', attribute_value: 'unemployed' } }];
  const sort = [{ attribute_name: 'demographic_info.birth_date', sort_order: 'desc' }];
  const pages = [];
  for (const page_number of [1, 2]) {
    b = ok(await search('/ess/sync/search', 'sr-full', [q(inq, { sort, pagination: { page_size: 3, page_number } })]));
    pages.push(...b.message.search_response[0].data.reg_records);
  }
  const total = b.message.search_response[0].pagination.total_count;
  assert.equal(pages.length, Math.min(6, total));
  for (const m of pages) {
    assert.ok(['KR-26', 'KR-28'].includes(m.additional_attributes.region));
    assert.equal(m.employment_status, 'unemployed');
  }
  const dates = pages.map((m) => m.demographic_info.birth_date);
  assert.deepEqual(dates, [...dates].sort().reverse());
  assert.equal(new Set(pages.map((m) => m.member_identifier[1].identifier_value)).size, pages.length);
  // not: region KR-11 and not unemployed
  const notq = [{ seq_num: 1, expression1: { attribute_name: 'region', operator: 'eq', attribute_value: 'KR-11' }, condition: 'not',
    expression2: { attribute_name: 'employment_status', operator: 'eq', attribute_value: 'unemployed' } }];
  b = ok(await search('/registry/sync/search', 'sr-full', [q(notq, { pagination: { page_size: 100 } })]));
  for (const m of b.message.search_response[0].data.reg_records) {
    assert.equal(m.additional_attributes.region, 'KR-11');
    assert.notEqual(m.employment_status, 'unemployed');
  }
});

test('expression ($and, $in, $eq, $not) gives the same people as the predicate form', async () => {
  const expr = { type: 'ns:org:QueryType:expression', value: { collection: 'Member', expression: { $and: [
    { region: { $in: ['KR-26', 'KR-28'] } }, { employment_status: { $eq: 'unemployed' } }] } } };
  const pred = [{ seq_num: 1, expression1: { attribute_name: 'region', operator: 'in', attribute_value: ['KR-26', 'KR-28'] },
    condition: 'and', expression2: { attribute_name: 'employment_status', operator: 'eq', attribute_value: 'unemployed' } }];
  const pg = { pagination: { page_size: 100, page_number: 1 } };
  const b = ok(await search('/registry/sync/search', 'sr-full', [{ query_type: 'expression', query: expr, ...pg }, { query_type: 'predicate', query: pred, ...pg }]));
  const ids = (i) => b.message.search_response[i].data.reg_records.map((m) => m.member_identifier[1].identifier_value);
  assert.ok(ids(0).length > 0);
  assert.deepEqual(ids(0), ids(1));
  const neg = { type: 'ns:org:QueryType:expression', value: { expression: { $not: { region: 'KR-11' } } } };
  const c = ok(await search('/registry/sync/search', 'sr-full', [{ query_type: 'expression', query: neg, ...pg }]));
  for (const m of c.message.search_response[0].data.reg_records) assert.notEqual(m.additional_attributes.region, 'KR-11');
});

test('item-level rejections; other items still answered; header rjct when all are rejected', async () => {
  const bad = [
    [{ query_type: 'predicate', query: [{ seq_num: 1, expression1: { attribute_name: 'salary', operator: 'eq', attribute_value: 1 } }] }, 'rjct.filter.invalid'],
    [{ query_type: 'predicate', query: [{ seq_num: 1, expression1: { attribute_name: 'region', operator: 'like', attribute_value: 'KR' } }] }, 'rjct.filter.invalid'],
    [{ query_type: 'expression', query: { type: 'ns:org:QueryType:expression', value: { expression: { region: { $regex: 'KR' } } } } }, 'rjct.filter.invalid'],
    [uinQ(UIN, { sort: [{ attribute_name: 'region', sort_order: 'asc' }] }), 'rjct.sort.invalid'],
    [uinQ(UIN, { pagination: { page_size: 'ten' } }), 'rjct.pagination.invalid'],
    [{ query_type: 'graphql', query: '{}' }, 'rjct.search_criteria.invalid'],
  ];
  const b = ok(await search('/registry/sync/search', 'sr-full', [...bad.map((x) => x[0]), uinQ()]));
  const items = b.message.search_response;
  bad.forEach(([, code], i) => { assert.equal(items[i].status, 'rjct'); assert.equal(items[i].status_reason_code, code, JSON.stringify(items[i])); });
  assert.equal(items.at(-1).status, 'succ');
  assert.equal(b.header.completed_count, 1);
  assert.equal(b.header.total_count, bad.length + 1);
  const all = ok(await search('/registry/sync/search', 'sr-full', [bad[0][0]]));
  assert.equal(all.header.status, 'rjct');
  assert.equal(all.header.completed_count, 0);
});

test('agreement: field mask, query attributes, purposes, expiry', async () => {
  // sr-min sees only employment_status and the name
  let b = ok(await search('/ess/sync/search', 'sr-min', [uinQ()]));
  const m = b.message.search_response[0].data.reg_records[0];
  assert.deepEqual(Object.keys(m).sort(), ['@type', 'demographic_info', 'employment_status']);
  assert.deepEqual(Object.keys(m.demographic_info), ['name']);
  // querying by an attribute outside the agreement: item rejected
  b = ok(await search('/ess/sync/search', 'sr-min', [{ query_type: 'predicate', query: [{ seq_num: 1, expression1: { attribute_name: 'occupation', operator: 'eq', attribute_value: '2512' } }] }]));
  assert.equal(b.message.search_response[0].status_reason_code, 'rjct.search_criteria.invalid');
  assert.match(b.message.search_response[0].status_reason_message, /does not allow querying by "occupation"/);
  // declared purpose outside the agreement -> 403, audited as a refusal
  let r = await search('/registry/sync/search', 'sr-min', [uinQ(UIN, { authorize: { purpose: { code: 'benefit_administration' } } })]);
  assertHttp(r, 403, 'err.request.forbidden');
  assert.match(r.body.message.error.message, /benefit_administration/);
  const denied = sql(s, "SELECT COUNT(*) FROM audit_log WHERE actor_id = 'sr-min' AND outcome = 'deny' AND purpose = 'benefit_administration'");
  assert.equal(denied[0], '1');
  // declared purpose inside: ok, and the audit rows name partner, purpose, legal basis, correlation id
  r = await post('/registry/sync/search', envelope('sr-min', searchMsg([uinQ(UIN, { authorize: { purpose: { code: 'statistics' } } })])), tok['sr-min']);
  b = ok(r);
  const rows = sql(s, `SELECT resource_type, purpose, legal_basis, outcome FROM audit_log WHERE actor_id = 'sr-min' AND correlation_id = '${b.message.correlation_id}' ORDER BY seq`);
  assert.deepEqual(rows, ['person|statistics|Statistics Act Art. 33|allow', 'dci_request|statistics|Statistics Act Art. 33|allow']);
  // expired agreement -> 403
  r = await search('/registry/sync/search', 'sr-exp', [uinQ()]);
  assertHttp(r, 403, 'err.request.forbidden');
  assert.match(r.body.errors[0].message, /not in force/);
});

test('tokens and scopes: 401 / 403 in both shapes', async () => {
  const body = () => envelope('sr-min', searchMsg([uinQ()]));
  assertHttp(await post('/registry/sync/search', body()), 401, 'err.request.unauthorized');
  assertHttp(await post('/registry/sync/search', body(), 'opc_' + 'A'.repeat(43)), 401, 'err.request.unauthorized');
  const t = await token(s, 'sr-min', SECRET);
  sql(s, "UPDATE client_tokens SET expires_at = '2000-01-01T00:00:00Z' WHERE client_id = 'sr-min' AND expires_at > '2000-01-02'");
  const r = await post('/ess/sync/search', body(), t);
  assertHttp(r, 401, 'err.request.unauthorized');
  assert.match(r.body.errors[0].message, /expired/);
  tok['sr-min'] = await token(s, 'sr-min', SECRET);
  assertHttp(await post('/registry/sync/search', envelope('sr-noscope', searchMsg([uinQ()])), tok['sr-noscope']), 403, 'err.request.forbidden');
  assertHttp(await post('/registry/sync/search', envelope('sr-stranger', searchMsg([uinQ()])), tok['sr-stranger']), 403, 'err.request.forbidden');
  const narrowed = await token(s, 'sr-min', SECRET, 'registry.search');
  assertHttp(await post('/registry/sync/check-enrollment', envelope('sr-min', { transaction_id: 't', enrolled_criteria: {} }), narrowed), 403, 'err.request.forbidden');
});

test('every envelope error class is a synchronous ERR', async () => {
  const t = tok['sr-min'];
  const msg = () => searchMsg([uinQ()]);
  const cases = [
    ['no header', { message: msg() }, 'err.request.bad'],
    ['not JSON', '{"header":', 'err.request.bad'],
    ['bad timestamp', envelope('sr-min', msg(), { header: { message_ts: '2024-01-01 10:00' } }), 'err.request.bad', /message_ts/],
    ['timestamp without zone', envelope('sr-min', msg(), { header: { message_ts: '2024-01-01T10:00:00' } }), 'err.request.bad', /message_ts/],
    ['over-long message_id', envelope('sr-min', msg(), { header: { message_id: 'x'.repeat(100) } }), 'err.request.bad', /message_id/],
    ['unknown action', envelope('sr-min', msg(), { action: 'subscribe' }), 'err.request.bad', /action/],
    ['wrong sender', envelope('sr-full', msg()), 'err.sender_id.invalid'],
    ['total_count not integer', envelope('sr-min', msg(), { header: { total_count: '1' } }), 'err.request.bad', /total_count/],
    ['bad version', envelope('sr-min', msg(), { header: { version: '2.0.0' } }), 'err.version.not_supported'],
  ];
  const m1 = msg(); m1.search_request[0].locale = 'en';
  cases.push(['bad locale', envelope('sr-min', m1), 'err.request.bad', /locale/]);
  const m2 = msg(); m2.search_request[0].search_criteria.pagination = { page_size: 0, page_number: 1 };
  cases.push(['page size 0', envelope('sr-min', m2), 'err.request.bad', /page_size/]);
  const m3 = msg(); m3.search_request[0].search_criteria.pagination = { page_size: 5, page_number: -1 };
  cases.push(['negative page number', envelope('sr-min', m3), 'err.request.bad', /page_number/]);
  const m4 = msg(); m4.transaction_id = 't'.repeat(100);
  cases.push(['over-long transaction_id', envelope('sr-min', m4), 'err.request.bad', /transaction_id/]);
  const m5 = msg(); m5.search_request[0].reference_id = 'r'.repeat(100);
  cases.push(['over-long reference_id', envelope('sr-min', m5), 'err.request.bad', /reference_id/]);
  for (const [name, body, code, re] of cases) {
    for (const fam of FAMILIES) {
      const r = await post(`${fam}/sync/search`, body, t);
      try { assertErr(r, code, re); } catch (e) { e.message = `${name} on ${fam}: ${e.message}`; throw e; }
    }
  }
});

test('signatures per partner mode; replayed message ids', async () => {
  const msg = () => searchMsg([uinQ()]);
  // required: missing, bad, wrong key, expired, tampered body
  assertErr(await post('/registry/sync/search', envelope('sr-full', msg()), tok['sr-full']), 'err.signature.missing');
  let b = envelope('sr-full', msg(), { key });
  b.message.search_request[0].reference_id = 'tampered';
  assertErr(await post('/registry/sync/search', b, tok['sr-full']), 'err.signature.invalid');
  const other = keypair('k1');
  assertErr(await post('/ess/sync/search', envelope('sr-full', msg(), { key: other }), tok['sr-full']), 'err.signature.invalid');
  assertErr(await post('/ess/sync/search', envelope('sr-full', msg(), { key: { ...key, kid: 'k9' } }), tok['sr-full']), 'err.signature.invalid');
  b = envelope('sr-full', msg());
  const past = Math.floor(Date.now() / 1000) - 1000;
  b.signature = sign(b.header, b.message, 'sr-full', 'k1', key.privateKey, { created: past, expires: past + 300 });
  assertErr(await post('/registry/sync/search', b, tok['sr-full']), 'err.signature.invalid');
  b = envelope('sr-full', msg(), { key });
  b.signature = 'Signature: ' + b.signature; // tolerated prefix
  ok(await post('/registry/sync/search', b, tok['sr-full']));
  // optional: missing accepted, present-but-bad refused (sr-exp's agreement expired: the signature is checked first)
  const e1 = envelope('sr-exp', msg());
  assertHttp(await post('/registry/sync/search', e1, tok['sr-exp']), 403, 'err.request.forbidden');
  e1.header.message_id = mid();
  e1.signature = 'keyId="sr-exp|k1|ed25519",algorithm="ed25519",created="1",expires="2",headers="(created) (expires) digest",signature="AAAA"';
  assertErr(await post('/registry/sync/search', e1, tok['sr-exp']), 'err.signature.invalid');
  // replay: the same message id from the same sender, on either path family
  const first = envelope('sr-full', msg(), { key });
  ok(await post('/registry/sync/search', first, tok['sr-full']));
  assertErr(await post('/ess/sync/search', first, tok['sr-full']), 'err.request.bad', /duplicate message_id/);
  // another sender may use the same id
  const same = envelope('sr-min', msg(), { header: { message_id: first.header.message_id } });
  ok(await post('/registry/sync/search', same, tok['sr-min']));
});

test('enrollment check: JOBSEEKER statuses, other programmes, unknown person; all path names', async () => {
  // two registered people other than the UIN's person (김민준, 1995-03-14), whom e1 asks about
  const ids = sql(s, "SELECT p.id FROM persons p JOIN jobseeker_registrations r ON r.person_id = p.id AND r.status = 'active'"
    + " WHERE NOT (p.family_name = '김' AND p.given_name = '민준' AND p.birth_date = '1995-03-14') ORDER BY p.id LIMIT 2");
  const none = sql(s, "SELECT p.id FROM persons p WHERE NOT EXISTS (SELECT 1 FROM jobseeker_registrations r WHERE r.person_id = p.id) LIMIT 1");
  sql(s, `UPDATE jobseeker_registrations SET status = 'suspended' WHERE person_id = '${ids[1]}'`);
  const crit = (value, type, prog, ref) => ({ reference_id: ref, query_type: 'idtype-value',
    query: { person_identifier: type ? { type, eq: value } : { eq: value }, programme_identifier: prog ? { eq: prog } : undefined } });
  const criteria = [crit(UIN, null, 'JOBSEEKER', 'e1'), crit(ids[1], 'OPENPES', null, 'e2'), crit(none[0], 'OPENPES', 'JOBSEEKER', 'e3'),
    crit(UIN, 'UIN', 'EI', 'e4'), crit('900101-1234568', null, null, undefined)];
  const expect = [['e1', 'Active'], ['e2', 'Suspended'], ['e3', 'Inactive'], ['e4', 'Inactive'], ['900101-1234568', 'Inactive']];
  for (const path of ['/registry/sync/check-enrollment', '/registry/sync/enrolled', '/ess/sync/check-enrollment']) {
    for (const action of ['search', 'check-enrollment']) {
      const b = ok(await post(path, envelope('sr-full', { transaction_id: 'enr-' + mid(), enrolled_criteria: criteria }, { action, key }), tok['sr-full']));
      assert.ok(verify(b, jwks));
      assert.equal(b.header.action, 'on-search');
      const got = b.message.enrolled_response.map((x) => [x.reference_id, x.enrolled_status]);
      assert.deepEqual(got, expect, path);
      assert.equal(b.message.enrolled_response[4].status_reason_message, 'person not found');
      assert.ok(b.message.enrolled_response.every((x) => x.status === 'succ' && x.timestamp));
    }
  }
  // a single object is accepted too; bad programme is an item rejection
  const b = ok(await post('/ess/sync/check-enrollment', envelope('sr-min', { transaction_id: 't-' + mid(),
    enrolled_criteria: crit(UIN, null, 'PENSION', 'x') }), tok['sr-min']));
  assert.equal(b.message.enrolled_response[0].status, 'rjct');
  assert.equal(b.message.enrolled_response[0].enrolled_status, 'Inactive'); // required on every item (IBR)
});

test('admin API manages partners; partner-info shows the mode', async () => {
  s.cliOk('office', 'add', '--code', 'HQ-1', '--name', 'HQ', '--kind', 'ministry', '--region', 'KR-11');
  s.cliOk('user', 'add', '--username', 'dci.admin', '--password', PW, '--kind', 'staff', '--role', 'admin', '--office', 'HQ-1', '--name', 'A');
  s.cliOk('user', 'add', '--username', 'dci.counsellor', '--password', PW, '--kind', 'staff', '--role', 'counsellor', '--office', 'HQ-1', '--name', 'C');
  const admin = await s.login('dci.admin', PW);
  const coun = await s.login('dci.counsellor', PW);
  assert.equal((await s.get('/api/v1/partners', { token: coun })).status, 403);
  let r = await s.post('/api/v1/partners', { client_id: 'sr-stranger', sig_mode: 'off' }, { token: admin });
  assert.equal(r.status, 201, r.text);
  r = await s.post('/api/v1/partners/sr-stranger/agreements', { purposes: ['welfare_referral'], fields: ['employment_status'],
    attributes: ['UIN'], legal_basis: 'MoU 2026', valid_from: '2026-01-01' }, { token: admin });
  assert.equal(r.status, 201, r.text);
  r = await s.post('/api/v1/partners/sr-stranger/agreements', { purposes: [], fields: [], attributes: [], legal_basis: 'x', valid_from: '2026-01-01' }, { token: admin });
  assert.equal(r.status, 422, r.text);
  r = await s.get('/api/v1/partners', { token: admin });
  assert.ok(r.body.items.find((p) => p.client_id === 'sr-stranger').agreements.length === 1);
  const b = ok(await search('/registry/sync/search', 'sr-stranger', [uinQ()]));
  assert.deepEqual(Object.keys(b.message.search_response[0].data.reg_records[0]).sort(), ['@type', 'employment_status']);
  r = await s.get('/registry/partner-info', { token: tok['sr-full'] });
  assert.equal(r.body.sig_mode, 'required');
  assert.deepEqual(r.body.keys, ['k1']);
});
