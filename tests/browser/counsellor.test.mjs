// counsellor.test.mjs - a counsellor searches by name and by national id (which never reaches the
// URL), opens a profile with its registration, edits it, registers a person as a job seeker, and
// gets a clear refusal for a person held by another office.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, startWorld, login, apiOk, settled, nid, SEOUL, BUSAN, PW } from './helpers.mjs';

let s, browser, page;
const people = {};

function person(family, given, birth, g, n, region) {
  return {
    national_id: nid(birth, g, n), family_name: family, given_name: given, birth_date: birth, sex: g % 2 ? 'male' : 'female',
    contact: { phone: '010-1111-' + String(n).padStart(4, '0') },
    address: { line: '테스트로 ' + n, postal_code: region === 'KR-11' ? '06000' : '48000', region_code: region },
    education: { level: 'upper_secondary' }, skills: ['지게차 운전'],
  };
}

before(async () => {
  s = await startWorld();
  const seoul = await s.login('kim.counsellor', PW);
  const busan = await s.login('park.counsellor', PW);
  // Registered in Seoul; living in Seoul but not registered; registered in Busan.
  people.minjun = await apiOk(s, 'POST', '/api/v1/persons', person('김', '민준', '1990-01-01', 1, 101, 'KR-11'), seoul);
  await apiOk(s, 'POST', `/api/v1/persons/${people.minjun.id}/jobseeker-registration`, { office: SEOUL.code }, seoul);
  people.seoyeon = await apiOk(s, 'POST', '/api/v1/persons', person('이', '서연', '1995-07-20', 2, 102, 'KR-11'), seoul);
  people.dohyun = await apiOk(s, 'POST', '/api/v1/persons', person('정', '도현', '1988-11-02', 1, 103, 'KR-26'), busan);
  await apiOk(s, 'POST', `/api/v1/persons/${people.dohyun.id}/jobseeker-registration`, { office: BUSAN.code }, busan);
  browser = await launch();
  page = await newPage(browser, s);
});
after(async () => {
  await browser?.close();
  await s?.stop();
});

const h1 = () => page.locator('main h1');
const results = () => page.locator('#results');

test('the counsellor lands on person search with only the case-work menu', async () => {
  await login(page, 'kim.counsellor');
  assert.equal(new URL(page.url()).pathname, '/persons');
  assert.equal(await h1().textContent(), '대상자 검색');
  const nav = await page.locator('#site-nav').textContent();
  assert.match(nav, /대상자 검색/);
  assert.match(nav, /직업상담사 · 서울강남고용센터/);
  assert.ok(!nav.includes('내 프로필'));
});

test('search by name, open the profile and see the registration', async () => {
  await page.locator('input[name=name]').fill('김민준');
  await page.locator('main button[type=submit]').click();
  await results().locator('h2').filter({ hasText: '검색 결과 1건' }).waitFor();
  await results().getByRole('link', { name: '김민준' }).click();
  await page.waitForURL(`**/persons/${people.minjun.id}`);
  await settled(page, '김민준');
  const text = await page.locator('main').textContent();
  assert.match(text, /등록 중/);
  assert.match(text, new RegExp(SEOUL.name_ko));
  assert.match(text, /900101-1\*{6}/);
  assert.match(text, /지게차 운전/);
  // Back to the results without searching again.
  await page.getByRole('link', { name: /검색 결과로 돌아가기/ }).click();
  await results().getByRole('link', { name: '김민준' }).waitFor();
});

test('search by name and birth date; edit a field of the profile', async () => {
  await page.locator('input[name=name]').fill('이서연');
  await page.locator('input[name=birth_date]').fill('1995-07-20');
  await page.locator('main button[type=submit]').click();
  await results().getByRole('link', { name: '이서연' }).click();
  await settled(page, '이서연');
  await page.locator('details.edit summary').click();
  await page.locator('input[name="contact.email"]').fill('seoyeon@example.kr');
  await page.locator('details.edit button[type=submit]').click();
  await page.getByText('변경 내용이 저장되었습니다.').waitFor();
  assert.match(await page.locator('main').textContent(), /seoyeon@example\.kr/);
});

test('register the person as a job seeker at the counsellor\'s office', async () => {
  assert.match(await page.locator('#sec-reg').locator('..').textContent(), /구직자로 등록되어 있지 않습니다/);
  const office = page.locator('#sec-reg ~ form [name=office]');
  await office.waitFor();
  assert.equal(await office.inputValue(), SEOUL.code, 'own office offered first');
  await page.getByRole('button', { name: '구직자로 등록' }).click();
  await page.getByText('구직자로 등록했습니다.').waitFor();
  const reg = await page.locator('#sec-reg').locator('..').textContent();
  assert.match(reg, /등록 중/);
  assert.match(reg, new RegExp(SEOUL.name_ko));
});

test('the person view and the search fit a phone screen', async () => {
  await page.setViewportSize({ width: 375, height: 740 });
  await page.reload();
  await settled(page, '이서연');
  const sw = () => page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok((await sw()) <= 375, 'person view: no horizontal scrolling');
  await page.locator('details.edit summary').click();
  assert.ok((await sw()) <= 375, 'open edit form: no horizontal scrolling');
  await page.screenshot({ path: `${process.env.OPENPES_SHOTS || '/tmp'}/openpes-portal-person.png`, fullPage: true });
  await page.setViewportSize({ width: 1024, height: 800 });
});

test('national id search goes in the request body, never in the URL', async () => {
  await page.locator('#site-nav a', { hasText: '대상자 검색' }).click();
  await page.getByLabel('주민등록번호', { exact: true }).check();
  await page.locator('input[name=national_id]').fill('900101-1000101');
  const [req] = await Promise.all([
    page.waitForRequest((r) => r.url().includes('/api/v1/persons/search')),
    page.locator('main button[type=submit]').click(),
  ]);
  assert.equal(req.method(), 'POST');
  assert.ok(!req.url().includes('900101'), 'not in the API URL');
  assert.deepEqual(JSON.parse(req.postData()), { national_id: '900101-1000101' });
  await results().getByRole('link', { name: '김민준' }).waitFor();
  assert.ok(!page.url().includes('900101'), 'not in the page URL');
});

test('a person registered at another office: not listed, and opening the record is refused clearly', async () => {
  await page.getByLabel('이름', { exact: true }).check();
  await page.locator('input[name=name]').fill('정도현');
  await page.locator('main button[type=submit]').click();
  await results().locator('h2').filter({ hasText: '검색 결과 0건' }).waitFor();
  assert.match(await results().textContent(), /다른 기관이 보유한 기록은 검색 결과에 나오지 않습니다/);

  await page.goto(`/persons/${people.dohyun.id}`);
  const refusal = page.locator('#refusal');
  await refusal.waitFor();
  assert.equal(await refusal.getAttribute('role'), 'alert');
  assert.match(await refusal.textContent(), /이 사람의 기록은 볼 수 없습니다 — 다른 기관이 보유한 기록입니다/);
  assert.ok(!(await page.locator('main').textContent()).includes('정도현'), 'nothing of the record is shown');

  // The refusal is in the audit log for the auditor to see.
  const auditor = await s.login('lee.auditor', PW);
  const log = await apiOk(s, 'GET', `/api/v1/audit?person_id=${people.dohyun.id}`, undefined, auditor);
  assert.ok(log.items.some((i) => i.outcome === 'deny' && i.actor_role === 'counsellor'));
  assert.deepEqual(page.problems, []);
});

test('an auditor gets the placeholder home and the audit lookup', async () => {
  const ctx = page.context();
  await ctx.clearCookies();
  await login(page, 'lee.auditor');
  assert.equal(new URL(page.url()).pathname, '/home');
  assert.match(await page.locator('main').textContent(), /감사 담당/);
  assert.match(await page.locator('main').textContent(), new RegExp(SEOUL.name_ko));
  await page.getByRole('link', { name: '감사 기록 조회' }).first().click();
  await page.locator('input[name=person_id]').fill(people.dohyun.id);
  await page.locator('main button[type=submit]').click();
  const rows = page.locator('main table tbody tr');
  await rows.first().waitFor();
  assert.ok((await rows.allTextContents()).some((t) => t.includes('거부')));
});

test('another staff role sees its role and office and no case screens', async () => {
  await page.context().clearCookies();
  await login(page, 'choi.analyst');
  assert.equal(new URL(page.url()).pathname, '/home');
  assert.match(await page.locator('main').textContent(), /통계 분석 담당/);
  await page.goto('/persons');
  await settled(page, '이 화면을 볼 수 없습니다');
});
