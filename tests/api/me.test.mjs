// me.test.mjs - citizen self-service at /api/v1/me: sign up, create and link the profile, read and
// correct it (not the identity fields), register as a job seeker in their region, and see who
// read their data (office and role, never the staff member).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, assertError } from './lib.mjs';

const PW = 'correct-horse-42';
const NID = '880808-2567890';
const TAKEN_NID = '850505-2345678';
let s, citizen, other, kim, kimId;
const responses = [];

async function call(method, path, token, opts = {}) {
  const r = await s.req(method, path, { ...opts, token });
  responses.push(r.text);
  return r;
}

const PROFILE = {
  national_id: NID, given_name: '서연', family_name: '이', birth_date: '1988-08-08', sex: 'female',
  contact: { email: 'seoyeon@example.kr' }, address: { line: '종로 1', postal_code: '03154', region_code: 'KR-11' },
  education: { level: 'master', major: 'Economics' }, skills: ['Excel'],
  preferences: { occupations: ['2411'], salary_min: 40000000, salary_period: 'year' },
};

before(async () => {
  s = new Server();
  s.cliOk('office', 'add', '--code', 'SEOUL-01', '--name', 'Seoul Job Centre', '--name-ko', '서울고용센터',
    '--kind', 'job_centre', '--region', 'KR-11');
  s.cliOk('office', 'add', '--code', 'BUSAN-01', '--name', 'Busan Job Centre', '--kind', 'job_centre', '--region', 'KR-26');
  s.cliOk('user', 'add', '--username', 'kim.counsellor', '--password', PW, '--kind', 'staff', '--role', 'counsellor',
    '--office', 'SEOUL-01', '--name', 'Kim Counsellor');
  s.cliOk('user', 'add', '--username', 'park.citizen', '--password', PW, '--kind', 'citizen', '--name', 'Park');
  await s.start();
  const r = await s.post('/api/v1/auth/signup', { username: 'lee.seoyeon', password: PW, display_name: 'Lee', locale: 'ko' });
  assert.equal(r.status, 201, r.text);
  citizen = await s.login('lee.seoyeon', PW);
  other = await s.login('park.citizen', PW);
  const k = await s.post('/api/v1/auth/login', { username: 'kim.counsellor', password: PW, mode: 'bearer' });
  kim = k.body.token;
  kimId = k.body.account.id;
});
after(async () => { await s.stop(); });

let pid;

test('before creating a profile, /me is 404 with a hint', async () => {
  const r = await call('GET', '/api/v1/me', citizen);
  assertError(assert, r, 404, 'resource.not_found');
  assert.match(r.body.error.hint, /POST \/api\/v1\/me/);
  assertError(assert, await call('PATCH', '/api/v1/me', citizen, { body: { skills: [] } }), 404, 'resource.not_found');
  assertError(assert, await call('GET', '/api/v1/me/jobseeker-registration', citizen), 404, 'resource.not_found');
});

test('POST /me validates like POST /persons', async () => {
  const noNid = { ...PROFILE };
  delete noNid.national_id;
  let r = await call('POST', '/api/v1/me', citizen, { body: noNid });
  assertError(assert, r, 422, 'validation.failed');
  assert.equal(r.body.error.field, 'national_id');
  assertError(assert, await call('POST', '/api/v1/me', citizen, { body: { ...PROFILE, national_id: '881308-2567890' } }), 422,
    'validation.national_id');
  assertError(assert, await call('POST', '/api/v1/me', citizen, { body: { ...PROFILE, hobby: 'go' } }), 422,
    'validation.unknown_field');
  assertError(assert, await call('POST', '/api/v1/me', citizen, { body: '{"given_name":' }), 400, 'request.malformed_json');
  assertError(assert, await call('POST', '/api/v1/me', citizen, { body: { ...PROFILE, birth_date: '2999-01-01' } }), 422,
    'validation.failed');
  r = await call('GET', '/api/v1/me', citizen);
  assert.equal(r.status, 404, 'nothing was created');
});

test('a record that already exists is not claimable by national id', async () => {
  const c = await call('POST', '/api/v1/persons', kim, {
    body: { national_id: TAKEN_NID, given_name: 'Someone', family_name: 'Else', birth_date: '1985-05-05',
      address: { region_code: 'KR-11' } },
  });
  assert.equal(c.status, 201, c.text);
  const r = await call('POST', '/api/v1/me', other, { body: { ...PROFILE, national_id: TAKEN_NID } });
  assertError(assert, r, 409, 'resource.duplicate');
  assert.match(r.body.error.hint, /job centre/);
  assert.ok(!r.text.includes(c.body.id));
  assertError(assert, await call('GET', '/api/v1/me', other), 404, 'resource.not_found');
});

test('create my profile: linked to my account, idempotent, once', async () => {
  const h = { 'Idempotency-Key': 'me-create-1' };
  const r = await call('POST', '/api/v1/me', citizen, { body: PROFILE, headers: h });
  assert.equal(r.status, 201, r.text);
  pid = r.body.id;
  assert.equal(r.body.national_id_masked, '880808-2******');
  assert.equal(r.body.given_name, '서연');
  const again = await call('POST', '/api/v1/me', citizen, { body: PROFILE, headers: h });
  assert.equal(again.status, 201);
  assert.equal(again.body.id, pid);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assertError(assert, await call('POST', '/api/v1/me', citizen, { body: { ...PROFILE, national_id: '900101-2123456' } }), 409,
    'resource.duplicate');
  const sess = await call('GET', '/api/v1/auth/session', citizen);
  assert.equal(sess.body.account.person_id, pid);
  const g = await call('GET', '/api/v1/me', citizen);
  assert.equal(g.status, 200, g.text);
  assert.equal(g.body.id, pid);
  assert.equal(g.body.disability, false, 'the person sees every field group of their own record');
  assert.deepEqual(g.body.preferences.occupations, ['2411']);
});

test('PATCH /me: contact and profile yes; identity fields need a counsellor', async () => {
  for (const [field, value] of [['national_id', '880808-2567891'], ['birth_date', '1988-08-09'], ['given_name', 'X'],
    ['family_name', 'Y']]) {
    const r = await call('PATCH', '/api/v1/me', citizen, { body: { [field]: value } });
    assertError(assert, r, 422, 'validation.failed');
    assert.equal(r.body.error.field, field);
    assert.match(r.body.error.hint, /counsellor/);
  }
  const r = await call('PATCH', '/api/v1/me', citizen, { body: { version: 1, contact: { phone: '010-9999-8888' }, sex: 'other' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.version, 2);
  assert.equal(r.body.contact.phone, '010-9999-8888');
  assert.equal(r.body.contact.email, 'seoyeon@example.kr');
  assertError(assert, await call('PATCH', '/api/v1/me', citizen, { body: { version: 1, sex: 'female' } }), 409,
    'resource.conflict');
  assertError(assert, await call('PATCH', '/api/v1/me', citizen, { body: { address: { region_code: 'Seoul' } } }), 422,
    'validation.failed');
  assertError(assert, await call('PATCH', '/api/v1/me', citizen, { body: { preferences: { occupations: ['1'] } } }), 422,
    'validation.failed');
});

test('citizens cannot use the staff routes or other people\'s records', async () => {
  assertError(assert, await call('GET', `/api/v1/persons/${pid}`, citizen), 403, 'access.denied');
  assertError(assert, await call('POST', '/api/v1/persons/search', citizen, { body: { national_id: NID } }), 403, 'access.denied');
  assertError(assert, await call('GET', '/api/v1/me', kim), 403, 'access.denied');
  assertError(assert, await call('GET', '/api/v1/me', undefined), 401, 'auth.required');
});

test('self-registration as a job seeker at a job centre in my region', async () => {
  const R = '/api/v1/me/jobseeker-registration';
  assertError(assert, await call('POST', R, citizen, { body: { office: 'BUSAN-01' } }), 422, 'validation.failed');
  assertError(assert, await call('POST', R, citizen, { body: { office: 'SEOUL-01', counsellor_id: kimId } }), 422,
    'validation.unknown_field');
  assertError(assert, await call('POST', R, citizen, { body: { office: 'SEOUL-01', claim_report_date: '2026-01-01' } }), 422,
    'validation.unknown_field');
  assertError(assert, await call('POST', R, citizen, { body: {} }), 422, 'validation.failed');
  const r = await call('POST', R, citizen, { body: { office: 'SEOUL-01' } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.status, 'active');
  assert.equal(r.body.person_id, pid);
  assert.equal(r.body.office.code, 'SEOUL-01');
  assert.equal(r.body.counsellor_id, null);
  assertError(assert, await call('POST', R, citizen, { body: { office: 'SEOUL-01' } }), 409, 'resource.duplicate');
  const g = await call('GET', R, citizen);
  assert.equal(g.status, 200);
  assert.equal(g.body.id, r.body.id);
  assertError(assert, await call('PATCH', R, citizen, { body: { status: 'closed' } }), 405, 'route.method_not_allowed');
  const me = await call('GET', '/api/v1/me', citizen);
  assert.equal(me.body.registration.id, r.body.id);
});

test('my access log shows the counsellor\'s read with office and role, not who', async () => {
  const r = await call('GET', `/api/v1/persons/${pid}`, kim);
  assert.equal(r.status, 200, r.text);
  const log = await call('GET', '/api/v1/me/access-log', citizen);
  assert.equal(log.status, 200, log.text);
  const read = log.body.items.find((x) => x.actor_type === 'staff' && x.action === 'READ' && x.resource_type === 'person');
  assert.ok(read, JSON.stringify(log.body.items));
  assert.equal(read.role, 'counsellor');
  assert.equal(read.office.name, 'Seoul Job Centre');
  assert.equal(read.office.name_ko, '서울고용센터');
  assert.equal(read.purpose, 'employment_service');
  assert.equal(read.outcome, 'allow');
  assert.ok(!log.text.includes(kimId), 'no staff account id');
  assert.ok(!log.text.includes('Kim Counsellor') && !log.text.includes('kim.counsellor'), 'no staff name');
  assert.ok(log.body.items.some((x) => x.actor_type === 'citizen' && x.action === 'CREATE'), 'own actions are listed');
});

test('national ids never appear in clear in responses or logs', async () => {
  await new Promise((res) => setTimeout(res, 100));
  for (const n of [NID, TAKEN_NID, '881308-2567890', '880808-2567891', '900101-2123456']) {
    const tail = n.slice(7);
    for (const t of responses) assert.ok(!t.includes(tail), `response leaks: ${t.slice(0, 200)}`);
    for (const l of s.logs) assert.ok(!l.includes(n) && !l.includes(n.replace('-', '')), `log leaks: ${l}`);
  }
});
