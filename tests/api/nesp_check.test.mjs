// nesp_check.test.mjs - NESP eligibility checks with a social registry's facts (docs/NESP.md):
// the counsellor API and the CLI, sync and async (completed through our on-search receiver and
// the worker), the registry chosen by kind or named, the audit, and the errors that store nothing.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Server, BIN, assertError } from './lib.mjs';
import { startStub } from './dci_stub.mjs';
import { watchServer, assertNoViolations } from './dci_schema.mjs';

const KIM = '950314-1042150'; // demo: SEOUL-GANGNAM, counsellor; born 1995
const LEE = '980722-2031184'; // demo: SEOUL-GANGNAM, counsellor; born 1998
let s, sr, ibr, staff, staff2, kim, lee;

const cli = (...args) => new Promise((res) => {
  execFile(BIN, ['--db', s.db, '--keys', s.keys, '--log-level', 'warn', ...args], { encoding: 'utf8', timeout: 60000 },
    (err, stdout, stderr) => res({ status: err ? (err.code ?? 1) : 0, stdout, stderr }));
});

function addPartner(st, id, kind, extra = []) {
  const jf = join(s.dir, `${id}.jwks.json`);
  writeFileSync(jf, JSON.stringify(st.key.jwks));
  s.cliOk('dci', 'partner', 'add', '--id', id, '--kind', kind, '--base-url', st.url, '--token-url', st.url + '/oauth2/client/token',
    '--client-id', 'openpes', '--secret', 'stub-secret', '--receiver-id', st.id, '--jwks', jf,
    '--purposes', 'employment_service benefit_administration', '--callback-url', `${s.base}/registry/on-search`, '--timeout', '2', ...extra);
}
const count = (sql) => Number(s.sql(sql).trim());
const check = (pid, body, opts = {}) => s.post(`/api/v1/persons/${pid}/nesp-checks`, body, { token: staff, ...opts });

before(async () => {
  s = watchServer(new Server());
  s.cliOk('seed', '--demo');
  await s.start();
  const ourJwks = (await s.get('/.well-known/jwks.json')).body;
  const people = {
    [KIM.replace('-', '')]: { sr: { '@type': 'SRPerson', additional_attributes: { household_income_pct: 48.5, basic_livelihood_status: 'near_poor' } } },
    [LEE.replace('-', '')]: { sr: { '@type': 'SRPerson', additional_attributes: [{ name: 'household_income_pct', value: '30' }, { name: 'basic_livelihood_status', value: 'recipient' }] } },
  };
  sr = await startStub({ id: 'sr-stub', people, ourJwks });
  ibr = await startStub({ id: 'ibr-stub', people, ourJwks });
  staff = await s.login('counsellor', 'demo-pass-2026');
  staff2 = await s.login('counsellor2', 'demo-pass-2026');
  const find = async (nid) => (await s.post('/api/v1/persons/search', { national_id: nid }, { token: staff })).body.items[0].id;
  kim = await find(KIM);
  lee = await find(LEE);
});
after(async () => { await sr?.close(); await ibr?.close(); await s.stop(); });
afterEach(assertNoViolations);

test('no social registry configured: a structured error, nothing stored but the audited read', async () => {
  addPartner(ibr, 'ibr1', 'ibr'); // an IBR is not a social registry
  const r = await check(kim, { household_assets: 100000000 });
  assertError(assert, r, 422, 'validation.failed');
  assert.match(r.body.error.detail, /no social-registry is configured/);
  assert.equal(r.body.error.field, 'partner');
  assert.equal(count('SELECT COUNT(*) FROM nesp_checks'), 0);
  assert.equal(count(`SELECT COUNT(*) FROM audit_log WHERE resource_type = 'nesp_check' AND action = 'READ' AND outcome = 'allow'`), 1);
  assert.equal(sr.calls.length, 0);
});

test('sync check: the registry\'s facts, the person record and the calculator; stored with source and trace', async () => {
  addPartner(sr, 'sr1', 'social-registry');
  const r = await check(kim, { household_assets: 100000000, dependents: 1, date: '2026-03-02' });
  assert.equal(r.status, 201, r.text);
  const c = r.body;
  assert.equal(r.headers.get('location'), `/api/v1/nesp-checks/${c.id}`);
  assert.equal(c.status, 'done');
  assert.equal(c.mode, 'sync');
  assert.equal(c.partner, 'sr1');
  assert.equal(c.person_id, kim);
  assert.deepEqual(c.facts, { found: true, household_income_pct: 48.5, basic_livelihood_status: 'near_poor' });
  assert.deepEqual(c.inputs, { date: '2026-03-02', household_assets: 100000000, dependents: 1, age: 30, receiving_ei: false, work_days_2y: 0 });
  // 30 years old, 48.5 % of the median income, assets 1억, no insured work: Type I by selection
  assert.equal(c.result.track, 'I-selection');
  assert.ok(c.result.monthly_allowance > 0);
  assert.ok(Array.isArray(c.result.trace) && c.result.trace.length > 3);
  // the outbound transaction it came from
  const t = await s.get(`/api/v1/nesp-checks/${c.id}`, { token: staff });
  assert.equal(t.status, 200);
  assert.deepEqual(t.body, c);
  assert.equal(s.sql(`SELECT partner_id, status, purpose FROM dci_outbound_txns WHERE transaction_id = '${c.transaction_id}'`).trim(),
    'sr1|answered|employment_service');
  const call = sr.calls.at(-1);
  assert.equal(call.path, '/registry/sync/search');
  assert.equal(call.body.message.search_request[0].search_criteria.query.value, KIM.replace('-', ''));
  // audited: the read of the person, the disclosure to the registry, the stored check
  assert.equal(s.sql(`SELECT action || ':' || purpose FROM audit_log WHERE resource_type = 'nesp_check' AND resource_id = '${c.id}' ORDER BY action`).trim(),
    'CREATE:employment_service\nREAD:employment_service\nREAD:employment_service'); // the check's read, its write, the GET
  assert.equal(count(`SELECT COUNT(*) FROM audit_log WHERE resource_type = 'dci_disclosure' AND resource_id = '${c.transaction_id}'`), 1);
  // the facts and the answer are stored sealed
  assert.equal(s.sql(`SELECT substr(inputs, 1, 3) || substr(data, 1, 3) FROM nesp_checks WHERE id = '${c.id}'`).trim(), 'v1:v1:');
  assert.equal(count(`SELECT COUNT(*) FROM nesp_checks WHERE data LIKE '%48.5%'`), 0);
});

test('a basic-livelihood recipient in the registry is a Type II vulnerable-group participant', async () => {
  const r = await check(lee, { household_assets: 50000000, date: '2026-03-02' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.facts.basic_livelihood_status, 'recipient');
  assert.equal(r.body.facts.household_income_pct, 30);
  assert.equal(r.body.result.track, 'II-vulnerable');
});

test('async check: pending, then completed when the registry calls our on-search receiver', async () => {
  const r = await check(kim, { household_assets: 100000000, date: '2026-03-02', async: true });
  assert.equal(r.status, 201, r.text);
  assert.ok(['pending', 'done'].includes(r.body.status), r.text); // pending unless the registry was already back (100 ms)
  assert.equal(r.body.mode, 'async');
  if (r.body.status === 'pending') assert.equal(r.body.result, undefined);
  assert.equal(sr.calls.at(-1).path, '/registry/search');
  let c;
  for (let i = 0; i < 100; i++) {
    c = (await s.get(`/api/v1/nesp-checks/${r.body.id}`, { token: staff })).body;
    if (c.status !== 'pending') break;
    await new Promise((x) => setTimeout(x, 100));
  }
  assert.equal(c.status, 'done', JSON.stringify(c));
  assert.equal(c.result.track, 'I-selection');
  assert.equal(c.facts.household_income_pct, 48.5);
  assert.equal(sr.callbackAnswer.message.ack_status, 'ACK');
  // completed by the worker, audited as the system under the check's purpose
  assert.equal(count(`SELECT COUNT(*) FROM audit_log WHERE resource_type = 'nesp_check' AND resource_id = '${c.id}' AND action = 'UPDATE' AND purpose = 'employment_service'`), 1);
});

test('errors change nothing: bad input, a refused counsellor, a wrong purpose, an unknown or failing registry', async () => {
  const before = count('SELECT COUNT(*) FROM nesp_checks');
  assertError(assert, await check(kim, {}), 422, 'validation.failed');
  assertError(assert, await check(kim, { household_assets: 1, bogus: 1 }), 422, 'validation.unknown_field');
  assertError(assert, await check(kim, { household_assets: -1 }), 422, 'validation.failed');
  assertError(assert, await check(kim, { household_assets: 1, partner: 'nope' }), 404, 'resource.not_found');
  assertError(assert, await check(kim, { household_assets: 1, partner: 'ibr1' }), 422, 'validation.failed');
  assertError(assert, await check(kim, { household_assets: 1 }, { token: staff2 }), 403, 'access.denied'); // another office
  assertError(assert, await check(kim, { household_assets: 1 }, { headers: { 'X-Purpose': 'benefit_administration' } }), 403, 'access.denied');
  assertError(assert, await check('00000000-0000-7000-8000-000000000000', { household_assets: 1 }), 404, 'resource.not_found');
  sr.mode = 'slow';
  const slow = await check(kim, { household_assets: 1 });
  sr.mode = 'ok';
  assertError(assert, slow, 503, 'service.unavailable');
  assert.match(slow.body.error.detail, /did not answer within 2 s/);
  assert.equal(count('SELECT COUNT(*) FROM nesp_checks'), before);
  assert.match(s.sql(`SELECT status FROM dci_outbound_txns ORDER BY num DESC LIMIT 1`).trim(), /^error$/, 'the attempt is recorded');
  // another social registry: now the partner must be named
  addPartner(ibr, 'sr2', 'social-registry');
  const two = await check(kim, { household_assets: 1 });
  assertError(assert, two, 422, 'validation.failed');
  assert.match(two.body.error.detail, /several registries of kind social-registry/);
  const named = await check(kim, { household_assets: 1, partner: 'sr1', date: '2026-03-02' });
  assert.equal(named.status, 201, named.text);
  // a stranger's check cannot be read by another office either
  assertError(assert, await s.get(`/api/v1/nesp-checks/${named.body.id}`, { token: staff2 }), 403, 'access.denied');
});

test('CLI: openpes nesp check and nesp show', async () => {
  const r = await cli('nesp', 'check', '--person', lee, '--assets', '50000000', '--partner', 'sr1', '--date', '2026-03-02');
  assert.equal(r.status, 0, r.stderr);
  const c = JSON.parse(r.stdout);
  assert.equal(c.status, 'done');
  assert.equal(c.result.track, 'II-vulnerable');
  const shown = await cli('nesp', 'show', '--id', c.id);
  assert.equal(shown.status, 0, shown.stderr);
  assert.deepEqual(JSON.parse(shown.stdout), c);
  const bad = await cli('nesp', 'check', '--person', lee, '--assets', 'lots');
  assert.equal(bad.status, 2);
  const none = await cli('nesp', 'check', '--person', lee, '--assets', '1');
  assert.notEqual(none.status, 0);
  assert.match(none.stderr, /several registries of kind social-registry/);
});
