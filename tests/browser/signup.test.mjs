// signup.test.mjs - signing up in the portal: a citizen lands on their profile, an employer on the
// employer pages (the business is registered next, then verified by staff).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, startWorld, PW } from './helpers.mjs';

let s, browser;
before(async () => {
  s = await startWorld();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await s?.stop();
});

async function signUp(page, kind, username, name) {
  await page.goto('/signup');
  await page.locator('select[name=kind]').selectOption(kind);
  await page.locator('input[name=display_name]').fill(name);
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(PW);
  await page.locator('input[name=password2]').fill(PW);
  await page.locator('form button[type=submit]').click();
}

test('an employer signs up and lands on the employer pages', async () => {
  const page = await newPage(browser, s, { lang: 'en' });
  await signUp(page, 'employer', 'portal.employer', 'Portal Employer');
  await page.waitForURL('**/employer');
  const r = await s.post('/api/v1/auth/login', { username: 'portal.employer', password: PW, mode: 'bearer' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.account.kind, 'employer');
  await page.close();
});

test('a citizen signs up as before and lands on the profile', async () => {
  const page = await newPage(browser, s, { lang: 'en' });
  await signUp(page, 'citizen', 'portal.citizen', 'Portal Citizen');
  await page.waitForURL('**/me');
  const r = await s.post('/api/v1/auth/login', { username: 'portal.citizen', password: PW, mode: 'bearer' });
  assert.equal(r.body.account.kind, 'citizen');
  await page.close();
});
