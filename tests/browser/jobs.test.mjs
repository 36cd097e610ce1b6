// jobs.test.mjs - the job-market pages: a job seeker searches (Korean and English words, a filter,
// the count), opens a vacancy, applies, sees it in "my applications" and withdraws; sees
// recommendations with the why; an employer registers the business and posts a vacancy, sees it
// held with the reason, a counsellor approves it in the vetting queue, it becomes searchable, the
// employer sees the applicant and invites them to an interview.  Also: English pages, and the
// search page at 375 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launch, newPage, startWorld, login, logout, makeCitizen, apiOk, settled, nid, noHorizontalOverflow, SEOUL, PW,
} from './helpers.mjs';

const closing = new Date(Date.now() + 30 * 86400e3).toISOString().slice(0, 10);
const vacancy = (extra) => ({
  description: '업무 내용과 근무 환경을 안내합니다. 4대보험 가입.', salary_min: 3000000, salary_max: 4000000,
  salary_period: 'month', hours_per_week: 40, contract: 'permanent', closing_date: closing, contact: { method: 'online' }, ...extra,
});

let s, browser, page, seeker, hanulId;
const vac = {};
before(async () => {
  s = await startWorld();
  // A verified employer with published vacancies, and an employer account with no business yet.
  s.cliOk('user', 'add', '--username', 'hanul.hr', '--password', PW, '--kind', 'employer', '--name', '한울 인사팀');
  s.cliOk('user', 'add', '--username', 'acme.hr', '--password', PW, '--kind', 'employer', '--name', 'Acme HR');
  const counsellor = await s.login('kim.counsellor', PW);
  const hanul = await s.login('hanul.hr', PW);
  const emp = await apiOk(s, 'POST', '/api/v1/employers', { name: 'Hanul Logistics', name_ko: '한울물류', brn: '2208162517', size_class: 'medium', region: 'KR-11' }, hanul);
  hanulId = emp.id;
  await apiOk(s, 'POST', `/api/v1/employers/${emp.id}/verification`, undefined, counsellor);
  const post = async (key, body) => {
    const v = await apiOk(s, 'POST', '/api/v1/vacancies', vacancy(body), hanul);
    assert.equal(v.status, 'published', JSON.stringify(v.reasons));
    vac[key] = v;
  };
  await post('dev', { title: '소프트웨어 개발자 채용', occupation: '2512', region: 'KR-11', skills: ['SQL', 'Java'], education: 'bachelor',
    description: '물류 시스템의 백엔드 서비스 개발과 운영을 담당합니다. 4대보험 가입.' });
  await post('forklift', { title: 'Forklift driver', occupation: '8344', region: 'KR-26', salary_min: 2500000, salary_max: 2800000,
    description: 'Drive a forklift in our Busan warehouse. Day shifts, safety training provided.' });
  await post('nurse', { title: '간호사 모집', occupation: '2221', region: 'KR-41', contract: 'part_time', hours_per_week: 30,
    description: '요양병원 병동 간호 업무입니다. 교대 근무 없음.' });
  await post('clerk', { title: '물류 사무원', occupation: '4321', region: 'KR-26', contract: 'fixed_term',
    description: '부산 물류센터 입출고 관리와 사무 업무를 담당합니다.' });
  seeker = await makeCitizen(s, {
    username: 'jung.seeker', display_name: '정하은', office: SEOUL.code,
    person: {
      national_id: nid('1994-04-04', 2, 404), family_name: '정', given_name: '하은', birth_date: '1994-04-04', sex: 'female',
      contact: { email: 'haeun@example.kr' }, address: { region_code: 'KR-11' },
      education: { level: 'bachelor', major: '컴퓨터공학' }, skills: ['SQL', 'Java'],
      preferences: { occupations: ['2512'], regions: ['KR-11'], salary_min: 3500000, salary_period: 'month', hours_per_week_max: 40 },
    },
  });
  browser = await launch();
  page = await newPage(browser, s);
});
after(async () => {
  await browser?.close();
  await s?.stop();
});

const main = () => page.locator('main');
const count = () => page.locator('#jobs-count');

async function searchFor(words) {
  await page.locator('main input[name=q]').fill(words);
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/jobs' && u.searchParams.get('q') === words),
    page.locator('main form[role=search] button[type=submit]').click(),
  ]);
  await count().waitFor();
}

test('anyone searches in Korean and English, with a filter, and sees the count', async () => {
  await page.goto('/jobs');
  await settled(page, '채용정보 검색');
  await count().waitFor();
  assert.equal(await count().textContent(), '검색 결과 4건', 'everything published, newest first');
  assert.match(await page.locator('#site-nav').textContent(), /채용정보 검색/);

  await searchFor('개발자');
  assert.equal(await count().textContent(), '검색 결과 1건');
  const titles = () => page.locator('#jobs-results .jobs-card h3').allTextContents();
  assert.deepEqual(await titles(), ['소프트웨어 개발자 채용']);
  assert.match(await page.locator('#jobs-results').textContent(), /한울물류 · 서울특별시/);
  assert.match(await page.locator('#jobs-results').textContent(), /월 3,000,000–4,000,000원/);

  await searchFor('forklift');
  assert.deepEqual(await titles(), ['Forklift driver']);
  assert.equal(await count().textContent(), '검색 결과 1건');

  // A one-character query is refused by the API: its message appears on the search field.
  await page.locator('main input[name=q]').fill('a');
  await page.locator('main form[role=search] button[type=submit]').click();
  await page.locator('main input[name=q][aria-invalid=true]').waitFor();

  // Filter only: region Busan, sorted by pay.
  await page.locator('main input[name=q]').fill('');
  await page.locator('main details.jobs-filters summary').click();
  await page.locator('main select[name=region]').selectOption('KR-26');
  await page.locator('main select[name=sort]').selectOption('salary');
  await Promise.all([
    page.waitForURL((u) => u.searchParams.get('region') === 'KR-26'),
    page.locator('main form[role=search] button[type=submit]').click(),
  ]);
  await count().filter({ hasText: '2건' }).waitFor();
  assert.deepEqual(await titles(), ['물류 사무원', 'Forklift driver'], 'highest pay first');
  assert.equal(await page.locator('main select[name=region]').inputValue(), 'KR-26', 'the form keeps the filter');
  assert.equal(await page.locator('main details.jobs-filters').getAttribute('open'), '', 'filters shown open');

  // Contract filter narrows further.
  await page.locator('main select[name=contract]').selectOption('fixed_term');
  await page.locator('main form[role=search] button[type=submit]').click();
  await count().filter({ hasText: '1건' }).waitFor();
  assert.deepEqual(await titles(), ['물류 사무원']);
  assert.deepEqual(page.problems, []);
});

test('the typeahead suggests vacancy titles', async () => {
  await page.goto('/jobs');
  await settled(page, '채용정보 검색');
  const [resp] = await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/v1/vacancies/suggest')),
    page.locator('main input[name=q]').pressSequentially('소프트', { delay: 20 }),
  ]);
  assert.equal(resp.status(), 200);
  const listId = await page.locator('main input[name=q]').getAttribute('list');
  await page.locator(`#${listId} option[value="소프트웨어 개발자 채용"]`).waitFor({ state: 'attached' });
});

test('the search page in English', async () => {
  await page.locator('#lang-toggle').click();
  await page.locator('main h1', { hasText: 'Find a job' }).waitFor();
  await searchFor('간호');
  assert.equal(await count().textContent(), '1 vacancies found');
  const text = await page.locator('#jobs-results').textContent();
  assert.match(text, /Part time/);
  assert.match(text, /Gyeonggi|경기/);
  const ui = await page.evaluate(() => [...document.querySelectorAll('main label, main summary, main h1, main h2, main button, main option')]
    .map((e) => e.textContent).filter((x) => /[가-힣]/.test(x)));
  assert.deepEqual(ui.filter((x) => !/^(간호|간호사 모집)$/.test(x.trim())), [], 'no Korean labels in English');
  await page.locator('#lang-toggle').click();
  await page.locator('main h1', { hasText: '채용정보 검색' }).waitFor();
});

test('a vacancy asks visitors to sign in before applying', async () => {
  await page.goto('/jobs/' + vac.dev.id);
  await settled(page, '소프트웨어 개발자 채용');
  const text = await main().textContent();
  assert.match(text, /한울물류/);
  assert.match(text, /인증 기업/);
  assert.match(text, /정규직/);
  assert.match(text, /대학교 졸업\(학사\)/);
  assert.match(text, /SQL, Java/);
  await page.getByRole('link', { name: '로그인하고 지원하기' }).click();
  await page.waitForURL('**/login');
  await login(page, 'jung.seeker');
  assert.equal(new URL(page.url()).pathname, '/jobs/' + vac.dev.id, 'back on the vacancy after signing in');
});

test('a job seeker applies, sees the application and withdraws it', async () => {
  await settled(page, '소프트웨어 개발자 채용');
  const nav = await page.locator('#site-nav').textContent();
  assert.match(nav, /내 프로필.*채용정보 검색.*맞춤 채용정보.*내 입사지원/s, 'citizen menu keeps the core items first');
  await page.locator('main textarea[name=note]').fill('백엔드 개발 경험이 있습니다.');
  const [req] = await Promise.all([
    page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith(`/api/v1/vacancies/${vac.dev.id}/applications`)),
    page.locator('main .jobs-apply button[type=submit]').click(),
  ]);
  assert.deepEqual(JSON.parse(req.postData()), { note: '백엔드 개발 경험이 있습니다.' });
  assert.ok(req.headers()['x-csrf-token']);
  await page.getByText('지원이 완료되었습니다.').waitFor();

  // Reloaded, the page knows; applying again through the API is refused (409).
  await page.reload();
  await settled(page, '소프트웨어 개발자 채용');
  await page.getByText('이미 지원한 공고입니다.').waitFor();
  assert.equal(await page.locator('main .jobs-apply button[type=submit]').count(), 0);
  const again = await s.req('POST', `/api/v1/vacancies/${vac.dev.id}/applications`, { token: seeker.token, body: {} });
  assert.equal(again.status, 409);

  await page.getByRole('link', { name: '내 입사지원 보기' }).click();
  await page.waitForURL('**/jobs/applications');
  await settled(page, '내 입사지원');
  const card = page.locator('main .jobs-card').filter({ hasText: '소프트웨어 개발자 채용' });
  assert.match(await card.textContent(), /상태: 지원함/);
  assert.match(await card.locator('.jobs-timeline').textContent(), /지원함/);
  assert.match(await card.textContent(), /백엔드 개발 경험이 있습니다/);

  await card.getByRole('button', { name: '지원 취소' }).click();
  await card.getByText('이 지원을 취소할까요?').waitFor();
  await card.getByRole('button', { name: '예, 취소합니다' }).click();
  await page.getByText('"소프트웨어 개발자 채용" 지원을 취소했습니다.').waitFor();
  assert.match(await card.textContent(), /상태: 지원 취소/);
  assert.equal(await card.locator('.jobs-timeline li').count(), 2, 'applied, then withdrawn');
  assert.equal(await card.getByRole('button', { name: '지원 취소' }).count(), 0);
  const mine = await apiOk(s, 'GET', '/api/v1/me/applications', undefined, seeker.token);
  assert.equal(mine.items.find((a) => a.vacancy_id === vac.dev.id).status, 'withdrawn');
  assert.deepEqual(page.problems, []);
});

test('recommendations show the score and why, in plain words', async () => {
  await page.getByRole('link', { name: '맞춤 채용정보' }).click();
  await page.waitForURL('**/jobs/recommended');
  await settled(page, '맞춤 채용정보');
  const api = await apiOk(s, 'GET', '/api/v1/me/recommendations?limit=20', undefined, seeker.token);
  const best = api.items[0];
  assert.equal(best.vacancy.id, vac.dev.id);
  const first = page.locator('main .jobs-recs > li').first();
  assert.equal(await first.locator('h2').textContent(), '소프트웨어 개발자 채용', 'the best fit first');
  assert.equal((await first.locator('.jobs-score').textContent()).trim(), `적합도 ${Math.round(best.score / 10)}%`);
  assert.ok(best.score >= 900, JSON.stringify(best.factors));
  assert.equal(await first.locator('meter').getAttribute('value'), String(best.score));
  assert.equal(await page.locator('main .jobs-recs > li').count(), api.items.length);
  await first.locator('summary', { hasText: '추천 이유' }).click();
  const why = await first.locator('.jobs-factors').textContent();
  assert.match(why, /직종100%희망·경력 직종과 같습니다\(2512\)/);
  for (const f of best.factors) {
    const row = first.locator(`.jobs-factors li[data-factor="${f.factor}"]`);
    assert.match(await row.textContent(), new RegExp(`${Math.round(f.value * 100)}%`), f.factor);
  }
  assert.match(why, /필요 기술 2개 중 2개 보유/);
  assert.match(why, /희망 지역\(서울특별시\)입니다/);
  assert.ok(!/[A-Za-z]{3,}/.test(why), 'no untranslated API sentences: ' + why);
  assert.ok(!why.includes('일치도'), 'every reason the API gave has its own words');
  assert.equal(await first.locator('.jobs-factors li').count(), best.factors.length);
  // Vacancies outside the occupations and regions sought are not in the pool.
  assert.ok(!(await main().textContent()).includes('Forklift driver'));
  await logout(page);
});

test('an employer registers the business and posts a vacancy, which is held with the reason', async () => {
  await login(page, 'acme.hr');
  assert.equal(new URL(page.url()).pathname, '/employer', 'employers start on their vacancies');
  await settled(page, '기업 등록');
  await page.locator('main input[name=name]').fill('Acme Korea');
  await page.locator('main input[name=name_ko]').fill('애크미코리아');
  await page.locator('main input[name=brn]').fill('124-81-00999'); // wrong check digit
  await page.locator('main select[name=size_class]').selectOption('small');
  await page.locator('main select[name=region]').selectOption('KR-11');
  await page.locator('main button[type=submit]').click();
  await page.locator('main input[name=brn][aria-invalid=true]').waitFor();
  await page.locator('main input[name=brn]').fill('124-81-00998');
  await page.locator('main button[type=submit]').click();
  await settled(page, '우리 회사 채용');
  await page.getByText('고용센터의 인증을 기다리는 중입니다').waitFor();
  assert.match(await main().textContent(), /124-81-00998/);
  assert.match(await main().textContent(), /인증 대기/);

  await page.locator('main a', { hasText: '채용공고 등록' }).click();
  await page.waitForURL('**/employer/vacancies/new');
  await settled(page, '채용공고 등록');
  await page.locator('main input[name=title]').fill('물류센터 재고관리 담당자');
  await page.locator('main textarea[name=description]').fill('서울 물류센터의 재고 관리와 입출고 시스템 운영을 담당합니다.');
  await page.locator('main input[name=occupation]').fill('4321');
  await page.locator('main input[name=skills]').fill('SQL, 엑셀');
  await page.locator('main select[name=region]').selectOption('KR-11');
  await page.locator('main input[name=salary_min]').fill('3200000');
  await page.locator('main input[name=salary_max]').fill('3800000');
  await page.locator('main select[name=contract]').selectOption('permanent');
  await page.locator('main input[name=hours_per_week]').fill('40');
  await page.locator('main input[name=closing_date]').fill('2020-01-01');
  await page.locator('main select[name="contact.method"]').selectOption('email');
  await page.locator('main input[name="contact.value"]').fill('jobs@acme.example.kr');
  await page.locator('main button[type=submit]').click();
  // A closing date in the past: the API's message on that field.
  await page.locator('main input[name=closing_date][aria-invalid=true]').waitFor();
  await page.locator('main input[name=closing_date]').fill(closing);
  const [resp] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/vacancies')),
    page.locator('main button[type=submit]').click(),
  ]);
  const posted = await resp.json();
  assert.equal(resp.status(), 201);
  assert.deepEqual(posted.skills, ['SQL', '엑셀']);
  assert.equal(posted.salary_min, 3200000);
  vac.acme = posted;
  await page.waitForURL(`**/employer/vacancies/${posted.id}`);
  await settled(page, '물류센터 재고관리 담당자');
  await page.getByText('상담사 확인 후 공개됩니다.').first().waitFor();
  const vet = await page.locator('main section').filter({ has: page.locator('h2', { hasText: '심사 상태' }) }).textContent();
  assert.match(vet, /심사 대기/);
  assert.match(vet, /기업 등록이 아직 인증되지 않았습니다/);
  assert.match(vet, /확인 필요/);

  // The list shows it held with the reason.
  await page.getByRole('link', { name: '우리 회사 채용으로 돌아가기' }).click();
  await settled(page, '우리 회사 채용');
  const card = page.locator(`main [data-vacancy="${posted.id}"]`);
  assert.equal(await card.getAttribute('data-status'), 'held');
  assert.match(await card.textContent(), /기업 등록이 아직 인증되지 않았습니다/);
  // Not searchable yet.
  const found = await apiOk(s, 'GET', '/api/v1/vacancies?q=' + encodeURIComponent('재고관리'));
  assert.equal(found.items.length, 0);
  assert.deepEqual(page.problems, []);
  await logout(page);
});

test('a counsellor approves it in the vetting queue and it becomes searchable', async () => {
  // A second held vacancy to reject.
  const acme = await s.login('acme.hr', PW);
  vac.acme2 = await apiOk(s, 'POST', '/api/v1/vacancies', vacancy({ title: '야간 경비원', occupation: '5414', region: 'KR-11' }), acme);
  assert.equal(vac.acme2.status, 'held');

  await login(page, 'kim.counsellor');
  assert.equal(new URL(page.url()).pathname, '/persons', 'counsellors keep their start page');
  await page.locator('#site-nav a', { hasText: '공고 심사' }).click();
  await page.waitForURL('**/jobs/vetting');
  await settled(page, '공고 심사');
  assert.match(await main().textContent(), /심사 대기 2건/);
  const item = page.locator(`main [data-vacancy="${vac.acme.id}"]`);
  assert.match(await item.textContent(), /기업 등록이 아직 인증되지 않았습니다/);

  // Rejecting needs a reason.
  const other = page.locator(`main [data-vacancy="${vac.acme2.id}"]`);
  await other.getByRole('button', { name: '반려', exact: true }).click();
  await other.locator('select[name=reason][aria-invalid=true]').waitFor();
  await other.locator('select[name=reason]').selectOption('counsellor.misleading');
  await other.getByRole('button', { name: '반려', exact: true }).click();
  await page.getByText('"야간 경비원" 공고를 반려했습니다.').waitFor();
  assert.equal(await other.count(), 0);

  await item.locator('textarea[name=note]').first().fill('사업자 확인 완료');
  await item.getByRole('button', { name: '승인하고 공개' }).click();
  await page.getByText('"물류센터 재고관리 담당자" 공고를 승인했습니다. 이제 검색됩니다.').waitFor();
  await page.getByText('심사할 공고가 없습니다.').waitFor();

  const rejected = await apiOk(s, 'GET', `/api/v1/vacancies/${vac.acme2.id}`, undefined, acme);
  assert.equal(rejected.status, 'rejected');
  assert.ok(rejected.reasons.some((r) => r.code === 'counsellor.misleading'));

  // Searchable now, from the search page.
  await page.locator('#site-nav a', { hasText: '채용정보 검색' }).click();
  await settled(page, '채용정보 검색');
  await searchFor('재고관리');
  assert.equal(await count().textContent(), '검색 결과 1건');
  assert.deepEqual(await page.locator('#jobs-results .jobs-card h3').allTextContents(), ['물류센터 재고관리 담당자']);
  assert.deepEqual(page.problems, []);
  await logout(page);
});

test('the employer sees the applicant, invites them to an interview, and sees recommended candidates', async () => {
  await apiOk(s, 'POST', `/api/v1/vacancies/${vac.acme.id}/applications`, { note: '재고 관리 경력 3년' }, seeker.token);
  await apiOk(s, 'PUT', '/api/v1/me/visibility', { findable: true, fields: ['identity', 'education', 'skills'] }, seeker.token);

  await login(page, 'acme.hr');
  await settled(page, '우리 회사 채용');
  const card = page.locator(`main [data-vacancy="${vac.acme.id}"]`);
  assert.equal(await card.getAttribute('data-status'), 'published');
  await card.locator('h3 a').click();
  await page.waitForURL(`**/employer/vacancies/${vac.acme.id}`);
  await settled(page, '물류센터 재고관리 담당자');
  const apps = page.locator('main .jobs-applicants');
  await apps.locator('h2', { hasText: '지원자 1명' }).waitFor();
  const applicant = apps.locator('.jobs-card').first();
  assert.equal(await applicant.locator('h3').textContent(), '정하은');
  const text = await applicant.textContent();
  assert.match(text, /상태: 지원함/);
  assert.match(text, /SQL, Java/);
  assert.match(text, /재고 관리 경력 3년/);
  assert.ok(!text.includes('940404'), 'no national id');

  await applicant.getByRole('button', { name: '면접 요청' }).click();
  await page.getByText('정하은 님의 지원 상태를 "면접"(으)로 바꿨습니다.').waitFor();
  assert.match(await applicant.textContent(), /상태: 면접/);
  assert.match(await applicant.locator('.jobs-timeline').textContent(), /면접/);
  assert.equal(await applicant.getByRole('button', { name: '면접 요청' }).count(), 0);
  assert.equal(await applicant.getByRole('button', { name: '채용 제안' }).count(), 1);
  const mine = await apiOk(s, 'GET', '/api/v1/me/applications', undefined, seeker.token);
  assert.equal(mine.items.find((a) => a.vacancy_id === vac.acme.id).status, 'interview');

  // Candidates: the seeker agreed to be found; the score and why are shown.
  const cands = page.locator('main .jobs-candidates');
  await cands.locator('.jobs-card').first().waitFor();
  const cand = cands.locator('.jobs-card').first();
  assert.equal(await cand.locator('h3').textContent(), '정하은');
  assert.match(await cand.locator('.jobs-score').textContent(), /적합도 \d+%/);
  await cand.locator('summary').click();
  assert.match(await cand.locator('.jobs-factors').textContent(), /필요 기술 2개 중 1개 보유/);
  assert.deepEqual(page.problems, []);
  await logout(page);
});

test('at 375 px the job pages do not scroll sideways and every input is labelled', async () => {
  const phone = await newPage(browser, s, { width: 375, height: 740 });
  const check = async (path, title) => {
    await phone.goto(path);
    await settled(phone, title);
    await phone.locator('main .loading').waitFor({ state: 'detached' });
    const { scroll } = await noHorizontalOverflow(phone);
    assert.ok(scroll <= 375, `${path}: scrollWidth ${scroll}`);
    const r = await phone.evaluate(() => {
      const visible = (el) => { const b = el.getBoundingClientRect(); return b.width > 0 && b.height > 0; };
      return {
        unlabelled: [...document.querySelectorAll('main input, main select, main textarea')].filter((el) => visible(el) && !el.labels?.length).map((el) => el.name),
        small: [...document.querySelectorAll('main button, main select, main input:not([type=checkbox]), main .btn')].filter(visible)
          .filter((el) => el.getBoundingClientRect().height < 44).map((el) => el.name || el.textContent),
        h1: document.querySelectorAll('h1').length,
      };
    });
    assert.deepEqual(r.unlabelled, [], `${path}: unlabelled inputs`);
    assert.deepEqual(r.small, [], `${path}: tap targets under 44 px`);
    assert.equal(r.h1, 1);
  };
  await check('/jobs?region=KR-26&sort=salary&contract=fixed_term', '채용정보 검색');
  await phone.locator('main details.jobs-filters').getAttribute('open');
  assert.equal(await phone.locator('#jobs-count').textContent(), '검색 결과 1건');
  await check('/jobs', '채용정보 검색');
  await phone.screenshot({ path: '/tmp/openpes-portal-jobs-search.png', fullPage: true });
  await check('/jobs/' + vac.dev.id, '소프트웨어 개발자 채용');
  await login(phone, 'jung.seeker');
  await check('/jobs/recommended', '맞춤 채용정보');
  await phone.locator('main .jobs-why summary').first().click();
  assert.ok((await noHorizontalOverflow(phone)).scroll <= 375, 'the why list fits');
  await check('/jobs/applications', '내 입사지원');
  assert.deepEqual(phone.problems, []);
  await phone.context().close();

  // Employer and counsellor pages too.
  for (const [user, pages] of [
    ['acme.hr', [['/employer', '우리 회사 채용'], ['/employer/vacancies/new', '채용공고 등록'], ['/employer/vacancies/' + vac.acme.id, '물류센터 재고관리 담당자']]],
    ['kim.counsellor', [['/jobs/vetting', '공고 심사']]],
  ]) {
    const p = await newPage(browser, s, { width: 375, height: 740 });
    await login(p, user);
    for (const [path, title] of pages) {
      await p.goto(path);
      await settled(p, title);
      const { scroll } = await noHorizontalOverflow(p);
      assert.ok(scroll <= 375, `${path}: scrollWidth ${scroll}`);
    }
    assert.deepEqual(p.problems, []);
    await p.context().close();
  }
});

test('a citizen without a profile is told to create one before applying', async () => {
  await apiOk(s, 'POST', '/api/v1/auth/signup', { username: 'no.profile', password: PW, display_name: '신규회원', locale: 'ko' });
  const p = await newPage(browser, s);
  await login(p, 'no.profile');
  await p.goto('/jobs/' + vac.nurse.id);
  await settled(p, '간호사 모집');
  await p.locator('main .jobs-apply button[type=submit]').click();
  const alert = p.locator('main .jobs-apply [role=alert]');
  await alert.waitFor();
  assert.match(await alert.textContent(), /지원하려면 먼저 내 프로필을 만들어야 합니다/);
  await alert.getByRole('link', { name: '프로필 만들기' }).click();
  await p.waitForURL('**/me');
  await p.goto('/jobs/recommended');
  await settled(p, '맞춤 채용정보');
  await p.getByText('이 기능을 쓰려면 먼저 내 프로필을 만들어야 합니다.').waitFor();
  // Pages of other roles are refused.
  await p.goto('/jobs/vetting');
  await settled(p);
  assert.notEqual(await p.locator('main h1').textContent(), '공고 심사');
  assert.equal(await p.locator('main [data-vacancy]').count(), 0);
  assert.deepEqual(p.problems, []);
  await p.context().close();
});
