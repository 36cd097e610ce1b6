// i18n.test.mjs - both languages are complete, <html lang> follows the choice, the choice
// persists, and typed input survives a switch.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch, newPage, startWorld, login, makeCitizen, nid, SEOUL, ROOT } from './helpers.mjs';

const WEB = join(ROOT, 'web');
// The core catalogue and every module's (web/i18n/<module>.<lang>.json), merged as the portal does.
const catalogue = (lang) => Object.assign({}, ...readdirSync(join(WEB, 'i18n'))
  .filter((f) => f === `${lang}.json` || f.endsWith(`.${lang}.json`))
  .map((f) => JSON.parse(readFileSync(join(WEB, 'i18n', f), 'utf8'))));
const ko = catalogue('ko');
const en = catalogue('en');

let s, browser, page;
before(async () => {
  s = await startWorld();
  await makeCitizen(s, {
    username: 'oh.citizen', display_name: '오하늘', office: SEOUL.code,
    person: { national_id: nid('1985-05-05', 1, 777), family_name: '오', given_name: '하늘', birth_date: '1985-05-05',
      address: { region_code: 'KR-11' } },
  });
  browser = await launch();
  page = await newPage(browser, s);
});
after(async () => {
  await browser?.close();
  await s?.stop();
});

test('the two message catalogues have the same keys and no empty text', () => {
  assert.deepEqual(Object.keys(ko).sort(), Object.keys(en).sort());
  for (const [k, v] of [...Object.entries(ko), ...Object.entries(en)]) assert.ok(typeof v === 'string' && v.trim(), k);
  assert.ok(/[가-힣]/.test(ko['login.title']) && !/[가-힣]/.test(en['login.title']));
});

test('every message key the scripts use exists', () => {
  const files = [];
  const walk = (d) => { for (const e of readdirSync(d, { withFileTypes: true })) e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith('.js') && files.push(join(d, e.name)); };
  walk(join(WEB, 'js'));
  const used = new Set();
  for (const f of files) {
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(/\bt\('([a-z_]+\.[a-z0-9_.]+)'/g)) used.add(m[1]);
    for (const m of src.matchAll(/\[\s*'\/[^']*',\s*'([a-z_]+\.[a-z0-9_.]+)'\s*\]/g)) used.add(m[1]); // nav items (keys may have 3 parts)
  }
  for (const m of readFileSync(join(WEB, 'index.html'), 'utf8').matchAll(/data-i18n(?:-aria-label)?="([^"]+)"/g)) used.add(m[1]);
  const missing = [...used].filter((k) => !(k in ko) || !(k in en));
  assert.deepEqual(missing, []);
  assert.ok(used.size > 100, `scanned ${used.size} keys`);
});

test('Korean by default; the switch changes the text and lang, and persists', async () => {
  await page.goto('/login');
  await page.locator('main h1').waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'ko');
  assert.equal(await page.locator('main h1').textContent(), '로그인');
  await page.locator('input[name=username]').fill('typed-before-switch');
  const sw = page.locator('#lang-toggle');
  assert.equal(await sw.textContent(), 'English');
  assert.equal(await sw.getAttribute('lang'), 'en');
  await sw.click();
  await page.locator('main h1', { hasText: 'Sign in' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  assert.equal(await sw.textContent(), '한국어');
  assert.equal(await page.locator('.skip-link').textContent(), 'Skip to main content');
  assert.equal(await page.locator('#site-nav').getAttribute('aria-label'), 'Main menu');
  assert.equal(await page.locator('input[name=username]').inputValue(), 'typed-before-switch', 'input kept');
  assert.match(await page.title(), /Sign in/);

  await page.reload();
  await page.locator('main h1', { hasText: 'Sign in' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
});

test('signed in, every citizen page is in English, with no Korean UI text left', async () => {
  await login(page, 'oh.citizen');
  const pages = [['/me', 'My profile'], ['/me/edit', 'Edit your profile'], ['/me/registration', 'Job-seeker registration'], ['/me/access-log', 'Who accessed my data']];
  for (const [path, title] of pages) {
    await page.goto(path);
    await page.locator('main h1', { hasText: title }).waitFor();
    await page.locator('main .loading').waitFor({ state: 'detached' });
    // Hangul may appear only in the person's own data (name, office names in Korean are not used in English).
    const ui = await page.evaluate(() => {
      const drop = new Set(['오하늘', '오', '하늘']);
      const text = document.body.innerText.split(/\s+/).filter((w) => !drop.has(w));
      return text.filter((w) => /[가-힣]/.test(w) && w !== '한국어');
    });
    assert.deepEqual(ui, [], `${path}: Korean UI text in English mode`);
  }
  const nav = await page.locator('#site-nav').textContent();
  assert.match(nav, /My profile.*Job-seeker registration.*Who accessed my data/s);
  assert.match(await page.locator('#site-nav').textContent(), /Citizen/);

  await page.locator('#lang-toggle').click();
  await page.locator('main h1', { hasText: '내 정보 열람 기록' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'ko');
  assert.deepEqual(page.problems, []);
});
