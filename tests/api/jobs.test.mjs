// jobs.test.mjs - the job market over HTTP: employers, posting with vetting, the counsellor queue,
// search with filters, typeahead, the partner feed, bulk import, and every bad-input class.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Server, assertError } from './lib.mjs';

const PW = 'correct-horse-42';
const SECRET = 'partner-secret-0123456789';
let s, counsellor, employer, employer2, citizen, partner, partnerNoScope, empId;

const closing = new Date(Date.now() + 30 * 86400e3).toISOString().slice(0, 10);
const vacancy = (extra = {}) => ({
  title: '소프트웨어 개발자 채용', description: '백엔드 서비스 개발과 운영을 담당합니다. 4대보험 가입.',
  occupation: '2512', region: 'KR-11', salary_min: 3500000, salary_max: 4500000, salary_period: 'month',
  hours_per_week: 40, contract: 'permanent', closing_date: closing, contact: { method: 'online' }, ...extra,
});

async function partnerToken(id) {
  const r = await s.req('POST', '/oauth2/client/token', { form: { grant_type: 'client_credentials', client_id: id, client_secret: SECRET } });
  assert.equal(r.status, 200, r.text);
  return r.body.access_token;
}

before(async () => {
  s = new Server();
  s.cliOk('office', 'add', '--code', 'SEOUL-01', '--name', 'Seoul Job Centre', '--kind', 'job_centre', '--region', 'KR-11');
  s.cliOk('user', 'add', '--username', 'kim.counsellor', '--password', PW, '--kind', 'staff', '--role', 'counsellor', '--office', 'SEOUL-01', '--name', 'Kim');
  s.cliOk('user', 'add', '--username', 'acme.hr', '--password', PW, '--kind', 'employer', '--name', 'Acme HR');
  s.cliOk('user', 'add', '--username', 'beta.hr', '--password', PW, '--kind', 'employer', '--name', 'Beta HR');
  s.cliOk('user', 'add', '--username', 'lee.citizen', '--password', PW, '--kind', 'citizen', '--name', 'Lee');
  s.cliOk('client', 'add', '--id', 'jobboard', '--secret', SECRET, '--scopes', 'vacancies.read', '--name', 'Job board');
  s.cliOk('client', 'add', '--id', 'other', '--secret', SECRET, '--scopes', 'registry.search', '--name', 'Other');
  await s.start();
  counsellor = await s.login('kim.counsellor', PW);
  employer = await s.login('acme.hr', PW);
  employer2 = await s.login('beta.hr', PW);
  citizen = await s.login('lee.citizen', PW);
  partner = await partnerToken('jobboard');
  partnerNoScope = await partnerToken('other');
});
after(async () => { await s.stop(); });

test('occupations picker: ISCO-08 present after migration, by code and title', async () => {
  let r = await s.get('/api/v1/occupations?q=2512');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.items[0].code, '2512');
  assert.equal(r.body.items[0].title_en, 'Software developers');
  r = await s.get('/api/v1/occupations?level=1&limit=50');
  assert.equal(r.body.items.length, 10);
  r = await s.get('/api/v1/occupations?q=nurs&level=4');
  assert.ok(r.body.items.length >= 2 && r.body.items.every((o) => o.level === 4));
  assertError(assert, await s.get('/api/v1/occupations?level=12'), 400, 'request.bad_query');
});

test('an employer registers, starts unverified, and its vacancy is held for a counsellor', async () => {
  let r = await s.post('/api/v1/employers', { name: 'Acme', brn: '220-81-62518', size_class: 'small' }, { token: employer });
  assertError(assert, r, 422, 'validation.failed');
  assert.equal(r.body.error.field, 'brn');
  r = await s.post('/api/v1/employers', { name: 'Acme', name_ko: '애크미', brn: '2208162517', size_class: 'small', region: 'KR-11' },
    { token: employer });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.brn, '220-81-62517');
  assert.equal(r.body.verified, false);
  empId = r.body.id;
  r = await s.post('/api/v1/employers', { name: 'Again', brn: '124-81-00998', size_class: 'small' }, { token: employer });
  assertError(assert, r, 409, 'resource.duplicate');
  assert.equal((await s.get(`/api/v1/employers/${empId}`, { token: employer })).status, 200);
  assertError(assert, await s.get(`/api/v1/employers/${empId}`, { token: employer2 }), 403, 'access.denied');
  assertError(assert, await s.get(`/api/v1/employers/${empId}`, { token: citizen }), 403);

  r = await s.post('/api/v1/vacancies', vacancy(), { token: employer });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.status, 'held');
  assert.deepEqual(r.body.reasons.map((x) => x.code), ['employer.unverified']);
  const held = r.body.id;
  // Not public while held.
  assertError(assert, await s.get(`/api/v1/vacancies/${held}`), 404, 'resource.not_found');
  assert.equal((await s.get(`/api/v1/vacancies/${held}`, { token: employer })).body.status, 'held');

  r = await s.get('/api/v1/vetting/queue', { token: counsellor });
  assert.equal(r.status, 200, r.text);
  assert.ok(r.body.items.some((v) => v.id === held));
  assertError(assert, await s.get('/api/v1/vetting/queue', { token: employer }), 403);
  assertError(assert, await s.post(`/api/v1/vacancies/${held}/vetting`, { decision: 'maybe' }, { token: counsellor }), 422);
  assertError(assert, await s.post(`/api/v1/vacancies/${held}/vetting`, { decision: 'reject' }, { token: counsellor }), 422);
  r = await s.post(`/api/v1/vacancies/${held}/vetting`, { decision: 'approve', note: 'called the employer' }, { token: counsellor });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.status, 'published');
  const pub = await s.get(`/api/v1/vacancies/${held}`);
  assert.equal(pub.status, 200, 'public once published');
  assert.ok(pub.body.description && pub.body.excerpt === undefined, 'the public view has the whole text');
  assert.equal(pub.body.reasons, undefined, 'but not the vetting internals');
  assertError(assert, await s.post(`/api/v1/vacancies/${held}/vetting`, { decision: 'approve' }, { token: counsellor }), 409);

  r = await s.req('POST', `/api/v1/employers/${empId}/verification`, { token: counsellor });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.verified, true);
});

test('vetting rejects and holds with stable reason codes the employer can see', async () => {
  const cases = [
    [{ title: 'Barista', occupation: '5131', salary_min: 9000, salary_max: 9500, salary_period: 'hour', contract: 'part_time' }, 'rejected', 'pay.below_minimum_wage'],
    [{ title: 'Receptionist', occupation: '4226', age_max: 35 }, 'rejected', 'discrimination.age'],
    [{ title: '사무 보조', occupation: '4110', description: '사무 보조 업무입니다. 남성만 지원 가능.' }, 'held', 'discrimination.sex'],
    [{ title: 'Hostess', occupation: '5131', description: 'Evening work in a lounge. Attractive and under 30.' }, 'held', 'discrimination.appearance'],
    [{ title: '배송 기사', occupation: '8322', description: '택배 배송 업무. 문의 010-1234-5678 카톡 가능' }, 'rejected', 'contact.in_description'],
    [{ title: '경비원', occupation: '5414', contact: undefined }, 'rejected', 'required.missing'],
    [{}, 'rejected', 'duplicate.open_vacancy'],
  ];
  for (const [extra, status, code] of cases) {
    const body = vacancy(extra);
    if ('contact' in extra && extra.contact === undefined) delete body.contact;
    const r = await s.post('/api/v1/vacancies', body, { token: employer });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.status, status, `${code}: ${r.text}`);
    assert.ok(r.body.reasons.some((x) => x.code === code && typeof x.detail === 'string'), `${code}: ${JSON.stringify(r.body.reasons)}`);
  }
  const mine = await s.get(`/api/v1/employers/${empId}/vacancies?status=rejected`, { token: employer });
  assert.equal(mine.status, 200, mine.text);
  assert.ok(mine.body.items.length >= 4 && mine.body.items.every((v) => v.status === 'rejected' && v.reasons.length));
  assertError(assert, await s.get(`/api/v1/employers/${empId}/vacancies`, { token: employer2 }), 403);
});

test('posting: permissions, idempotency and every bad-input class', async () => {
  // Employers post only for their own employer; counsellors name one; citizens cannot post.
  assertError(assert, await s.post('/api/v1/vacancies', vacancy(), { token: employer2 }), 422, 'validation.failed');
  assertError(assert, await s.post('/api/v1/vacancies', vacancy(), { token: counsellor }), 422);
  assertError(assert, await s.post('/api/v1/vacancies', vacancy(), { token: citizen }), 403);
  assertError(assert, await s.post('/api/v1/vacancies', vacancy()), 401);
  const bad = [
    [{ occupation: '25' }, 'occupation'], [{ occupation: '0000' }, 'occupation'], [{ region: 'KR-99' }, 'region'],
    [{ region: 'Seoul' }, 'region'], [{ salary_min: 5000000, salary_max: 4000000 }, 'salary_max'],
    [{ closing_date: '2020-01-01' }, 'closing_date'], [{ closing_date: '2026-02-30' }, 'closing_date'],
    [{ contract: 'forever' }, 'contract'], [{ openings: 0 }, 'openings'], [{ surprise: true }, 'surprise'],
    [{ contact: { method: 'pigeon' } }, 'contact.method'], [{ title: '' }, 'title'],
  ];
  for (const [extra, field] of bad) {
    const r = await s.post('/api/v1/vacancies', vacancy({ employer_id: empId, title: `t-${field}`, ...extra }), { token: counsellor });
    assert.ok(r.status === 422, `${field}: ${r.status} ${r.text}`);
    assert.equal(r.body.error.field, field, r.text);
  }
  let r = await s.post('/api/v1/vacancies', vacancy({ employer_id: empId, description: 'x'.repeat(20001) }), { token: counsellor });
  assertError(assert, r, 413, 'request.too_large');
  r = await s.post('/api/v1/vacancies', vacancy({ employer_id: empId, description: 'x'.repeat(70000) }), { token: counsellor });
  assertError(assert, r, 413, 'request.too_large');
  assertError(assert, await s.req('POST', '/api/v1/vacancies', { token: counsellor, body: '{"title":' }), 400, 'request.malformed_json');
  // Idempotent retry: one vacancy.
  const key = { 'Idempotency-Key': 'post-once-1' };
  const body = vacancy({ employer_id: empId, title: 'Mechanical Engineer', occupation: '2144' });
  const a = await s.post('/api/v1/vacancies', body, { token: counsellor, headers: key });
  const b = await s.post('/api/v1/vacancies', body, { token: counsellor, headers: key });
  assert.equal(a.status, 201, a.text);
  assert.equal(b.body.id, a.body.id);
  assert.equal(a.body.status, 'published');
  // PATCH: employer of another company cannot; version conflicts; edits are re-vetted.
  assertError(assert, await s.patch(`/api/v1/vacancies/${a.body.id}`, { title: 'x' }, { token: employer2 }), 404);
  assertError(assert, await s.patch(`/api/v1/vacancies/${a.body.id}`, { title: 'x', version: 99 }, { token: employer }), 409, 'resource.conflict');
  r = await s.patch(`/api/v1/vacancies/${a.body.id}`, { salary_min: 1000000, salary_max: 1200000, version: 1 }, { token: employer });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.status, 'rejected');
  r = await s.patch(`/api/v1/vacancies/${a.body.id}`, { salary_min: 4000000, salary_max: 5000000 }, { token: employer });
  assert.equal(r.body.status, 'published', r.text);
  assertError(assert, await s.patch(`/api/v1/vacancies/${a.body.id}`, { salary_min: 6000000 }, { token: employer }), 422);
});

async function corpus() {
  const posts = [
    vacancy({ title: '웹 디자이너 모집', occupation: '2166', description: '브랜드 웹사이트 화면을 디자인합니다.', contract: 'fixed_term', salary_min: 3000000 }),
    vacancy({ title: 'Senior Software Developer', region: 'KR-26', description: 'Build distributed systems in C and Go.', salary_min: 5500000, salary_max: 6500000 }),
    vacancy({ title: 'Database Administrator', occupation: '2521', description: 'Operate PostgreSQL clusters; on-call duty.', salary_min: 5000000, salary_max: 5500000 }),
    vacancy({ title: '요양보호사 구인', occupation: '5321', region: 'KR-41', description: '어르신 일상생활을 지원합니다.', contract: 'part_time', hours_per_week: 30, salary_min: 2300000, salary_max: 2500000 }),
    vacancy({ title: 'Cook', occupation: '5120', region: 'KR-41', description: 'Korean cuisine; developer of new menus.', hours_per_week: 45, salary_min: 2800000, salary_max: 3000000 }),
  ];
  for (const p of posts) {
    const r = await s.post('/api/v1/vacancies', p, { token: employer });
    assert.equal(r.body.status, 'published', r.text);
  }
}

test('search: Korean and English text, filters, sorting, pagination', async () => {
  await corpus();
  const q = async (qs) => { const r = await s.get('/api/v1/vacancies?' + qs); assert.equal(r.status, 200, r.text); return r.body; };
  let r = await q('q=' + encodeURIComponent('개발자'));
  assert.equal(r.total, 1);
  assert.equal(r.items[0].title, '소프트웨어 개발자 채용');
  assert.equal(r.items[0].description, undefined, 'search items carry an excerpt');
  assert.ok(r.items[0].excerpt);
  r = await q('q=' + encodeURIComponent('개발'));
  assert.equal(r.total, 1, '2-character query');
  r = await q('q=developer');
  assert.deepEqual(r.items.map((v) => v.title), ['Senior Software Developer', 'Cook'], 'title matches rank first');
  assert.equal((await q('occupation=25')).total, 3);
  assert.equal((await q('occupation=25&region=KR-11')).total, 2);
  assert.equal((await q('salary_min=5200000&salary_period=month')).total, 2);
  assert.equal((await q('hours_max=40&contract=part_time')).total, 1);
  assert.equal((await q('employer_size=small&q=' + encodeURIComponent('어르신'))).total, 1);
  assert.equal((await q('education=doctorate')).total, 7);
  r = await q('sort=salary&page_size=2');
  assert.equal(r.items[0].title, 'Senior Software Developer');
  const all = (await q('sort=date&page_size=100')).items.map((v) => v.id);
  const paged = [];
  for (let p = 1; p <= 4; p++) paged.push(...(await q(`sort=date&page_size=2&page=${p}`)).items.map((v) => v.id));
  assert.deepEqual(paged, all.slice(0, 8));
  assert.equal(all.length, 7);
});

test('search refuses bad input with clear errors', async () => {
  const bad = ['occupation=99', 'region=KR-00', 'salary_min=-5', 'salary_min=abc', 'salary_period=week&salary_min=1',
    'hours_max=0', 'contract=forever', 'education=phd', 'employer_size=huge', 'posted_since=yesterday', 'sort=random',
    'page_size=101', 'page=0', 'page=1000&page_size=100', 'q=' + encodeURIComponent('개'), 'q=a', 'q=' + 'x'.repeat(150)];
  for (const qs of bad) {
    const r = await s.get('/api/v1/vacancies?' + qs);
    assertError(assert, r, 400, 'request.bad_query');
    assert.ok(r.body.error.field, qs);
  }
});

test('closed vacancies leave search at once', async () => {
  const r = await s.post('/api/v1/vacancies', vacancy({ title: '물류센터 분류원', occupation: '9621' }), { token: employer });
  assert.equal(r.body.status, 'published', r.text);
  assert.equal((await s.get('/api/v1/vacancies?q=' + encodeURIComponent('분류원'))).body.total, 1);
  assertError(assert, await s.req('POST', `/api/v1/vacancies/${r.body.id}/close`, { token: employer2 }), 404);
  const c = await s.req('POST', `/api/v1/vacancies/${r.body.id}/close`, { token: employer });
  assert.equal(c.status, 200, c.text);
  assert.equal(c.body.status, 'closed');
  assert.equal((await s.get('/api/v1/vacancies?q=' + encodeURIComponent('분류원'))).body.total, 0);
  assertError(assert, await s.patch(`/api/v1/vacancies/${r.body.id}`, { title: 'again' }, { token: employer }), 409);
});

test('typeahead suggests titles and occupations', async () => {
  let r = await s.get('/api/v1/vacancies/suggest?q=' + encodeURIComponent('소프'));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.titles[0].title, '소프트웨어 개발자 채용');
  r = await s.get('/api/v1/vacancies/suggest?q=datab');
  assert.equal(r.body.titles[0].title, 'Database Administrator');
  assert.ok(r.body.occupations.some((o) => o.code === '2521'));
  assertError(assert, await s.get('/api/v1/vacancies/suggest?q=x'), 400, 'request.bad_query');
});

test('partner feed: scope, order, cursor, closed items', async () => {
  assertError(assert, await s.get('/api/v1/vacancies/stream?since=2000-01-01T00:00:00Z'), 401);
  assertError(assert, await s.get('/api/v1/vacancies/stream?since=2000-01-01T00:00:00Z', { token: partnerNoScope }), 403, 'auth.insufficient_scope');
  assertError(assert, await s.get('/api/v1/vacancies/stream?since=2000-01-01T00:00:00Z', { token: employer }), 403);
  assertError(assert, await s.get('/api/v1/vacancies/stream?since=tuesday', { token: partner }), 400, 'request.bad_query');
  assertError(assert, await s.get('/api/v1/vacancies/stream', { token: partner }), 400);
  const dev = (await s.get('/api/v1/vacancies?q=distributed')).body.items[0];
  const ch = await s.patch(`/api/v1/vacancies/${dev.id}`, { description: 'Build distributed systems in C, Go and Rust.' }, { token: employer });
  assert.equal(ch.body.status, 'published', ch.text);
  const seen = [];
  let r = await s.get('/api/v1/vacancies/stream?since=2000-01-01T00:00:00Z&limit=3', { token: partner });
  assert.equal(r.status, 200, r.text);
  while (r.body.items.length) {
    seen.push(...r.body.items);
    r = await s.get(`/api/v1/vacancies/stream?cursor=${r.body.next_cursor}&limit=3`, { token: partner });
    assert.equal(r.status, 200, r.text);
  }
  assert.ok(seen.length >= 10);
  const ats = seen.map((i) => i.at);
  assert.deepEqual([...ats].sort(), ats, 'ordered');
  assert.ok(seen.some((i) => i.kind === 'closed' && !i.vacancy));
  assert.ok(seen.some((i) => i.kind === 'changed'));
  const pub = seen.find((i) => i.kind === 'published' && i.vacancy);
  assert.ok(pub.vacancy.description && pub.vacancy.title);
  const staff = await s.get(`/api/v1/vacancies/stream?since=${encodeURIComponent(new Date().toISOString())}`, { token: counsellor });
  assert.equal(staff.status, 200, staff.text);
});

test('bulk import: accepted lines committed, rejected ones reported with the reason', async () => {
  const file = join(s.dir, 'vacancies.jsonl');
  const lines = [
    JSON.stringify({ ...vacancy({ title: 'Forklift Operator', occupation: '8344', source: 'board', source_ref: 'A1' }), employer_brn: '2208162517' }),
    JSON.stringify({ ...vacancy({ title: 'Truck Driver', occupation: '8332', source: 'board', source_ref: 'A2' }), employer_brn: '2208162517' }),
    '{"title": broken',
    JSON.stringify({ ...vacancy({ title: 'Nowhere', occupation: '8332', region: 'KR-99' }), employer_brn: '2208162517' }),
    JSON.stringify({ ...vacancy({ title: 'Unknown employer' }), employer_brn: '1248100998' }),
    JSON.stringify({ ...vacancy({ title: 'Forklift Operator', occupation: '8344', source: 'board', source_ref: 'A1' }), employer_brn: '2208162517' }),
  ];
  writeFileSync(file, lines.join('\n') + '\n');
  const r = s.cli('import', 'vacancies', file);
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stderr, /2 accepted, 4 rejected/);
  assert.match(r.stderr, /line 3: rejected: request\.malformed_json/);
  assert.match(r.stderr, /line 4: rejected: validation\.failed \(region\)/);
  assert.match(r.stderr, /line 5: rejected: validation\.failed \(employer_brn\)/);
  assert.match(r.stderr, /line 6: rejected: resource\.duplicate \(source_ref\)/);
  assert.equal((await s.get('/api/v1/vacancies?q=forklift')).body.total, 1);
  const bad = s.cli('import', 'nonsense', file);
  assert.equal(bad.status, 2);
});
