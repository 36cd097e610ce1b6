// persons.test.mjs - person profiles over HTTP: create/get/patch/search, every bad-input class,
// idempotent creation, job-seeker registration, the access path (refusals audited), case teams,
// field masks, and that national ids never leave the server in clear (responses or logs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, assertError } from './lib.mjs';

const PW = 'correct-horse-42';
const NID = '900101-1234567';
const NID_DIGITS = '9001011234567';
const OTHER_NIDS = ['850505-2345678', '920202-1456789', '750505-1345678', '880808-2567890'];
let s;
const tok = {};
const acct = {};
const responses = []; // every response text, checked for clear national ids at the end

const PERSON = {
  national_id: NID, given_name: '민준', family_name: '김', birth_date: '1990-01-01', sex: 'male', nationality: 'KR',
  contact: { email: 'mj@example.kr', phone: '+82 10-1234-5678' },
  address: { line: '테헤란로 1', postal_code: '06236', region_code: 'KR-11' },
  education: { level: 'bachelor', major: 'Computer Science' },
  qualifications: [{ name: '정보처리기사', issuer: 'HRDK', obtained_on: '2015-02-01' }],
  work_history: [{ employer: 'ACME', occupation: '2512', title: 'Developer', start_date: '2015-03-01', end_date: '2024-12-31' }],
  skills: ['C', 'SQL'],
  preferences: { occupations: ['2512'], regions: ['KR-11'], salary_min: 3000000, salary_period: 'month', hours_per_week_max: 40 },
  disability: true,
};
const person = (over = {}) => ({ ...structuredClone(PERSON), ...over });

async function call(method, path, who, opts = {}) {
  const r = await s.req(method, path, { ...opts, token: who && tok[who] });
  responses.push(r.text);
  return r;
}
const get = (path, who, opts) => call('GET', path, who, opts);
const post = (path, who, body, opts = {}) => call('POST', path, who, { ...opts, body });
const patch = (path, who, body, opts = {}) => call('PATCH', path, who, { ...opts, body });

before(async () => {
  s = new Server();
  s.cliOk('office', 'add', '--code', 'SEOUL-01', '--name', 'Seoul Gangnam Job Centre', '--name-ko', '서울강남고용센터',
    '--kind', 'job_centre', '--region', 'KR-11');
  s.cliOk('office', 'add', '--code', 'BUSAN-01', '--name', 'Busan Job Centre', '--kind', 'job_centre', '--region', 'KR-26');
  s.cliOk('office', 'add', '--code', 'SEOUL-W', '--name', 'Seoul Welfare Office', '--kind', 'welfare_office', '--region', 'KR-11');
  const users = [
    ['kim', 'counsellor', 'SEOUL-01'], ['choi', 'counsellor', 'BUSAN-01'], ['han', 'supervisor', 'SEOUL-01'],
    ['jung', 'welfare_officer', 'SEOUL-W'], ['lee', 'auditor', 'SEOUL-01'], ['oh', 'analyst', 'SEOUL-01'],
  ];
  for (const [u, role, office] of users)
    s.cliOk('user', 'add', '--username', `${u}.staff`, '--password', PW, '--kind', 'staff', '--role', role, '--office', office,
      '--name', u);
  await s.start();
  for (const [u] of users) {
    const r = await s.post('/api/v1/auth/login', { username: `${u}.staff`, password: PW, mode: 'bearer' });
    assert.equal(r.status, 200, r.text);
    tok[u] = r.body.token;
    acct[u] = r.body.account.id;
  }
});
after(async () => { await s.stop(); });

let pid; // the main person, created by kim

test('create, read and patch a person; national id only masked', async () => {
  const r = await post('/api/v1/persons', 'kim', person());
  assert.equal(r.status, 201, r.text);
  pid = r.body.id;
  assert.match(pid, /^[0-9a-f-]{36}$/);
  assert.equal(r.headers.get('location'), `/api/v1/persons/${pid}`);
  assert.equal(r.body.version, 1);
  assert.equal(r.body.national_id_masked, '900101-1******');
  assert.equal(r.body.national_id, undefined);
  assert.equal(r.body.given_name, '민준');
  assert.deepEqual(r.body.work_history[0], PERSON.work_history[0]);
  assert.deepEqual(r.body.preferences, PERSON.preferences);
  assert.equal(r.body.registration, null);
  assert.equal(r.body.disability, undefined, 'an unassigned counsellor does not see disability');

  const g = await get(`/api/v1/persons/${pid}`, 'kim');
  assert.equal(g.status, 200, g.text);
  assert.equal(g.body.contact.email, 'mj@example.kr');
  assert.equal(g.body.address.region_code, 'KR-11');

  const p = await patch(`/api/v1/persons/${pid}`, 'kim', { version: 1, contact: { phone: null }, skills: ['C', 'Go'] });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.body.version, 2);
  assert.equal(p.body.contact.email, 'mj@example.kr');
  assert.equal(p.body.contact.phone, null);
  assert.deepEqual(p.body.skills, ['C', 'Go']);

  const stale = await patch(`/api/v1/persons/${pid}`, 'kim', { version: 1, sex: 'other' });
  assertError(assert, stale, 409, 'resource.conflict');
  assert.equal((await get(`/api/v1/persons/${pid}`, 'kim')).body.sex, 'male', 'the stale patch changed nothing');
});

test('search by national id (query and body) and by name + birth date', async () => {
  for (const q of [NID, NID_DIGITS]) {
    const r = await get(`/api/v1/persons?national_id=${encodeURIComponent(q)}`, 'kim');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.count, 1);
    assert.equal(r.body.items[0].id, pid);
  }
  let r = await post('/api/v1/persons/search', 'kim', { national_id: NID });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.items.map((x) => x.id), [pid]);
  r = await get(`/api/v1/persons?name=${encodeURIComponent('김 민준')}&birth_date=1990-01-01`, 'kim');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.items.map((x) => x.id), [pid]);
  // Names as people type them: without a space (Korean), given name first, or the family name alone.
  for (const name of ['김민준', '민준 김', '김']) {
    r = await post('/api/v1/persons/search', 'kim', { name, birth_date: '1990-01-01', limit: 5 });
    assert.deepEqual(r.body.items.map((x) => x.id), [pid], `name search "${name}"`);
  }
  r = await post('/api/v1/persons/search', 'kim', { name: '김 민준', birth_date: '1991-01-01' });
  assert.equal(r.body.count, 0);
  r = await post('/api/v1/persons/search', 'kim', { national_id: OTHER_NIDS[3] });
  assert.equal(r.body.count, 0);
  // Bad searches.
  assertError(assert, await get('/api/v1/persons', 'kim'), 400, 'request.bad_query');
  assertError(assert, await get('/api/v1/persons?name=kim&limit=1000', 'kim'), 400, 'request.bad_query');
  assertError(assert, await get('/api/v1/persons?national_id=12345', 'kim'), 422, 'validation.national_id');
  assertError(assert, await post('/api/v1/persons/search', 'kim', { nid: NID }), 422, 'validation.unknown_field');
  assertError(assert, await post('/api/v1/persons/search', 'kim', { name: 5 }), 422, 'validation.failed');
  assertError(assert, await post('/api/v1/persons/search', 'kim', {}), 422, 'validation.failed');
  assertError(assert, await post('/api/v1/persons/search', 'kim', { name: 'kim', birth_date: '1990-13-01' }), 422, 'validation.failed');
});

test('every bad-input class is refused with the right error', async () => {
  const P = '/api/v1/persons';
  // Malformed JSON, wrong media type, oversized body.
  assertError(assert, await post(P, 'kim', '{"given_name": "x",'), 400, 'request.malformed_json');
  assertError(assert, await post(P, 'kim', '[1,2]'), 400, 'request.malformed_json');
  assertError(assert, await post(P, 'kim', JSON.stringify(person()), { headers: { 'Content-Type': 'text/plain' } }), 415,
    'request.unsupported_media_type');
  assertError(assert, await post(P, 'kim', person({ skills: ['x'.repeat(70000)] })), 413, 'request.too_large');
  // Field-level errors name the field.
  const cases = [
    [{ given_name: 7 }, 'validation.failed', 'given_name'],
    [{ disability: 'yes' }, 'validation.failed', 'disability'],
    [{ skills: 'C' }, 'validation.failed', 'skills'],
    [{ contact: { email: 5 } }, 'validation.failed', 'contact.email'],
    [{ nickname: 'x' }, 'validation.unknown_field', 'nickname'],
    [{ address: { street: 'x' } }, 'validation.unknown_field', 'address.street'],
    [{ work_history: [{ employer: 'A', salary: 1 }] }, 'validation.unknown_field', 'work_history[0].salary'],
    [{ national_id: '900101-12345' }, 'validation.national_id', 'national_id'],
    [{ national_id: '901301-1234567' }, 'validation.national_id', 'national_id'],
    [{ national_id: '900101-A234567' }, 'validation.national_id', 'national_id'],
    [{ birth_date: '2999-01-01' }, 'validation.failed', 'birth_date'],
    [{ birth_date: '1990-02-30' }, 'validation.failed', 'birth_date'],
    [{ address: { region_code: 'Seoul' } }, 'validation.failed', 'address.region_code'],
    [{ preferences: { regions: ['KR_11'] } }, 'validation.failed', 'preferences.regions[0]'],
    [{ work_history: [{ employer: 'A', occupation: '9999' }] }, 'validation.failed', 'work_history[0].occupation'],
    [{ preferences: { occupations: ['25'] } }, 'validation.failed', 'preferences.occupations[0]'],
    [{ preferences: { salary_min: -5, salary_period: 'month' } }, 'validation.failed', 'preferences.salary_min'],
    [{ preferences: { salary_min: 5, salary_period: 'week' } }, 'validation.failed', 'preferences.salary_period'],
    [{ sex: 'M' }, 'validation.failed', 'sex'],
    [{ education: { level: 'phd' } }, 'validation.failed', 'education.level'],
    [{ skills: Array.from({ length: 51 }, (_, i) => `s${i}`) }, 'validation.failed', 'skills'],
    [{ id: pid }, 'validation.failed', 'id'],
  ];
  for (const [over, code, field] of cases) {
    const body = person({ national_id: OTHER_NIDS[3], ...over });
    const r = await post(P, 'kim', body);
    assertError(assert, r, 422, code);
    assert.equal(r.body.error.field, field, JSON.stringify(over) + ' -> ' + r.text);
  }
  const missing = person({ national_id: OTHER_NIDS[3] });
  delete missing.national_id;
  const r = await post(P, 'kim', missing);
  assertError(assert, r, 422, 'validation.failed');
  assert.equal(r.body.error.field, 'national_id');
  // The invalid number is never echoed.
  const bad = await post(P, 'kim', person({ national_id: '901301-1234567' }));
  assert.ok(!bad.text.includes('901301'), bad.text);
  // Malformed and unknown ids in paths are plain 404s.
  for (const path of ['/api/v1/persons/not-a-uuid', '/api/v1/persons/01900000-0000-7000-8000-00000000000Z',
    '/api/v1/persons/%27%20OR%201=1', '/api/v1/persons/01900000-0000-7000-8000-000000000000']) {
    const g = await get(path, 'kim');
    assertError(assert, g, 404, 'resource.not_found');
    assert.ok(!g.text.includes('OR 1=1') && !g.text.includes('not-a-uuid'), g.text);
  }
  assertError(assert, await patch('/api/v1/persons/nope', 'kim', { sex: 'male' }), 404, 'resource.not_found');
  assertError(assert, await get('/api/v1/persons/nope/jobseeker-registration', 'kim'), 404, 'resource.not_found');
  assertError(assert, await post('/api/v1/persons/nope/jobseeker-registration', 'kim', { office: 'SEOUL-01' }), 404,
    'resource.not_found');
  // PATCH validation.
  assertError(assert, await patch(`/api/v1/persons/${pid}`, 'kim', { given_name: null }), 422, 'validation.failed');
  assertError(assert, await patch(`/api/v1/persons/${pid}`, 'kim', { contact: { fax: '1' } }), 422, 'validation.unknown_field');
  assertError(assert, await patch(`/api/v1/persons/${pid}`, 'kim', { version: 'x' }), 422, 'validation.failed');
  assertError(assert, await patch(`/api/v1/persons/${pid}`, 'kim', '{bad'), 400, 'request.malformed_json');
  // Nothing above was stored.
  const none = await post('/api/v1/persons/search', 'kim', { national_id: OTHER_NIDS[3] });
  assert.equal(none.body.count, 0);
});

test('duplicate national id is 409 and changes nothing', async () => {
  const before = await get(`/api/v1/persons/${pid}`, 'kim');
  const r = await post('/api/v1/persons', 'kim', person({ national_id: NID_DIGITS, given_name: 'Other' }));
  assertError(assert, r, 409, 'resource.duplicate');
  assert.equal(r.body.error.field, 'national_id');
  assert.ok(!r.text.includes(pid), 'the existing record is not named');
  const after = await get(`/api/v1/persons/${pid}`, 'kim');
  assert.deepEqual(after.body, before.body);
  const found = await post('/api/v1/persons/search', 'kim', { national_id: NID });
  assert.equal(found.body.count, 1);
  // Changing another record's number to a taken one is refused too.
  const other = await post('/api/v1/persons', 'kim', person({ national_id: OTHER_NIDS[0], given_name: '서연' }));
  assert.equal(other.status, 201, other.text);
  const p = await patch(`/api/v1/persons/${other.body.id}`, 'kim', { national_id: NID });
  assertError(assert, p, 409, 'resource.duplicate');
  assert.equal((await get(`/api/v1/persons/${other.body.id}`, 'kim')).body.version, 1);
});

test('creation is idempotent with the same Idempotency-Key', async () => {
  const body = person({ national_id: OTHER_NIDS[1], given_name: '지훈' });
  const h = { headers: { 'Idempotency-Key': 'create-jihoon-1' } };
  const a = await post('/api/v1/persons', 'kim', body, h);
  assert.equal(a.status, 201, a.text);
  const b = await post('/api/v1/persons', 'kim', body, h);
  assert.equal(b.status, 201, b.text);
  assert.equal(b.headers.get('idempotent-replayed'), 'true');
  assert.equal(b.body.id, a.body.id);
  const found = await post('/api/v1/persons/search', 'kim', { national_id: OTHER_NIDS[1] });
  assert.equal(found.body.count, 1, 'one row');
  const c = await post('/api/v1/persons', 'kim', { ...body, given_name: 'Different' }, h);
  assertError(assert, c, 422, 'request.idempotency_key_reused');
  // Without the key a retry is a duplicate.
  assertError(assert, await post('/api/v1/persons', 'kim', body), 409, 'resource.duplicate');
});

test('job-seeker registration: create, one open, transitions, validation', async () => {
  const R = `/api/v1/persons/${pid}/jobseeker-registration`;
  assertError(assert, await get(R, 'kim'), 404, 'resource.not_found');
  assertError(assert, await post(R, 'kim', {}), 422, 'validation.failed');
  assertError(assert, await post(R, 'kim', { office: 'NOWHERE' }), 422, 'validation.failed');
  assertError(assert, await post(R, 'kim', { office: 'SEOUL-W' }), 422, 'validation.failed');
  assertError(assert, await post(R, 'kim', { office: 'SEOUL-01', status: 'active' }), 422, 'validation.unknown_field');
  assertError(assert, await post(R, 'kim', { office: 'SEOUL-01', counsellor_id: acct.choi }), 422, 'validation.failed');
  assertError(assert, await post(R, 'kim', { office: 'SEOUL-01', counsellor_id: acct.han }), 422, 'validation.failed');
  assertError(assert, await post(R, 'kim', { office: 'BUSAN-01' }), 403, 'access.denied');
  assertError(assert, await post(R, 'jung', { office: 'SEOUL-01' }), 403, 'access.denied'); // route: registrars only

  const r = await post(R, 'kim', { office: 'SEOUL-01', counsellor_id: acct.kim, registered_on: '2026-01-05',
    claim_report_date: '2026-01-10' });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(Object.keys(r.body).sort(), ['claim_id', 'counsellor_id', 'created_at', 'due_date', 'id', 'office',
    'person_id', 'registered_on', 'status', 'status_reason', 'updated_at', 'version']);
  assert.equal(r.body.status, 'active');
  assert.equal(r.body.due_date, '2026-01-17');
  assert.equal(r.body.person_id, pid);
  assert.equal(r.body.counsellor_id, acct.kim);
  assert.deepEqual(Object.keys(r.body.office).sort(), ['code', 'id', 'name', 'name_ko', 'region_code']);
  assert.equal(r.body.office.name_ko, '서울강남고용센터');
  assertError(assert, await post(R, 'kim', { office: 'SEOUL-01' }), 409, 'resource.duplicate');

  // The assigned counsellor now sees the disability flag; the person shows the registration.
  const g = await get(`/api/v1/persons/${pid}`, 'kim');
  assert.equal(g.body.disability, true);
  assert.equal(g.body.registration.id, r.body.id);

  let p = await patch(R, 'kim', { status: 'suspended', status_reason: 'hospital stay' });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.body.status, 'suspended');
  assert.equal(p.body.status_reason, 'hospital stay');
  assert.equal(p.body.version, 2);
  assertError(assert, await patch(R, 'kim', { status: 'paused' }), 422, 'validation.failed');
  assertError(assert, await patch(R, 'kim', { version: 1, status: 'active' }), 409, 'resource.conflict');
  assertError(assert, await patch(R, 'kim', { office: 'BUSAN-01' }), 422, 'validation.unknown_field');
  p = await patch(R, 'kim', { status: 'active', version: 2 });
  assert.equal(p.status, 200, p.text);
  p = await patch(R, 'kim', { status: 'closed', status_reason: 'moved abroad' });
  assert.equal(p.body.status, 'closed');
  const bad = await patch(R, 'kim', { status: 'active' });
  assertError(assert, bad, 422, 'validation.failed');
  assert.equal(bad.body.error.field, 'status');
  const cur = await get(R, 'kim');
  assert.equal(cur.status, 200, cur.text);
  assert.equal(cur.body.status, 'closed');
  // A closed registration does not block a new one.
  const again = await post(R, 'kim', { office: 'SEOUL-01', counsellor_id: acct.kim });
  assert.equal(again.status, 201, again.text);
  assert.equal(again.body.due_date, null);
});

test('a counsellor of another office is refused, and the refusal is audited', async () => {
  const r = await get(`/api/v1/persons/${pid}`, 'choi', { headers: { 'X-Correlation-ID': 'choi-read-1' } });
  assertError(assert, r, 403, 'access.denied');
  assert.equal(r.body.error.detail.includes('민준'), false);
  assertError(assert, await patch(`/api/v1/persons/${pid}`, 'choi', { skills: [] }), 403, 'access.denied');
  assertError(assert, await get(`/api/v1/persons/${pid}/jobseeker-registration`, 'choi'), 403, 'access.denied');
  const sr = await post('/api/v1/persons/search', 'choi', { national_id: NID });
  assert.equal(sr.status, 200);
  assert.equal(sr.body.count, 0, 'search does not reveal the person');
  // Purpose the role may not declare.
  assertError(assert, await get(`/api/v1/persons/${pid}`, 'kim', { headers: { 'X-Purpose': 'statistics' } }), 403,
    'access.denied');
  assertError(assert, await get(`/api/v1/persons/${pid}`, 'kim', { headers: { 'X-Purpose': 'nonsense' } }), 422,
    'validation.failed');
  // Analysts and auditors have no access to identifiable data; the refusal is audited too.
  assertError(assert, await get(`/api/v1/persons/${pid}`, 'oh'), 403, 'access.denied');

  const a = await get(`/api/v1/audit?person_id=${pid}&limit=500`, 'lee');
  assert.equal(a.status, 200, a.text);
  const deny = a.body.items.filter((x) => x.outcome === 'deny' && x.actor_id === acct.choi);
  assert.ok(deny.length >= 4, JSON.stringify(deny));
  const read = deny.find((x) => x.correlation_id === 'choi-read-1');
  assert.ok(read, 'the refused read is in the audit log');
  assert.equal(read.action, 'READ');
  assert.equal(read.resource_type, 'person');
  assert.equal(read.actor_role, 'counsellor');
  assert.match(read.detail, /another office/);
  assert.ok(deny.some((x) => x.action === 'SEARCH'), 'the refused national-id search is audited');
  assert.ok(a.body.items.some((x) => x.outcome === 'deny' && x.actor_id === acct.oh));
  assert.ok(a.body.items.some((x) => x.outcome === 'deny' && x.actor_id === acct.kim && x.purpose === 'statistics'));
  assert.ok(a.body.items.some((x) => x.outcome === 'allow' && x.action === 'CREATE' && x.actor_id === acct.kim));
  // The auditor cannot read the person.
  assertError(assert, await get(`/api/v1/persons/${pid}`, 'lee'), 403, 'access.denied');
});

test('welfare officer sees the welfare field groups only; case team membership widens access', async () => {
  const w = await get(`/api/v1/persons/${pid}`, 'jung');
  assert.equal(w.status, 200, w.text);
  for (const k of ['national_id_masked', 'given_name', 'contact', 'address', 'registration']) assert.ok(k in w.body, k);
  for (const k of ['work_history', 'qualifications', 'skills', 'preferences', 'education', 'disability'])
    assert.ok(!(k in w.body), k);
  assertError(assert, await patch(`/api/v1/persons/${pid}`, 'jung', { contact: { phone: '010-2222-3333' } }), 403,
    'access.denied');

  // Only supervisors manage case teams.
  const C = `/api/v1/persons/${pid}/case-members`;
  assertError(assert, await post(C, 'kim', { account_id: acct.choi, role: 'member' }), 403, 'access.denied');
  assertError(assert, await post(C, 'han', { account_id: acct.choi, role: 'boss' }), 422, 'validation.failed');
  assertError(assert, await post(C, 'han', { account_id: acct.oh, role: 'member' }), 422, 'validation.failed');
  assertError(assert, await post(C, 'han', { account_id: acct.choi }), 422, 'validation.failed');
  assertError(assert, await post(C, 'han', { account_id: acct.choi, role: 'member', x: 1 }), 422, 'validation.unknown_field');
  assertError(assert, await post('/api/v1/persons/bad/case-members', 'han', { account_id: acct.choi, role: 'member' }), 404,
    'resource.not_found');
  let r = await post(C, 'han', { account_id: acct.choi, role: 'member' });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.body, { person_id: pid, account_id: acct.choi, role: 'member' });
  const g = await get(`/api/v1/persons/${pid}`, 'choi');
  assert.equal(g.status, 200, g.text);
  assert.equal(g.body.disability, true, 'case members see the sensitive group');

  r = await post(C, 'han', { account_id: acct.jung, role: 'welfare_officer' });
  assert.equal(r.status, 201, r.text);
  const w2 = await get(`/api/v1/persons/${pid}`, 'jung');
  assert.ok('disability' in w2.body && 'education' in w2.body);
  assert.ok(!('work_history' in w2.body));
  const p = await patch(`/api/v1/persons/${pid}`, 'jung', { contact: { phone: '010-2222-3333' } });
  assert.equal(p.status, 200, p.text);
  assertError(assert, await patch(`/api/v1/persons/${pid}`, 'jung', { skills: ['x'] }), 403, 'access.denied');
});

test('the read answer (rendered by the database) equals the document other answers embed, for every field mask', async () => {
  // GET /persons/{id} and /me splice parts the database renders (person_render.c, pr_read); search,
  // create and update answers build the document with jansson (pr_json).  Both must agree for every
  // reader: kim (counsellor, registering office), han (supervisor), jung (welfare officer and case
  // member), choi (counsellor of another office, case member).
  const reg = await get(`/api/v1/persons/${pid}/jobseeker-registration`, 'kim');
  assert.equal(reg.status, 200, reg.text);
  for (const who of ['kim', 'han', 'jung', 'choi']) {
    const g = await get(`/api/v1/persons/${pid}`, who);
    assert.equal(g.status, 200, g.text);
    const sr = await post('/api/v1/persons/search', who, { national_id: NID });
    assert.equal(sr.status, 200, sr.text);
    assert.equal(sr.body.count, 1, `${who} finds the person`);
    assert.deepEqual(g.body, sr.body.items[0], `${who}: GET and search answers differ`);
    assert.ok(Object.keys(g.body).length >= 6, `${who} sees something`);
    if ('registration' in g.body) assert.deepEqual(g.body.registration, reg.body, `${who}: the registration part`);
  }
  // A person with empty lists and no registration, read back as created.
  const r = await post('/api/v1/persons', 'kim', person({ national_id: '770707-1234560', qualifications: [], skills: [],
    work_history: [], preferences: undefined, education: undefined, contact: undefined, disability: false }));
  assert.equal(r.status, 201, r.text);
  const g = await get(`/api/v1/persons/${r.body.id}`, 'kim');
  assert.deepEqual(g.body, r.body);
  assert.equal(g.body.registration, null);
  assert.deepEqual(g.body.preferences, { occupations: [], regions: [], salary_min: null, salary_period: null, hours_per_week_max: null });
});

test('welfare officers may create people; they get their field mask back', async () => {
  const r = await post('/api/v1/persons', 'jung', person({ national_id: OTHER_NIDS[2], given_name: '하늘' }));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.national_id_masked, '750505-1******');
  assert.ok(!('work_history' in r.body));
  assertError(assert, await post('/api/v1/persons', 'oh', person({ national_id: OTHER_NIDS[3] })), 403, 'access.denied');
});

test('openapi lists the person routes with their flags', async () => {
  const r = await get('/api/v1/openapi.json');
  assert.equal(r.status, 200);
  for (const [p, m] of [['/api/v1/persons', 'post'], ['/api/v1/persons', 'get'], ['/api/v1/persons/search', 'post'],
    ['/api/v1/persons/{id}', 'get'], ['/api/v1/persons/{id}', 'patch'],
    ['/api/v1/persons/{id}/jobseeker-registration', 'post'], ['/api/v1/persons/{id}/case-members', 'post']])
    assert.ok(r.body.paths[p]?.[m], `${m} ${p}`);
});

test('national ids never appear in clear in responses or server logs', async () => {
  await new Promise((res) => setTimeout(res, 100));
  const all = [NID, NID_DIGITS, ...OTHER_NIDS, ...OTHER_NIDS.map((n) => n.replace('-', ''))];
  const tails = all.map((n) => n.replace('-', '').slice(6)); // the individual part
  for (const text of responses)
    for (const t of tails) assert.ok(!text.includes(t), `response leaks a national id: ${text.slice(0, 200)}`);
  assert.ok(s.logs.some((l) => l.includes('"route":"/api/v1/persons"')), 'requests were logged');
  for (const line of s.logs) {
    for (const n of all) assert.ok(!line.includes(n) && !line.includes(encodeURIComponent(n)), `log leaks: ${line}`);
    assert.ok(!line.includes('national_id='), `log has the query string: ${line}`);
  }
});
