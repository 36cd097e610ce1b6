// citizen.test.mjs - a citizen signs up, creates a profile (seeing the API's validation message
// on the right field), registers as a job seeker and sees the registration; a counsellor reads
// the profile and the citizen's "who accessed my data" page shows that read with office, role
// and purpose, but no staff name.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, startWorld, login, logout, apiOk, settled, SEOUL, PW } from './helpers.mjs';

let s, browser, page;
before(async () => {
  s = await startWorld();
  browser = await launch();
  page = await newPage(browser, s);
});
after(async () => {
  await browser?.close();
  await s?.stop();
});

const h1 = () => page.locator('main h1');

test('sign up from the login page, then land on the create-profile form', async () => {
  await page.goto('/');
  await page.waitForURL('**/login');
  assert.equal(await h1().textContent(), '로그인');
  await page.getByRole('link', { name: '개인 회원가입' }).click();
  await page.waitForURL('**/signup');
  await page.locator('input[name=display_name]').fill('한지민');
  await page.locator('input[name=username]').fill('han.jimin');
  await page.locator('input[name=password]').fill(PW);
  await page.locator('input[name=password2]').fill(PW + 'x');
  await page.locator('main button[type=submit]').click();
  // The two passwords differ: checked in the browser, shown on the second field.
  await page.locator('input[name=password2][aria-invalid=true]').waitFor();
  await page.locator('input[name=password2]').fill(PW);
  await page.locator('main button[type=submit]').click();
  await page.waitForURL('**/me');
  await settled(page, '프로필 만들기');
  assert.match(await page.locator('#site-nav').textContent(), /한지민/);
});

test('create the profile: the API validation message appears on its field, then it is created', async () => {
  await page.locator('input[name=family_name]').fill('한');
  await page.locator('input[name=given_name]').fill('지민');
  await page.locator('input[name=birth_date]').fill('1992-03-14');
  await page.locator('select[name=sex]').selectOption('female');
  await page.locator('input[name=national_id]').fill('921314-2123456'); // month 13: not a date
  await page.locator('input[name="contact.email"]').fill('jimin@example.kr');
  await page.locator('input[name="contact.phone"]').fill('010-2345-6789');
  await page.locator('input[name="address.line"]').fill('강남구 테헤란로 152');
  await page.locator('input[name="address.postal_code"]').fill('06236');
  await page.locator('select[name="address.region_code"]').selectOption('KR-11');
  await page.locator('select[name="education.level"]').selectOption('bachelor');
  await page.locator('input[name=skills]').fill('엑셀, 고객 상담');
  await page.locator('main button[type=submit]').click();
  const bad = page.locator('input[name=national_id][aria-invalid=true]');
  await bad.waitFor();
  const errId = (await bad.getAttribute('aria-describedby')).split(' ').find((x) => x.endsWith('-err'));
  assert.ok((await page.locator('#' + errId).textContent()).length > 5, 'the field shows why');
  assert.equal(await page.locator('main [role=alert] .notice-title').first().textContent(), '표시된 항목을 확인해 주세요.');

  await bad.fill('920314-2123456');
  await page.locator('main button[type=submit]').click();
  await settled(page, '내 프로필');
  const text = await page.locator('main').textContent();
  assert.match(text, /프로필이 만들어졌습니다/);
  assert.match(text, /920314-2\*{6}/, 'national id shown masked');
  assert.match(text, /엑셀, 고객 상담/);
  assert.match(text, /서울특별시/);
  assert.ok(!text.includes('2123456'), 'the full national id is never shown');
});

test('edit the profile: only changed fields are sent, names cannot be changed here', async () => {
  await page.getByRole('link', { name: '프로필 수정' }).click();
  await page.waitForURL('**/me/edit');
  assert.equal(await page.locator('input[name=family_name]').count(), 0);
  assert.equal(await page.locator('input[name=national_id]').count(), 0);
  await page.locator('input[name="contact.phone"]').fill('010-9999-0000');
  const [req] = await Promise.all([
    page.waitForRequest((r) => r.method() === 'PATCH' && r.url().endsWith('/api/v1/me')),
    page.locator('main button[type=submit]').click(),
  ]);
  const sent = JSON.parse(req.postData());
  assert.deepEqual(Object.keys(sent).sort(), sent.version === undefined ? ['contact'] : ['contact', 'version']);
  assert.ok(req.headers()['x-csrf-token'], 'cookie-session writes carry the CSRF token');
  await page.waitForURL('**/me');
  await page.getByText('변경 내용이 저장되었습니다.').waitFor();
  assert.match(await page.locator('main').textContent(), /010-9999-0000/);
});

test('register as a job seeker and see status, office and dates', async () => {
  await page.getByRole('link', { name: '구직 신청' }).first().click();
  await page.waitForURL('**/me/registration');
  await settled(page, '구직 신청');
  await page.locator('[name=office]').waitFor();
  // Citizens choose from the public office directory.
  await page.locator('select[name=office]').selectOption(SEOUL.code);
  await page.locator('main button[type=submit]').click();
  await page.getByText('구직 신청이 접수되었습니다.').waitFor();
  const text = await page.locator('main').textContent();
  assert.match(text, /등록 중/);
  assert.match(text, new RegExp(SEOUL.name_ko));
  assert.match(text, /등록일/);
  // The profile page shows the registration too.
  await page.getByRole('link', { name: '내 프로필' }).click();
  await page.waitForURL('**/me');
  await page.locator('#sec-reg').waitFor();
  assert.match(await page.locator('main').textContent(), new RegExp(SEOUL.name_ko));
});

test('a counsellor reads the profile; the access log shows office, role and purpose, no staff name', async () => {
  const token = await s.login('kim.counsellor', PW);
  const found = await apiOk(s, 'POST', '/api/v1/persons/search', { national_id: '920314-2123456' }, token);
  assert.equal(found.items.length, 1);
  await apiOk(s, 'GET', `/api/v1/persons/${found.items[0].id}`, undefined, token);

  await page.getByRole('link', { name: '내 정보 열람 기록' }).click();
  await page.waitForURL('**/me/access-log');
  await settled(page, '내 정보 열람 기록');
  const table = page.locator('main table');
  await table.waitFor();
  const rows = table.locator('tbody tr');
  const texts = await rows.allTextContents();
  const read = texts.find((t) => t.includes('직업상담사') && t.includes('조회'));
  assert.ok(read, 'a row for the counsellor read: ' + texts.join(' | '));
  assert.match(read, new RegExp(SEOUL.name_ko));
  assert.match(read, /취업 지원/);
  assert.ok(texts.some((t) => t.includes('검색')), 'the search is listed too');
  const main = await page.locator('main').textContent();
  assert.ok(!main.includes('김상담') && !main.includes('kim.counsellor'), 'no staff name or user name');
  assert.match(await page.locator('#no-names').textContent(), /이름은 표시하지 않고/);
  // The citizen's own views are hidden until asked for.
  assert.ok(!texts.some((t) => t.includes('본인')));
  await page.getByLabel('내가 직접 한 조회도 보기').check();
  assert.ok((await rows.allTextContents()).some((t) => t.includes('본인')));
  assert.deepEqual(page.problems, []);
});

test('sign out returns to the login page and protected pages need signing in again', async () => {
  await logout(page);
  await page.goto('/me/access-log');
  await page.waitForURL('**/login');
  await login(page, 'han.jimin');
  assert.equal(new URL(page.url()).pathname, '/me/access-log', 'back where the visitor was heading');
});
