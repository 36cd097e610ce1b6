// jobs_applications.test.mjs - applications over HTTP: apply, the state machine (legal and illegal
// moves), employers see only their own applicants (through the access path, audited), activity and
// employment events, a hire fills the opening; the "findable by employers" setting.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, assertError } from './lib.mjs';

const PW = 'correct-horse-42';
let s, employer, employer2, citizen, citizen2, vacId, appId;
const closing = new Date(Date.now() + 30 * 86400e3).toISOString().slice(0, 10);
const vacancy = (extra = {}) => ({
  title: '소프트웨어 개발자 채용', description: '백엔드 서비스 개발과 운영을 담당합니다. 4대보험 가입.',
  occupation: '2512', region: 'KR-11', salary_min: 3500000, salary_max: 4500000, salary_period: 'month',
  hours_per_week: 40, contract: 'permanent', closing_date: closing, contact: { method: 'online' }, ...extra,
});
const person = (nid, name) => ({
  national_id: nid, given_name: name, family_name: '이', birth_date: '1988-08-08', sex: 'female',
  contact: { email: 'seeker@example.kr' }, address: { line: '종로 1', postal_code: '03154', region_code: 'KR-11' },
  education: { level: 'bachelor', major: 'Computer science' }, skills: ['C', 'SQL'],
});

before(async () => {
  s = new Server();
  s.cliOk('office', 'add', '--code', 'SEOUL-01', '--name', 'Seoul Job Centre', '--kind', 'job_centre', '--region', 'KR-11');
  s.cliOk('user', 'add', '--username', 'acme.hr', '--password', PW, '--kind', 'employer', '--name', 'Acme HR');
  s.cliOk('user', 'add', '--username', 'beta.hr', '--password', PW, '--kind', 'employer', '--name', 'Beta HR');
  s.cliOk('user', 'add', '--username', 'lee', '--password', PW, '--kind', 'citizen', '--name', 'Lee');
  s.cliOk('user', 'add', '--username', 'park', '--password', PW, '--kind', 'citizen', '--name', 'Park');
  s.cliOk('user', 'add', '--username', 'kim.counsellor', '--password', PW, '--kind', 'staff', '--role', 'counsellor', '--office', 'SEOUL-01', '--name', 'Kim');
  await s.start();
  employer = await s.login('acme.hr', PW);
  employer2 = await s.login('beta.hr', PW);
  citizen = await s.login('lee', PW);
  citizen2 = await s.login('park', PW);
  const counsellor = await s.login('kim.counsellor', PW);
  let r = await s.post('/api/v1/employers', { name: 'Acme', brn: '2208162517', size_class: 'small', region: 'KR-11' }, { token: employer });
  assert.equal(r.status, 201, r.text);
  await s.post(`/api/v1/employers/${r.body.id}/verification`, {}, { token: counsellor });
  r = await s.post('/api/v1/employers', { name: 'Beta', brn: '124-81-00998', size_class: 'small' }, { token: employer2 });
  assert.equal(r.status, 201, r.text);
  r = await s.post('/api/v1/vacancies', vacancy({ openings: 1 }), { token: employer });
  assert.equal(r.body.status, 'published', r.text);
  vacId = r.body.id;
  assert.equal((await s.post('/api/v1/me', person('880808-2567890', '서연'), { token: citizen })).status, 201);
  assert.equal((await s.post('/api/v1/me', person('900101-1234567', '민준'), { token: citizen2 })).status, 201);
});
after(async () => { await s.stop(); });

test('apply: once per vacancy, only citizens with a record, only open vacancies', async () => {
  let r = await s.post(`/api/v1/vacancies/${vacId}/applications`, { note: '지원합니다' }, { token: citizen });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.status, 'applied');
  appId = r.body.id;
  assertError(assert, await s.post(`/api/v1/vacancies/${vacId}/applications`, {}, { token: citizen }), 409);
  assertError(assert, await s.post(`/api/v1/vacancies/${vacId}/applications`, {}, { token: employer }), 403);
  assertError(assert, await s.post('/api/v1/vacancies/00000000-0000-7000-8000-000000000000/applications', {}, { token: citizen }), 404);
  assertError(assert, await s.post(`/api/v1/vacancies/${vacId}/applications`, { cv: 'x' }, { token: citizen }), 422);
  r = await s.get('/api/v1/me/applications', { token: citizen });
  assert.equal(r.body.items.length, 1);
  assert.equal(r.body.items[0].vacancy.title, '소프트웨어 개발자 채용');
});

test('employers see only their own applicants, with the fields an application shows', async () => {
  let r = await s.get(`/api/v1/vacancies/${vacId}/applications`, { token: employer });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.items.length, 1);
  const a = r.body.items[0].applicant;
  assert.equal(a.given_name, '서연');
  assert.ok(a.skills && a.education, 'skills and education shown');
  assert.equal(a.national_id, undefined, 'no national id');
  assertError(assert, await s.get(`/api/v1/vacancies/${vacId}/applications`, { token: employer2 }), 403);
  assertError(assert, await s.get(`/api/v1/applications/${appId}`, { token: employer2 }), 404);
  assertError(assert, await s.get(`/api/v1/applications/${appId}`, { token: citizen2 }), 404);
  assertError(assert, await s.post(`/api/v1/applications/${appId}/status`, { status: 'viewed' }, { token: employer2 }), 404);
});

test('state machine: legal moves with timestamps, illegal ones refused, a hire fills the vacancy', async () => {
  const move = (status, token) => s.post(`/api/v1/applications/${appId}/status`, { status }, { token });
  assertError(assert, await move('hired', employer), 422);
  assertError(assert, await move('interview', citizen), 403);
  assertError(assert, await move('withdrawn', employer), 422);
  assertError(assert, await move('sleeping', employer), 422);
  let r = await move('viewed', employer);
  assert.equal(r.status, 200, r.text);
  assert.ok(r.body.viewed_at);
  r = await move('interview', employer);
  assert.ok(r.body.interview_at);
  assertError(assert, await move('viewed', employer), 422);
  r = await move('offer', employer);
  assert.ok(r.body.offer_at);
  r = await move('hired', employer);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.status, 'hired');
  assert.ok(r.body.closed_at);
  assertError(assert, await move('rejected', employer), 422);
  r = await s.get(`/api/v1/vacancies/${vacId}`, { token: employer });
  assert.equal(r.body.status, 'closed', 'the only opening is filled');
  assertError(assert, await s.post(`/api/v1/vacancies/${vacId}/applications`, {}, { token: citizen2 }), 404);
});

test('the applicant can withdraw', async () => {
  const v = await s.post('/api/v1/vacancies', vacancy({ title: 'Backend Engineer', openings: 2 }), { token: employer });
  assert.equal(v.body.status, 'published', v.text);
  const a = await s.post(`/api/v1/vacancies/${v.body.id}/applications`, {}, { token: citizen2 });
  assert.equal(a.status, 201, a.text);
  const r = await s.post(`/api/v1/applications/${a.body.id}/status`, { status: 'withdrawn' }, { token: citizen2 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.status, 'withdrawn');
});

test('findable by employers: off by default, set by the citizen', async () => {
  let r = await s.get('/api/v1/me/visibility', { token: citizen });
  assert.equal(r.body.findable, false);
  r = await s.req('PUT', '/api/v1/me/visibility', { token: citizen, body: { findable: true, fields: ['identity', 'skills'] } });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.fields, ['identity', 'skills']);
  assertError(assert, await s.req('PUT', '/api/v1/me/visibility', { token: citizen, body: { findable: true, fields: ['national_id'] } }), 422);
  assertError(assert, await s.req('PUT', '/api/v1/me/visibility', { token: employer, body: { findable: true } }), 403);
});
