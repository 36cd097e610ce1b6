// dci_batch.test.mjs - DCI batch files (docs/DCI.md "Batch files"): the multipart/form-data
// FileInfo variant of async search, subscribe, unsubscribe and txn/status (json, csv, jsonl) on
// both path families:
// the same pipeline (token, signature over the file's envelope, replay, agreement), ACK, signed
// on-search callbacks carrying per-line results (paged when large); bad forms and files are
// structured ERRs and store nothing.  Also benefit_status from employment-insurance claims.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import crypto from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Server, assertError } from './lib.mjs';
import { envelope, token, keypair, sign, verify, sql, mid, nowTs } from './dci_helpers.mjs';
import { checkCallback, record, assertNoViolations } from './dci_schema.mjs';

const SECRET = 'partner-secret-0123456789';
const KIM = '950314-1042150'; // demo seed, KR-11
const LEE = '980722-2031184';
let s, recv, jwks, tok, key;
const got = [];

const wait = (ms) => new Promise((r) => setTimeout(r, ms));
async function callbacks(corr, n, ms = 10000) {
  for (let t = 0; t < ms; t += 50) {
    const cs = got.filter((c) => c.body.message?.correlation_id === corr);
    if (cs.length >= n) return cs;
    await wait(50);
  }
  throw new Error(`fewer than ${n} callbacks for ${corr}; got ` + JSON.stringify(got.map((g) => g.path)));
}

before(async () => {
  recv = http.createServer((req, res) => {
    let b = '';
    req.on('data', (d) => { b += d; });
    req.on('end', () => {
      record(checkCallback(req.url, JSON.parse(b))); // every callback body against the OpenAPI schemas
      got.push({ path: req.url, body: JSON.parse(b) });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: { ack_status: 'ACK', timestamp: new Date().toISOString(), correlation_id: 'x' } }));
    });
  });
  await new Promise((r) => recv.listen(0, '127.0.0.1', r));
  s = new Server();
  s.cliOk('seed', '--demo');
  key = keypair('kb1');
  const jf = join(s.dir, 'sr-batch.jwks.json');
  writeFileSync(jf, JSON.stringify(key.jwks));
  s.cliOk('client', 'add', '--id', 'sr-batch', '--secret', SECRET, '--scopes', 'registry.search registry.subscribe');
  s.cliOk('partner', 'add', '--client', 'sr-batch', '--sig-mode', 'required', '--jwks', jf);
  s.cliOk('partner', 'agreement', 'add', '--client', 'sr-batch', '--purposes', 'welfare_referral', '--fields',
    'member_identifier employment_status additional_attributes.benefit_status', '--attributes', 'UIN OPENPES region employment_status benefit_status',
    '--legal-basis', 'MoU', '--valid-from', '2020-01-01');
  process.env.OPENPES_DCI_ASYNC_PAGE = '100';
  await s.start();
  jwks = (await s.get('/.well-known/jwks.json')).body;
  tok = await token(s, 'sr-batch', SECRET);
});
after(async () => { await s.stop(); recv.close(); });
afterEach(assertNoViolations);

const uri = (p) => `http://127.0.0.1:${recv.address().port}${p}`;
const count = (table, where = '1=1') => Number(sql(s, `SELECT COUNT(*) FROM ${table} WHERE ${where}`)[0]);

async function postForm(path, fields, t = tok) {
  const fd = new FormData();
  for (const [k, v] of fields) fd.append(k, ...(Array.isArray(v) ? v : [v]));
  const headers = t ? { Authorization: `Bearer ${t}` } : {};
  const r = await fetch(s.base + path, { method: 'POST', headers, body: fd });
  const text = await r.text();
  let body;
  try { body = JSON.parse(text); } catch { body = undefined; }
  return { status: r.status, body, text };
}
const file = (content, name) => [new Blob([content]), name];

function header(extra = {}) {
  return { version: '1.0.0', message_id: mid(), message_ts: nowTs(), action: 'search', sender_id: 'sr-batch',
    sender_uri: uri('/registry/on-search'), total_count: 1, ...extra };
}
// The csv/jsonl form: header, transaction_id and a signature over {header, message:{transaction_id, file_format, file_digest}}.
function fileForm(content, format, { h = header(), txn = 'txn-' + mid(), signed = true, signContent = content } = {}) {
  const digest = crypto.createHash('blake2b512').update(signContent).digest('base64');
  const fields = [['action', h.action], ['fileName', file(content, `batch.${format}`)], ['fileFormat', format],
    ['header', JSON.stringify(h)], ['transaction_id', txn]];
  if (signed) fields.push(['signature', sign(h, { transaction_id: txn, file_format: format, file_digest: `BLAKE-512=${digest}` }, 'sr-batch', key.kid, key.privateKey)]);
  return { fields, h, txn };
}
function assertErr(r, status, re) {
  assert.equal(r.status, status, r.text);
  const e = r.body.message.error;
  assert.equal(r.body.message.ack_status, 'ERR', r.text);
  assert.equal(e.code, 'err.request.bad', r.text);
  for (const k of ['code', 'message', 'detail', 'hint']) assert.equal(typeof e[k], 'string', `error.${k}: ${r.text}`);
  assert.ok(e.hint.length > 0, r.text);
  if (re) assert.match(e.detail, re);
}
const byRef = (cbs) => Object.fromEntries(cbs.flatMap((c) => c.body.message.search_response).map((x) => [x.reference_id, x]));

for (const fam of ['/registry', '/ess']) {
  test(`${fam}/search with a json file: the envelope inside, signed; ACK, then a signed on-search callback`, async () => {
    const msg = { transaction_id: 'txn-' + mid(), search_request: [
      { reference_id: 'j1', timestamp: nowTs(), search_criteria: { query_type: 'idtype-value', query: { type: 'UIN', value: KIM } } },
      { reference_id: 'j2', timestamp: nowTs(), search_criteria: { query_type: 'idtype-value', query: { type: 'UIN', value: LEE } } }] };
    const env = envelope('sr-batch', msg, { header: { sender_uri: uri('/registry/on-search'), total_count: 2 }, key });
    const r = await postForm(`${fam}/search`, [['action', 'search'], ['fileName', file(JSON.stringify(env), 'daily.json')]]);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.message.ack_status, 'ACK', r.text);
    const corr = r.body.message.correlation_id;
    const [cb] = await callbacks(corr, 1);
    assert.ok(verify(cb.body, jwks));
    assert.equal(cb.body.header.action, 'on-search');
    assert.equal(cb.body.message.transaction_id, msg.transaction_id);
    const res = byRef([cb]);
    assert.equal(res.j1.status, 'succ');
    assert.equal(res.j1.data.reg_records.length, 1);
    assert.equal(res.j2.data.reg_records[0].member_identifier[0].identifier_value, LEE.replace('-', ''));
    assert.deepEqual(sql(s, `SELECT file_name || ' ' || file_format || ' ' || action FROM dci_transactions WHERE correlation_id = '${corr}'`),
      ['daily.json json search']);
    // audited as the partner, once per person returned, with the ACK's correlation id
    assert.equal(count('audit_log', `actor_id = 'sr-batch' AND correlation_id = '${corr}' AND resource_type = 'person'`), 2);
  });
}

test('csv file: one search request a line; bad lines come back rjct with the line number, the rest answered', async () => {
  const expr = JSON.stringify({ $and: [{ region: 'KR-11' }, { employment_status: { $in: ['unemployed', 'employed'] } }] }).replace(/"/g, '""');
  const csv = [
    'reference_id,query_type,attribute,operator,value,page_size',
    `c1,idtype-value,UIN,,${KIM},`,
    `c2,predicate,region,eq,KR-11,5`,
    `c3,expression,,,"${expr}",2`,
    'c4,idtype-value,UIN',                      // too few fields
    'c5,lookup,UIN,,1,',                        // unknown query type
    `c1,idtype-value,UIN,,${LEE},`,             // duplicate reference
    'c6,predicate,region,eq,KR-11,0',           // bad page size
    'c7,predicate,region,eq,"KR-11"x,',         // text after a closing quote
    '',
    `"c8",idtype-value,OPENPES,,"nobody, really",`,
    'c9,predicate,region,in,KR-11|KR-26,1',
  ].join('\r\n') + '\r\n';
  const { fields } = fileForm(csv, 'csv');
  const r = await postForm('/registry/search', fields);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.message.ack_status, 'ACK', r.text);
  const [cb] = await callbacks(r.body.message.correlation_id, 1);
  assert.ok(verify(cb.body, jwks));
  const items = cb.body.message.search_response;
  assert.equal(items.length, 10, JSON.stringify(items.map((x) => x.reference_id)));
  const res = byRef([cb]);
  assert.equal(res.c1.status, 'succ');
  assert.equal(res.c1.data.reg_records.length, 1);
  assert.equal(res.c2.status, 'succ');
  assert.equal(res.c2.pagination.page_size, 5);
  assert.ok(res.c2.data.reg_records.length > 0 && res.c2.data.reg_records.length <= 5);
  assert.equal(res.c3.status, 'succ', JSON.stringify(res.c3));
  assert.equal(res.c3.data.reg_records.length, 2);
  assert.equal(res.c8.status, 'succ');
  assert.equal(res.c8.data.reg_records.length, 0);
  assert.equal(res.c9.status, 'succ');
  const line = (n) => res[`line-${n}`];
  assert.equal(line(5).status, 'rjct');
  assert.match(line(5).status_reason_message, /^line 5: 3 fields, the header has 6/);
  assert.equal(res.c5.status_reason_code, 'rjct.search_criteria.invalid');
  assert.match(res.c5.status_reason_message, /^line 6: query_type "lookup"/);
  assert.equal(line(7).status_reason_code, 'rjct.reference_id.duplicate');
  assert.match(line(7).status_reason_message, /already used on line 2/);
  assert.equal(res.c6.status_reason_code, 'rjct.pagination.invalid');
  assert.match(line(9).status_reason_message, /^line 9: text after a closing quote/);
  assert.equal(cb.body.header.total_count, 10);
  assert.equal(cb.body.header.completed_count, 5);
});

test('jsonl file: one search_request item a line; a line that is not JSON is rejected alone', async () => {
  const lines = [
    JSON.stringify({ reference_id: 'l1', search_criteria: { query_type: 'idtype-value', query: { type: 'UIN', value: KIM } } }),
    '{"reference_id": "l2", "search_criteria": ',
    JSON.stringify({ reference_id: 'l3', locale: 'en', search_criteria: { query_type: 'idtype-value', query: { type: 'UIN', value: KIM } } }),
    JSON.stringify({ reference_id: 'l4', search_criteria: { query_type: 'predicate', query: [{ seq_num: 1, expression1: { attribute_name: 'UIN', operator: 'eq', attribute_value: KIM } }] } }),
  ].join('\n');
  const { fields } = fileForm(lines, 'jsonl');
  const r = await postForm('/ess/search', fields);
  assert.equal(r.body.message.ack_status, 'ACK', r.text);
  const res = byRef(await callbacks(r.body.message.correlation_id, 1));
  assert.equal(res.l1.status, 'succ');
  assert.equal(res['line-2'].status, 'rjct');
  assert.match(res['line-2'].status_reason_message, /^line 2: not a JSON object/);
  assert.match(res.l3.status_reason_message, /^line 3: locale/);
  assert.equal(res.l4.status, 'rjct'); // UIN is not a search attribute: the ordinary item rejection
  assert.equal(res.l4.status_reason_code, 'rjct.filter.invalid');
});

test('a large csv file is answered in several callbacks of at most 100 requests, in order', async () => {
  const rows = ['reference_id,query_type,attribute,value'];
  for (let i = 1; i <= 230; i++) rows.push(`r${i},idtype-value,UIN,${i % 2 ? KIM : LEE}`);
  const { fields } = fileForm(rows.join('\n'), 'csv');
  const r = await postForm('/registry/search', fields);
  assert.equal(r.body.message.ack_status, 'ACK', r.text);
  const cbs = await callbacks(r.body.message.correlation_id, 3, 30000);
  assert.deepEqual(cbs.map((c) => c.body.message.search_response.length), [100, 100, 30]);
  assert.equal(cbs[0].body.message.search_response[0].reference_id, 'r1');
  assert.equal(cbs[2].body.message.search_response[29].reference_id, 'r230');
  for (const c of cbs) assert.ok(verify(c.body, jwks));
  assert.ok(cbs.every((c) => c.body.message.search_response.every((x) => x.status === 'succ' && x.data.reg_records.length === 1)));
});

test('signature and replay protection apply to the file\'s envelope', async () => {
  const csv = `reference_id,query_type,attribute,value\nx1,idtype-value,UIN,${KIM}\n`;
  const before = count('dci_transactions');
  // unsigned, under sig-mode required
  let r = await postForm('/registry/search', fileForm(csv, 'csv', { signed: false }).fields);
  assert.equal(r.body.message.error.code, 'err.signature.missing', r.text);
  // signed over another file: the digest does not match
  r = await postForm('/registry/search', fileForm(csv, 'csv', { signContent: csv + 'x2,idtype-value,UIN,1\n' }).fields);
  assert.equal(r.body.message.error.code, 'err.signature.invalid', r.text);
  // a json file whose envelope was altered after signing
  const env = envelope('sr-batch', { transaction_id: 't-' + mid(), search_request: [{ reference_id: 'a', timestamp: nowTs(),
    search_criteria: { query_type: 'idtype-value', query: { type: 'UIN', value: KIM } } }] }, { key });
  env.message.search_request[0].reference_id = 'b';
  r = await postForm('/registry/search', [['action', 'search'], ['fileName', file(JSON.stringify(env), 'x.json')]]);
  assert.equal(r.body.message.error.code, 'err.signature.invalid', r.text);
  assert.equal(count('dci_transactions'), before, 'nothing stored');
  // a good one, then the same message_id again
  const h = header();
  r = await postForm('/registry/search', fileForm(csv, 'csv', { h }).fields);
  assert.equal(r.body.message.ack_status, 'ACK', r.text);
  r = await postForm('/registry/search', fileForm(csv, 'csv', { h }).fields);
  assert.equal(r.body.message.ack_status, 'ERR');
  assert.match(r.body.message.error.message, /duplicate message_id .*replay/);
  assert.equal(count('dci_transactions'), before + 1);
});

test('bad forms and files: structured ERRs (code, message, detail, hint) and nothing stored', async () => {
  const csv = `reference_id,query_type,attribute,value\nx1,idtype-value,UIN,${KIM}\n`;
  const txns = count('dci_transactions'), seen = count('dci_seen_messages');
  const good = () => fileForm(csv, 'csv').fields;
  const without = (name) => good().filter(([k]) => k !== name);
  assertErr(await postForm('/registry/search', [...without('fileFormat'), ['fileFormat', 'xml']]), 200, /fileFormat "xml"/);
  assertErr(await postForm('/registry/search', without('action')), 200, /no action/);
  assertErr(await postForm('/registry/search', [...without('action'), ['action', 'subscribe']]), 200, /"subscribe" is not "search"/);
  assertErr(await postForm('/registry/search', without('fileName')), 200, /no fileName/);
  assertErr(await postForm('/registry/search', without('header')), 200, /header/);
  assertErr(await postForm('/registry/search', without('transaction_id')), 200, /transaction_id/);
  assertErr(await postForm('/registry/search', [...good(), ['filename', 'typo']]), 200, /"filename" is not part of FileInfo/);
  assertErr(await postForm('/registry/search', [...good(), ['action', 'search']]), 200, /"action" is given twice/);
  assertErr(await postForm('/registry/search', [...without('transaction_id'), ['transaction_id', file(Buffer.from([0xff, 0xfe]), 't')]]), 200,
    /"transaction_id" is not UTF-8 text/);
  assertErr(await postForm('/registry/search', [['action', 'search'], ['fileName', file('{"header":', 'x.json')]]), 200);
  // files that cannot be read at all
  const bad = async (content, re) => assertErr(await postForm('/registry/search', fileForm(content, 'csv').fields), 200, re);
  await bad('reference_id,query_type,colour,value\nx,idtype-value,red,1\n', /unknown column "colour"/);
  await bad('reference_id,attribute\nx,UIN\n', /needs the columns reference_id, query_type and value/);
  await bad('reference_id,query_type,value\n', /no requests/);
  await bad(Buffer.from([0x72, 0x2c, 0x0a, 0xff, 0xfe, 0x0a]), /line 2 is not UTF-8/);
  const many = ['reference_id,query_type,attribute,value'];
  for (let i = 0; i <= 10000; i++) many.push(`r${i},idtype-value,UIN,1`);
  await bad(many.join('\n'), /more than 10000 requests/);
  // a csv file of searches sent to subscribe: the columns of a subscribe file are asked for
  const sub = await postForm('/registry/subscribe', fileForm('reference_id,query_type,attribute,value\nr1,idtype-value,UIN,1\n', 'csv',
    { h: header({ action: 'subscribe' }) }).fields);
  assertErr(sub, 200, /unknown column "query_type"/);
  // a file over 4 MiB: 413 with both DCI shapes, detail and hint
  const big = 'reference_id,query_type,attribute,value\n' + 'x'.repeat(4 * 1024 * 1024);
  const r = await postForm('/registry/search', fileForm(big, 'csv').fields);
  assert.equal(r.status, 413, r.text.slice(0, 300));
  assert.equal(r.body.errors[0].code, 'err.request.bad');
  assert.match(r.body.message.error.detail, /"fileName" exceeds the limit of 4194304 bytes/);
  assert.match(r.body.message.error.hint, /smaller/);
  // a body past the route's limit is refused before it is read (the server's error envelope)
  const huge = await postForm('/registry/search', fileForm('x'.repeat(5 * 1024 * 1024), 'csv').fields);
  assertError(assert, huge, 413, 'request.too_large');
  // no token: 401 before the form is read
  const u = await postForm('/registry/search', good(), null);
  assert.equal(u.status, 401);
  assert.equal(count('dci_transactions'), txns, 'nothing stored');
  assert.equal(count('dci_seen_messages'), seen, 'no message id recorded');
});

test('subscribe with a json file: ACK, then a signed on-subscribe callback', async () => {
  const msg = { transaction_id: 'sub-' + mid(), subscribe_request: [{ reference_id: 's1', timestamp: nowTs(), subscribe_criteria: {
    reg_type: 'ns:org:RegistryType:ESS', reg_event_type: 'benefit_status_changed', notify_record_type: 'Member',
    frequency: { start_time: '2020-01-01T00:00:00Z', end_time: '2099-01-01T00:00:00Z', frequency: '0 0 * * *' },
    filter_type: 'idtype-value', filter: { type: 'UIN', value: KIM } } }] };
  const env = envelope('sr-batch', msg, { action: 'subscribe', header: { sender_uri: uri('/registry/on-subscribe') }, key });
  const r = await postForm('/ess/subscribe', [['action', 'subscribe'], ['fileName', file(JSON.stringify(env), 'subs.json')], ['fileFormat', 'json']]);
  assert.equal(r.body.message.ack_status, 'ACK', r.text);
  const [cb] = await callbacks(r.body.message.correlation_id, 1);
  assert.ok(verify(cb.body, jwks));
  assert.equal(cb.body.header.action, 'on-subscribe');
  const item = cb.body.message.subscribe_response[0];
  assert.equal(item.status, 'succ', JSON.stringify(item));
  assert.match(item.subscriptions[0].code, /^sub-/);
});

test('benefit_status: the latest employment-insurance claim, in the record and as a query attribute', async () => {
  const search = async (criteria) => {
    const env = envelope('sr-batch', { transaction_id: 't-' + mid(), search_request: [{ reference_id: 'b1', timestamp: nowTs(),
      search_criteria: { ...criteria, pagination: { page_size: 1000, page_number: 1 } } }] }, { key });
    const r = await s.post('/registry/sync/search', env, { token: tok });
    assert.equal(r.status, 200, r.text);
    return r.body.message.search_response[0];
  };
  const kim = (await search({ query_type: 'idtype-value', query: { type: 'UIN', value: KIM } })).data.reg_records[0];
  const pid = kim.member_identifier.find((i) => i.identifier_type === 'OPENPES').identifier_value;
  const claimed = (st) => search({ query_type: 'predicate', query: [{ seq_num: 1, expression1: { attribute_name: 'benefit_status', operator: 'eq', attribute_value: st } }] });
  const ids = (res) => res.data.reg_records.map((m) => m.member_identifier.find((i) => i.identifier_type === 'OPENPES').identifier_value);
  const ins = (id, status, at) => sql(s, `INSERT INTO ei_claims (id, person_id, country, status, separation_date, separation_reason, report_date,
    eligible, daily_amount, prescribed_days, payable_days, claimant_category, decision, filed_by, created_at, updated_at)
    VALUES ('${id}', '${pid}', 'KR', '${status}', '2030-01-01', 'dismissal', '2030-01-02', 1, 60000, 120, 120, 'general', '{}', 'test', '${at}', '${at}')`);
  assert.equal(kim.additional_attributes.benefit_status, 'none', 'no claim yet');
  assert.ok(!ids(await claimed('suspended')).includes(pid));
  ins('test-old', 'closed', '2030-01-02T00:00:00.000000Z');
  ins('test-new', 'suspended', '2031-01-02T00:00:00.000000Z');
  const again = (await search({ query_type: 'idtype-value', query: { type: 'UIN', value: KIM } })).data.reg_records[0];
  assert.equal(again.additional_attributes.benefit_status, 'suspended');
  const sus = await claimed('suspended');
  assert.ok(ids(sus).includes(pid));
  assert.ok(sus.data.reg_records.every((m) => m.additional_attributes.benefit_status === 'suspended'));
  const none = await claimed('none');
  assert.ok(!ids(none).includes(pid));
  assert.ok(none.data.reg_records.length > 0);
});

// ---- subscribe, unsubscribe and txn/status as batch files ----

const subHeader = (extra = {}) => header({ action: 'subscribe', sender_uri: uri('/registry/on-subscribe'), ...extra });
const subItems = (cbs) => cbs.flatMap((c) => c.body.message.subscribe_response);

test('subscribe with a csv file: one subscription a row, per-row rejections, frequency and purpose columns', async () => {
  const csv = [
    'reference_id,reg_event_type,filter_type,attribute,operator,value,purpose,frequency,start_time,end_time',
    `s1,employment_started,idtype-value,UIN,,${KIM},welfare_referral,,,`,
    's2,registration_changed,predicate,region,in,KR-11|KR-26,,0 0 6 * * ?,2020-01-01T00:00:00Z,2099-01-01T00:00:00Z',
    's3,birth,predicate,region,eq,KR-11,,,,',
    's4,employment_ended,predicate,region,eq,KR-11,,0 0 0 L * ?,,',
    's5,"employment_started,predicate',
    's1,employment_ended,predicate,region,eq,KR-26,,,,',
  ].join('\r\n') + '\r\n';
  for (const fam of ['/registry', '/ess']) {
    const r = await postForm(`${fam}/subscribe`, fileForm(csv, 'csv', { h: subHeader() }).fields);
    assert.equal(r.body.message.ack_status, 'ACK', r.text);
    const cbs = await callbacks(r.body.message.correlation_id, 1);
    assert.ok(verify(cbs[0].body, jwks));
    assert.equal(cbs[0].body.header.action, 'on-subscribe');
    assert.equal(cbs[0].path, '/registry/on-subscribe');
    const items = subItems(cbs);
    const st = Object.fromEntries(items.map((x) => [x.reference_id, x]));
    if (fam === '/registry') {
      assert.equal(st.s1.status, 'succ', JSON.stringify(st.s1));
      assert.equal(st.s2.status, 'succ', JSON.stringify(st.s2));
      const code2 = st.s2.subscriptions[0].code;
      assert.deepEqual(sql(s, `SELECT event_type, filter_type, frequency, notify_uri FROM dci_subscriptions WHERE code = '${code2}'`),
        [`registration_changed|predicate|{"start_time":"2020-01-01T00:00:00Z","end_time":"2099-01-01T00:00:00Z","frequency":"0 0 6 * * ?"}|${uri('/registry/notify')}`]);
    } else {
      // the same subscriptions again: already subscribed, with the existing codes
      assert.equal(st.s1.status_reason_code, 'rjct.event.already_subscribed');
    }
    assert.equal(st.s3.status_reason_code, 'rjct.notify_types.invalid');
    assert.equal(st.s4.status_reason_code, 'rjct.notify_details.invalid');
    assert.match(st.s4.status_reason_message, /L, W and # are not supported/);
    assert.equal(st['line-6'].status, 'rjct');
    assert.match(st['line-6'].status_reason_message, /^line 6: a quoted field is not closed/);
    assert.equal(items.length, 5, 'the unclosed quote swallows the rest of the file: ' + JSON.stringify(items.map((x) => x.reference_id)));
  }
  const txn = sql(s, `SELECT file_name, file_format FROM dci_transactions WHERE action = 'subscribe' ORDER BY created_at DESC LIMIT 1`);
  assert.deepEqual(txn, ['batch.csv|csv']);
});

test('subscribe with a jsonl file of 150 lines: callbacks of at most 100 items, in file order; bad lines answered', async () => {
  const lines = [];
  for (let i = 1; i <= 150; i++) {
    if (i === 7) { lines.push('{not json'); continue; }
    lines.push(JSON.stringify({ reference_id: `j${i}`, subscribe_criteria: { reg_type: 'ns:org:RegistryType:ESS', reg_event_type: 'employment_started',
      notify_record_type: 'Member', filter_type: 'predicate', filter: [{ seq_num: 1, expression1: { attribute_name: 'region', operator: 'eq', attribute_value: `X-${i}` } }] } }));
  }
  const r = await postForm('/registry/subscribe', fileForm(lines.join('\n'), 'jsonl', { h: subHeader() }).fields);
  assert.equal(r.body.message.ack_status, 'ACK', r.text);
  const cbs = await callbacks(r.body.message.correlation_id, 2);
  assert.equal(cbs.length, 2);
  assert.deepEqual(cbs.map((c) => c.body.message.subscribe_response.length), [100, 50]);
  assert.deepEqual(cbs.map((c) => c.body.header.total_count), [100, 50]);
  assert.deepEqual(cbs.map((c) => c.body.header.completed_count), [99, 50]);
  const items = subItems(cbs);
  assert.equal(items[0].reference_id, 'j1');
  assert.equal(items[6].reference_id, 'line-7');
  assert.equal(items[6].status_reason_code, 'rjct.notify_details.invalid');
  assert.equal(items[149].reference_id, 'j150');
  assert.ok(cbs.every((c) => verify(c.body, jwks)));
});

test('unsubscribe with csv and jsonl files; a line that is not a code refuses the file', async () => {
  const csv = ['reference_id,reg_event_type,filter_type,attribute,operator,value', 'u1,employment_started,predicate,region,eq,U-1',
    'u2,employment_started,predicate,region,eq,U-2', 'u3,employment_started,predicate,region,eq,U-3'].join('\n');
  const r = await postForm('/registry/subscribe', fileForm(csv, 'csv', { h: subHeader() }).fields);
  const codes = subItems(await callbacks(r.body.message.correlation_id, 1)).map((x) => x.subscriptions[0].code);
  assert.equal(codes.length, 3);
  const uh = () => header({ action: 'unsubscribe', sender_uri: uri('/registry/on-unsubscribe') });
  const u = await postForm('/ess/unsubscribe', fileForm(`subscription_code\n${codes[0]}\nsub-unknown\n${codes[1]}\n`, 'csv', { h: uh() }).fields);
  assert.equal(u.body.message.ack_status, 'ACK', u.text);
  const [cb] = await callbacks(u.body.message.correlation_id, 1);
  assert.ok(verify(cb.body, jwks));
  assert.equal(cb.body.header.action, 'on-unsubscribe');
  assert.equal(cb.body.message.status, 'rjct');
  assert.equal(cb.body.message.status_reason_code, 'rjct.subscription_code.invalid');
  assert.deepEqual(cb.body.message.subscription_status.map((x) => x.code), [codes[0], codes[1]]);
  assert.equal(count('dci_subscriptions', `code IN ('${codes[0]}','${codes[1]}') AND status = 'unsubscribe'`), 2);
  const j = await postForm('/registry/unsubscribe', fileForm(`"${codes[2]}"\n`, 'jsonl', { h: uh() }).fields);
  const [cb2] = await callbacks(j.body.message.correlation_id, 1);
  assert.equal(cb2.body.message.status, 'succ');
  const before = count('dci_transactions');
  assertErr(await postForm('/registry/unsubscribe', fileForm(`{"subscription_code":"${codes[2]}"}\n42\n`, 'jsonl', { h: uh() }).fields), 200,
    /line 2: not a subscription code/);
  assert.equal(count('dci_transactions'), before, 'nothing stored');
});

test('txn/status with a jsonl or csv file: one signed txn-on-status callback a line, in order', async () => {
  const r = await postForm('/registry/subscribe', fileForm('reference_id,reg_event_type,attribute,value\nt1,employment_ended,region,T-1\n', 'csv',
    { h: subHeader() }).fields);
  const subCorr = r.body.message.correlation_id;
  await callbacks(subCorr, 1);
  const sh = () => header({ action: 'txn-status', sender_uri: uri('/registry/txn/on-status') });
  const jsonl = [JSON.stringify({ reference_id: 'q1', txn_type: 'subscribe', attribute_type: 'correlation_id', attribute_value: subCorr }),
    JSON.stringify({ reference_id: 'q2', txn_type: 'search', attribute_type: 'transaction_id', attribute_value: 'no-such-txn' }),
    '[1,2]'].join('\n');
  const a = await postForm('/registry/txn/status', fileForm(jsonl, 'jsonl', { h: sh() }).fields);
  assert.equal(a.body.message.ack_status, 'ACK', a.text);
  const cbs = await callbacks(a.body.message.correlation_id, 3);
  assert.equal(cbs.length, 3);
  assert.ok(cbs.every((c) => verify(c.body, jwks) && c.body.header.action === 'txn-on-status' && c.path === '/registry/txn/on-status'));
  const resp = cbs.map((c) => c.body.message.txnstatus_response);
  assert.deepEqual(resp.map((x) => x.status), ['succ', 'rjct', 'rjct']);
  assert.deepEqual(cbs.map((c) => c.body.header.status), ['succ', 'rjct', 'rjct']);
  assert.equal(resp[0].reference_id, 'q1');
  assert.equal(resp[0].txn_status.correlation_id, subCorr);
  assert.equal(resp[1].status_reason_code, 'rjct.reference_id.invalid');
  assert.match(resp[2].status_reason_message, /^line 3: not a JSON object/);
  const csv = `reference_id,txn_type,attribute_type,attribute_value\nc1,subscribe,correlation_id,${subCorr}\n`;
  const c = await postForm('/ess/txn/status', fileForm(csv, 'csv', { h: sh() }).fields);
  const [one] = await callbacks(c.body.message.correlation_id, 1);
  assert.equal(one.body.message.txnstatus_response.status, 'succ');
  assert.equal(one.body.message.txnstatus_response.reference_id, 'c1');
  // a json file is one ordinary status request
  const env = envelope('sr-batch', { transaction_id: 'st-' + mid(), txnstatus_request: { reference_id: 'j', txn_type: 'subscribe',
    attribute_type: 'correlation_id', attribute_value: subCorr } }, { action: 'txn-status', header: { sender_uri: uri('/registry/txn/on-status') }, key });
  const jf = await postForm('/registry/txn/status', [['action', 'txn-status'], ['fileName', file(JSON.stringify(env), 'status.json')]]);
  const [jcb] = await callbacks(jf.body.message.correlation_id, 1);
  assert.equal(jcb.body.message.txnstatus_response.status, 'succ');
});
