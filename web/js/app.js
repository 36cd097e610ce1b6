// app.js - the portal shell: session, role-aware navigation, path routing, language switch.
import { h } from './dom.js';
import { loadMessages, t, getLang, setLang, hasChosenLang, translateStatic, officeName } from './i18n.js';
import { api, setCsrf, ApiError, describeError } from './api.js';
import { errorBox } from './forms.js';
import * as auth from './views/auth.js';
import * as citizen from './views/citizen.js';
import * as staff from './views/staff.js';
import * as home from './views/home.js';
import { modules } from './modules.js';

// Who is signed in: the account from /auth/login or /auth/session, or null.
export const session = { account: null };

const CASEWORK = ['counsellor', 'supervisor', 'welfare_officer'];
export const isCitizen = (a) => a?.kind === 'citizen';
export const isCaseworker = (a) => a?.kind === 'staff' && CASEWORK.includes(a.role);
export const isAuditor = (a) => a?.kind === 'staff' && a.role === 'auditor';

// who: null = public; otherwise a predicate on the account.
const routes = [
  { re: /^\/$/, view: landing, who: null },
  { re: /^\/login$/, view: auth.login, who: null },
  { re: /^\/signup$/, view: auth.signup, who: null },
  { re: /^\/home$/, view: home.staffHome, who: (a) => a.kind !== 'citizen' },
  { re: /^\/me$/, view: citizen.profile, who: isCitizen },
  { re: /^\/me\/edit$/, view: citizen.editProfile, who: isCitizen },
  { re: /^\/me\/registration$/, view: citizen.registration, who: isCitizen },
  { re: /^\/me\/access-log$/, view: citizen.accessLog, who: isCitizen },
  { re: /^\/persons$/, view: staff.search, who: isCaseworker },
  { re: /^\/persons\/([0-9A-Za-z-]{8,64})$/, view: staff.person, who: isCaseworker },
  { re: /^\/audit$/, view: home.auditLookup, who: isAuditor },
  ...modules.flatMap((m) => m.routes),
];

// The account's start page.
export function homePath(a) {
  if (!a) return '/login';
  for (const m of modules) { const p = m.home?.(a); if (p) return p; }
  if (isCitizen(a)) return '/me';
  if (isCaseworker(a)) return '/persons';
  return '/home';
}

function navItems(a) {
  return [...coreNav(a), ...modules.flatMap((m) => m.nav(a))];
}

function coreNav(a) {
  if (!a) return [['/login', 'nav.login'], ['/signup', 'nav.signup']];
  if (isCitizen(a)) return [['/me', 'nav.profile'], ['/me/registration', 'nav.registration'], ['/me/access-log', 'nav.access_log']];
  if (isCaseworker(a)) return [['/persons', 'nav.search']];
  if (isAuditor(a)) return [['/home', 'nav.home'], ['/audit', 'nav.audit']];
  return [['/home', 'nav.home']];
}

function landing() { navigate(homePath(session.account), { replace: true }); }

// ---- navigation ---------------------------------------------------------------------------

let navSeq = 0;

export function navigate(path, { replace = false, state = null } = {}) {
  if (replace) history.replaceState(state, '', path);
  else history.pushState(state, '', path);
  render();
}

// Views receive a context; `current()` is false once the visitor has moved on, so late
// answers do not overwrite the next page.
async function render({ focus = true } = {}) {
  const seq = ++navSeq;
  const path = location.pathname.replace(/\/+$/, '') || '/';
  const main = document.getElementById('main');
  closeMenu();
  renderNav();
  const route = routes.find((r) => r.re.test(path));
  const ctx = {
    main, params: route ? path.match(route.re).slice(1) : [], current: () => seq === navSeq,
    query: new URLSearchParams(location.search),
  };
  if (!route) return page(ctx, t('notfound.title'), h('p', {}, h('a', { href: homePath(session.account) }, t('notfound.home'))));
  if (route.who && !session.account) {
    sessionStorage.setItem('openpes.after_login', path);
    return navigate('/login', { replace: true });
  }
  if (route.who && !route.who(session.account)) {
    return page(ctx, t('forbidden.title'), h('p', {}, t('forbidden.text')),
      h('p', {}, h('a', { href: homePath(session.account) }, t('notfound.home'))));
  }
  try {
    await route.view(ctx);
  } catch (err) {
    if (!ctx.current()) return;
    if (err instanceof ApiError && (err.code === 'auth.required' || err.code === 'auth.token_expired' || err.code === 'auth.token_invalid')) {
      session.account = null;
      setCsrf(null);
      sessionStorage.setItem('openpes.after_login', path);
      sessionStorage.setItem('openpes.expired', '1');
      return navigate('/login', { replace: true });
    }
    console.error(err);
    page(ctx, t('error.title'), errorFor(err));
  }
  if (focus && ctx.current()) focusHeading();
}

export const errorFor = (err) => errorBox(describeError(err));

// Replace the page content: an <h1> (focused after navigation) and the given children.
export function page(ctx, title, ...children) {
  if (!ctx.current()) return null;
  document.title = `${title} · OpenPES`;
  const h1 = h('h1', { tabindex: '-1' }, title);
  ctx.main.replaceChildren(h1, ...children.flat().filter(Boolean));
  return h1;
}

let focusNext = false;
function focusHeading() {
  // Move focus to the new page's heading so keyboard and screen-reader users land on it;
  // on the very first load the browser's default order is kept.
  if (!focusNext) { focusNext = true; return; }
  const h1 = document.querySelector('#main h1');
  if (h1 && !document.querySelector('#main [aria-invalid], #main .notice [tabindex]')) h1.focus({ preventScroll: false });
}

export const loading = () => h('p', { class: 'loading', role: 'status' }, t('common.loading'));

// ---- header: navigation, language, menu ---------------------------------------------------

function renderNav() {
  const nav = document.getElementById('site-nav');
  const a = session.account;
  const here = location.pathname;
  const items = navItems(a).map(([href, key]) => {
    const active = here === href || (href !== '/' && here.startsWith(href + '/') && !navItems(a).some(([o]) => o !== href && here.startsWith(o)));
    return h('li', {}, h('a', { href, 'aria-current': active ? 'page' : null }, t(key)));
  });
  const who = a ? h('div', { class: 'who' },
    h('span', { class: 'who-name' }, a.display_name || a.username),
    h('span', { class: 'who-role' }, roleLine(a)),
    h('button', { type: 'button', class: 'btn-quiet', onclick: logout }, t('nav.logout'))) : null;
  nav.replaceChildren(h('ul', {}, items), who);
  nav.hidden = false;
  document.getElementById('menu-toggle').hidden = false;
  translateStatic(document.body);
  const lt = document.getElementById('lang-toggle');
  const other = getLang() === 'ko' ? 'en' : 'ko';
  lt.textContent = t('lang.' + other);
  lt.lang = other;
  lt.setAttribute('aria-label', t('lang.switch_to', { lang: t('lang.' + other) }));
}

export function roleLine(a) {
  if (!a) return '';
  const role = a.kind === 'staff' ? t('role.' + a.role) : t('role.' + a.kind);
  return a.office ? `${role} · ${officeName(a.office)}` : role;
}

function closeMenu() {
  const b = document.getElementById('menu-toggle');
  b.setAttribute('aria-expanded', 'false');
  document.getElementById('site-nav').classList.remove('open');
}

function toggleMenu() {
  const b = document.getElementById('menu-toggle');
  const open = b.getAttribute('aria-expanded') !== 'true';
  b.setAttribute('aria-expanded', String(open));
  document.getElementById('site-nav').classList.toggle('open', open);
  if (open) document.querySelector('#site-nav a, #site-nav button')?.focus();
}

// Keep what was typed into forms when the language changes (the page is re-rendered).
function snapshotForms() {
  return [...document.querySelectorAll('#main form')].map((f) =>
    [...f.querySelectorAll('[name]')].map((el) => (el.type === 'checkbox' || el.type === 'radio' ? el.checked : el.value)));
}
function restoreForms(snap) {
  [...document.querySelectorAll('#main form')].forEach((f, i) => {
    if (!snap[i]) return;
    const els = [...f.querySelectorAll('[name]')];
    if (els.length !== snap[i].length) return;
    els.forEach((el, j) => {
      if (el.type === 'checkbox' || el.type === 'radio') { if (el.checked !== snap[i][j]) { el.checked = snap[i][j]; el.dispatchEvent(new Event('change', { bubbles: true })); } }
      else el.value = snap[i][j];
    });
  });
}

async function switchLang() {
  const snap = snapshotForms();
  setLang(getLang() === 'ko' ? 'en' : 'ko');
  await render({ focus: false });
  restoreForms(snap);
  document.getElementById('lang-toggle').focus();
}

export async function logout() {
  try { await api('POST', '/auth/logout'); } catch { /* the session may already be gone */ }
  session.account = null;
  setCsrf(null);
  navigate('/login');
}

// After a successful login: remember the CSRF token and go where the visitor was heading.
export function signedIn(body) {
  setCsrf(body.csrf_token);
  session.account = body.account;
  if (!hasChosenLang() && body.account?.locale) setLang(body.account.locale, { remember: false });
  const next = sessionStorage.getItem('openpes.after_login');
  sessionStorage.removeItem('openpes.after_login');
  navigate(next && next !== '/login' ? next : homePath(session.account), { replace: true });
}

// ---- start -------------------------------------------------------------------------------

async function start() {
  await loadMessages();
  try {
    const r = await api('GET', '/auth/session');
    session.account = r?.account ?? r;
    if (r?.csrf_token) setCsrf(r.csrf_token);
    if (!hasChosenLang() && session.account?.locale) setLang(session.account.locale, { remember: false });
  } catch (err) {
    session.account = null;
    if (!(err instanceof ApiError) || err.status !== 401) console.warn('session check failed', err);
  }
  document.getElementById('lang-toggle').addEventListener('click', switchLang);
  document.getElementById('menu-toggle').addEventListener('click', toggleMenu);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && document.getElementById('menu-toggle').getAttribute('aria-expanded') === 'true') {
      closeMenu();
      document.getElementById('menu-toggle').focus();
    }
  });
  // Same-origin links are handled here (no page reload); modified clicks keep browser behaviour.
  document.addEventListener('click', (e) => {
    const a = e.target.closest('a[href]');
    if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || a.target) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith('/api/') || a.hasAttribute('download')) return;
    if (url.hash && url.pathname === location.pathname) return; // in-page anchors (skip link)
    e.preventDefault();
    navigate(url.pathname + url.search);
  });
  window.addEventListener('popstate', () => render());
  document.body.classList.add('ready');
  await render();
}

start();
