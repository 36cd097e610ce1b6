// match.test.mjs - recommendations over HTTP: vacancies for me (with the why, scores ordered),
// candidates for a vacancy only among people who agreed to be found, only their chosen fields,
// each returned person audited; bad input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, assertError } from './lib.mjs';

const PW = 'correct-horse-42';
let s, employer, employer2, citizen, citizen2, auditor, vacId, leeId;
const closing = new Date(Date.now() + 30 * 86400e3).toISOString().slice(0, 10);
const vacancy = (extra = {}) => ({
  title: 'Software developer', description: 'Backend services in C and SQL, on-call rota shared.',
  occupation: '2512', region: 'KR-11', salary_min: 3500000, salary_max: 4500000, salary_period: 'month',
  hours_per_week: 40, contract: 'permanent', closing_date: closing, contact: { method: 'online' }, skills: ['SQL'], ...extra,
});
const person = (nid, name) => ({
  national_id: nid, given_name: name, family_name: '이', birth_date: '1988-08-08', sex: 'female',
  contact: { email: 'seeker@example.kr' }, address: { line: '종로 1', postal_code: '03154', region_code: 'KR-11' },
  education: { level: 'bachelor', major: 'Computer science' }, skills: ['SQL', 'C'],
  preferences: { occupations: ['2512'], regions: ['KR-11'], salary_min: 3000000, salary_period: 'month' },
});

before(async () => {
  s = new Server();
  s.cliOk('office', 'add', '--code', 'SEOUL-01', '--name', 'Seoul Job Centre', '--kind', 'job_centre', '--region', 'KR-11');
  s.cliOk('user', 'add', '--username', 'acme.hr', '--password', PW, '--kind', 'employer', '--name', 'Acme HR');
  s.cliOk('user', 'add', '--username', 'beta.hr', '--password', PW, '--kind', 'employer', '--name', 'Beta HR');
  s.cliOk('user', 'add', '--username', 'lee', '--password', PW, '--kind', 'citizen', '--name', 'Lee');
  s.cliOk('user', 'add', '--username', 'park', '--password', PW, '--kind', 'citizen', '--name', 'Park');
  s.cliOk('user', 'add', '--username', 'kim.counsellor', '--password', PW, '--kind', 'staff', '--role', 'counsellor', '--office', 'SEOUL-01', '--name', 'Kim');
  s.cliOk('user', 'add', '--username', 'lee.auditor', '--password', PW, '--kind', 'staff', '--role', 'auditor', '--office', 'SEOUL-01', '--name', 'Aud');
  await s.start();
  employer = await s.login('acme.hr', PW);
  employer2 = await s.login('beta.hr', PW);
  citizen = await s.login('lee', PW);
  citizen2 = await s.login('park', PW);
  auditor = await s.login('lee.auditor', PW);
  const counsellor = await s.login('kim.counsellor', PW);
  let r = await s.post('/api/v1/employers', { name: 'Acme', brn: '2208162517', size_class: 'small', region: 'KR-11' }, { token: employer });
  await s.post(`/api/v1/employers/${r.body.id}/verification`, {}, { token: counsellor });
  await s.post('/api/v1/employers', { name: 'Beta', brn: '124-81-00998', size_class: 'small' }, { token: employer2 });
  r = await s.post('/api/v1/vacancies', vacancy(), { token: employer });
  assert.equal(r.body.status, 'published', r.text);
  vacId = r.body.id;
  await s.post('/api/v1/vacancies', vacancy({ title: 'Cook', occupation: '5120', skills: ['Knife'], region: 'KR-11' }), { token: employer });
  r = await s.post('/api/v1/me', person('880808-2567890', '서연'), { token: citizen });
  assert.equal(r.status, 201, r.text);
  leeId = r.body.id;
  assert.equal((await s.post('/api/v1/me', person('900101-1234567', '민준'), { token: citizen2 })).status, 201);
});
after(async () => { await s.stop(); });

test('recommended for me: scores ordered, every factor explained', async () => {
  const r = await s.get('/api/v1/me/recommendations?limit=5', { token: citizen });
  assert.equal(r.status, 200, r.text);
  assert.ok(r.body.items.length >= 2);
  assert.equal(r.body.items[0].vacancy.id, vacId);
  for (let i = 1; i < r.body.items.length; i++) assert.ok(r.body.items[i - 1].score >= r.body.items[i].score);
  const names = r.body.items[0].factors.map((f) => f.factor);
  assert.deepEqual(names, ['occupation', 'skills', 'education', 'experience', 'region', 'salary', 'hours', 'training']);
  assert.ok(r.body.items[0].factors.every((f) => typeof f.reason === 'string' && f.value >= 0 && f.value <= 1));
  assertError(assert, await s.get('/api/v1/me/recommendations?limit=0', { token: citizen }), 400);
  assertError(assert, await s.get('/api/v1/me/recommendations?limit=abc', { token: citizen }), 400);
  assertError(assert, await s.get(`/api/v1/persons/${leeId}/recommendations`, { token: employer }), 403);
});

test('candidates: only people who agreed, only the fields they chose, each one audited', async () => {
  let r = await s.get(`/api/v1/vacancies/${vacId}/candidates`, { token: employer });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.items.length, 0, 'nobody agreed yet');
  r = await s.req('PUT', '/api/v1/me/visibility', { token: citizen, body: { findable: true, fields: ['identity', 'skills', 'education'] } });
  assert.equal(r.status, 200, r.text);
  r = await s.get(`/api/v1/vacancies/${vacId}/candidates?limit=10`, { token: employer });
  assert.equal(r.body.items.length, 1);
  const p = r.body.items[0].person;
  assert.equal(p.id, leeId);
  assert.equal(p.given_name, '서연');
  assert.deepEqual(p.skills, ['SQL', 'C']);
  assert.equal(p.contact, undefined);
  assert.equal(p.address, undefined);
  assert.equal(p.national_id, undefined);
  assert.equal(r.body.items[0].factors.length, 8);
  assertError(assert, await s.get(`/api/v1/vacancies/${vacId}/candidates`, { token: employer2 }), 403);
  assertError(assert, await s.get(`/api/v1/vacancies/${vacId}/candidates?limit=500`, { token: employer }), 400);
  const log = await s.get(`/api/v1/audit?person_id=${leeId}&limit=500`, { token: auditor });
  assert.equal(log.status, 200, log.text);
  const rows = log.body.items.filter((x) => x.resource_type === 'candidate');
  assert.ok(rows.length >= 1, JSON.stringify(log.body.items.slice(0, 3)));
  assert.equal(rows[0].actor_type, 'employer');
  assert.equal(rows[0].purpose, 'employment_service');
  assert.equal(rows[0].outcome, 'allow');
  // turning it off removes the person at once
  await s.req('PUT', '/api/v1/me/visibility', { token: citizen, body: { findable: false } });
  r = await s.get(`/api/v1/vacancies/${vacId}/candidates`, { token: employer });
  assert.equal(r.body.items.length, 0);
});
