// helpers.mjs - shared set-up for the portal's browser tests: a real server on a fresh database
// (tests/api/lib.mjs), a small fixture made with the CLI and the API, and Debian's Chromium
// driven by playwright-core (never a downloaded browser).
import { chromium } from 'playwright-core';
import { existsSync } from 'node:fs';
import { Server, ROOT } from '../api/lib.mjs';

export { Server, ROOT };
export const PW = 'correct-horse-42';
export const CHROMIUM = process.env.OPENPES_CHROMIUM || '/usr/bin/chromium';

export async function launch() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (scripts/setup-deps.sh)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// A page that fails the test on script errors and CSP violations (collected in page.problems).
export async function newPage(browser, s, { width = 1024, height = 800, lang } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, baseURL: s.base, locale: 'ko-KR' });
  if (lang) await context.addInitScript((l) => localStorage.setItem('openpes.lang', l), lang);
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push('pageerror: ' + e.message));
  page.on('console', (m) => {
    const txt = m.text();
    // A 401 from /auth/session is how the portal learns nobody is signed in; 4xx answers
    // the tests provoke on purpose are logged by Chromium as failed resources too.
    if (m.type() === 'error' && !/Failed to load resource/.test(txt)) page.problems.push('console: ' + txt);
  });
  return page;
}

// Offices and staff used by every test file.
export const SEOUL = { code: 'SEOUL-GANGNAM', name: 'Seoul Gangnam Job Centre', name_ko: '서울강남고용센터', region: 'KR-11' };
export const BUSAN = { code: 'BUSAN-HAEUNDAE', name: 'Busan Haeundae Job Centre', name_ko: '부산해운대고용센터', region: 'KR-26' };

export async function startWorld() {
  const s = new Server();
  for (const o of [SEOUL, BUSAN]) {
    s.cliOk('office', 'add', '--code', o.code, '--name', o.name, '--name-ko', o.name_ko, '--kind', 'job_centre', '--region', o.region);
  }
  const staff = [
    ['kim.counsellor', 'counsellor', SEOUL, '김상담'],
    ['park.counsellor', 'counsellor', BUSAN, '박상담'],
    ['lee.auditor', 'auditor', SEOUL, '이감사'],
    ['choi.analyst', 'analyst', SEOUL, '최분석'],
  ];
  for (const [u, role, office, name] of staff) {
    s.cliOk('user', 'add', '--username', u, '--password', PW, '--kind', 'staff', '--role', role, '--office', office.code, '--name', name);
  }
  await s.start();
  return s;
}

// API calls with a bearer token (no CSRF needed): returns the parsed body or throws.
export async function apiOk(s, method, path, body, token, expect = [200, 201]) {
  const r = await s.req(method, path, { token, body });
  if (!expect.includes(r.status)) throw new Error(`${method} ${path}: ${r.status} ${r.text}`);
  return r.body;
}

// A citizen with an account, a profile and (optionally) a registration, made through the API.
export async function makeCitizen(s, { username, display_name, person, office }) {
  await apiOk(s, 'POST', '/api/v1/auth/signup', { username, password: PW, display_name, locale: 'ko' });
  const token = await s.login(username, PW);
  const me = await apiOk(s, 'POST', '/api/v1/me', person, token);
  if (office) await apiOk(s, 'POST', '/api/v1/me/jobseeker-registration', { office }, token);
  return { token, id: me.id };
}

export async function login(page, username, password = PW) {
  await page.goto('/login');
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(password);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/login')),
    page.locator('main button[type=submit]').click(),
  ]);
  await page.locator('main h1').waitFor();
}

export async function logout(page) {
  const menu = page.locator('#menu-toggle');
  if (await menu.isVisible()) await menu.click();
  await page.locator('#site-nav .who button').click();
  await page.waitForURL('**/login');
}

// Korean resident registration numbers for test people (the check digit is not verified).
export const nid = (birth, g, n) => `${birth.slice(2, 4)}${birth.slice(5, 7)}${birth.slice(8, 10)}-${g}${String(n).padStart(6, '0')}`;

export function noHorizontalOverflow(page) {
  return page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
}

// Wait until the page has its heading and nothing is loading any more.
export async function settled(page, title) {
  const h1 = page.locator('main h1');
  if (title) await h1.filter({ hasText: title }).waitFor();
  else await h1.waitFor();
  await page.locator('main .loading').waitFor({ state: 'detached' });
}
