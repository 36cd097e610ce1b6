// mobile.test.mjs - at 375x740 the citizen pages do not scroll sideways, tap targets are at
// least 44 px, the navigation folds behind a menu button and works; basic accessibility checks
// (one h1, landmarks, every input labelled).  Screenshots go to /tmp for a human look.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, startWorld, login, makeCitizen, apiOk, nid, noHorizontalOverflow, SEOUL, PW } from './helpers.mjs';

const SHOTS = process.env.OPENPES_SHOTS || '/tmp';
let s, browser, page;
before(async () => {
  s = await startWorld();
  const c = await makeCitizen(s, {
    username: 'yoon.citizen', display_name: '윤서진', office: SEOUL.code,
    person: {
      national_id: nid('1979-12-24', 2, 4321), family_name: '윤', given_name: '서진', birth_date: '1979-12-24', sex: 'female',
      contact: { email: 'seojin.yoon.long.address@example-employment-portal.kr', phone: '010-5555-1234' },
      address: { line: '서울특별시 강남구 테헤란로 152 강남파이낸스센터 12층 1203호', postal_code: '06236', region_code: 'KR-11' },
      education: { level: 'master', major: '사회복지학' },
      skills: ['사회복지사 1급', '엑셀', '고객 상담', '사례 관리', '외국어(영어·중국어)'],
      preferences: { occupations: ['2635'], regions: ['KR-11', 'KR-41'], salary_min: 3000000, salary_period: 'month', hours_per_week_max: 40 },
    },
  });
  // Staff reads so the access log has rows.
  const counsellor = await s.login('kim.counsellor', PW);
  await apiOk(s, 'GET', `/api/v1/persons/${c.id}`, undefined, counsellor);
  await apiOk(s, 'GET', `/api/v1/persons/${c.id}/jobseeker-registration`, undefined, counsellor);
  browser = await launch();
  page = await newPage(browser, s, { width: 375, height: 740 });
});
after(async () => {
  await browser?.close();
  await s?.stop();
});

async function settle() {
  await page.locator('main h1').waitFor();
  await page.locator('main .loading').waitFor({ state: 'detached' });
}

async function checkPage(path, label) {
  await page.goto(path);
  await settle();
  const { scroll } = await noHorizontalOverflow(page);
  assert.ok(scroll <= 375, `${path}: scrollWidth ${scroll} > 375`);
  const a11y = await page.evaluate(() => {
    const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
    const small = [];
    // Buttons, form controls and navigation links; links inside running text are exempt (WCAG 2.5.8).
    for (const el of document.querySelectorAll('button, select, input:not([type=checkbox]):not([type=radio]), textarea, #site-nav a, .brand, .btn, .choice > label, .field-check > label')) {
      if (!visible(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.height < 44 || (el.matches('button, .btn') && r.width < 44)) small.push(`${el.tagName}.${el.className}:${el.textContent.trim().slice(0, 20)} ${Math.round(r.width)}x${Math.round(r.height)}`);
    }
    const unlabelled = [...document.querySelectorAll('input, select, textarea')].filter((el) => visible(el) && !el.labels?.length && !el.getAttribute('aria-label')).map((el) => el.name);
    return {
      small, unlabelled,
      h1: document.querySelectorAll('h1').length,
      main: document.querySelectorAll('main').length,
      nav: document.querySelector('nav[aria-label]') !== null,
      lang: document.documentElement.lang,
    };
  });
  assert.deepEqual(a11y.small, [], `${path}: tap targets under 44 px`);
  assert.deepEqual(a11y.unlabelled, [], `${path}: inputs without labels`);
  assert.equal(a11y.h1, 1, `${path}: one h1`);
  assert.equal(a11y.main, 1);
  assert.ok(a11y.nav);
  assert.equal(a11y.lang, 'ko');
  if (label) await page.screenshot({ path: `${SHOTS}/openpes-portal-${label}.png`, fullPage: true });
}

test('login and sign-up fit a 375 px screen', async () => {
  await checkPage('/login', 'login');
  await checkPage('/signup');
});

test('citizen pages fit a 375 px screen with 44 px tap targets', async () => {
  await login(page, 'yoon.citizen');
  await checkPage('/me', 'profile');
  await checkPage('/me/edit', 'profile-edit');
  await checkPage('/me/registration', 'registration');
  await checkPage('/me/access-log', 'access-log');
  // The access log is a stack of cards on a phone: the column names are shown per cell.
  const label = await page.locator('main tbody td').first().evaluate((td) => getComputedStyle(td, '::before').content);
  assert.equal(label, '"일시"');
});

test('the navigation folds behind the menu button and works', async () => {
  await page.goto('/me');
  await settle();
  const menu = page.locator('#menu-toggle');
  const link = page.locator('#site-nav a', { hasText: '내 정보 열람 기록' });
  assert.ok(await menu.isVisible(), 'menu button shown on a phone');
  assert.equal(await menu.getAttribute('aria-expanded'), 'false');
  assert.ok(!(await link.isVisible()), 'links folded away');
  await menu.click();
  assert.equal(await menu.getAttribute('aria-expanded'), 'true');
  assert.ok(await link.isVisible());
  const { scroll } = await noHorizontalOverflow(page);
  assert.ok(scroll <= 375, 'open menu fits too');
  await page.screenshot({ path: `${SHOTS}/openpes-portal-menu.png` });
  await link.click();
  await page.waitForURL('**/me/access-log');
  await settle();
  assert.equal(await menu.getAttribute('aria-expanded'), 'false', 'menu closes after navigating');
  assert.equal(await page.evaluate(() => document.activeElement.tagName), 'H1', 'focus moves to the new page heading');
  assert.equal(await page.locator('#site-nav a[aria-current=page]').textContent(), '내 정보 열람 기록');
  // Escape closes it too, returning focus to the button.
  await menu.click();
  await page.keyboard.press('Escape');
  assert.equal(await menu.getAttribute('aria-expanded'), 'false');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'menu-toggle');
});

test('on a wide screen the navigation is always visible', async () => {
  await page.setViewportSize({ width: 1200, height: 800 });
  await page.goto('/me');
  await settle();
  assert.ok(!(await page.locator('#menu-toggle').isVisible()));
  assert.ok(await page.locator('#site-nav a', { hasText: '구직 신청' }).isVisible());
  assert.deepEqual(page.problems, []);
});
