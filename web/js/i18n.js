// i18n.js - Korean (default) and English messages from /i18n/{ko,en}.json.
// The visitor's choice persists in localStorage; <html lang> always follows the language shown.

export const LANGS = ['ko', 'en'];
const STORE_KEY = 'openpes.lang';
const catalogs = {};
let lang = 'ko';

// The core catalogue plus one per feature module (js/modules.js), merged.
export async function loadMessages() {
  const { MODULES } = await import('./modules.js');
  await Promise.all(LANGS.map(async (l) => {
    const parts = await Promise.all([`/i18n/${l}.json`, ...MODULES.map((m) => `/i18n/${m}.${l}.json`)].map(async (u) => {
      const r = await fetch(u, { cache: 'no-cache' });
      return r.ok ? r.json() : {};
    }));
    catalogs[l] = Object.assign({}, ...parts);
  }));
  let stored = null;
  try { stored = localStorage.getItem(STORE_KEY); } catch { /* storage disabled */ }
  applyLang(LANGS.includes(stored) ? stored : 'ko');
}

export const getLang = () => lang;

// An explicit choice (the switch) is remembered; an account's preferred locale is used only
// while the visitor has not chosen.
export function setLang(l, { remember = true } = {}) {
  if (!LANGS.includes(l)) return;
  if (remember) { try { localStorage.setItem(STORE_KEY, l); } catch { /* ignore */ } }
  applyLang(l);
}

export function hasChosenLang() {
  try { return LANGS.includes(localStorage.getItem(STORE_KEY)); } catch { return false; }
}

function applyLang(l) {
  lang = l;
  document.documentElement.lang = l;
  translateStatic(document);
}

export function has(key) { return key in (catalogs[lang] || {}); }

// t('search.results', {n: 3}) - falls back to the other language, then to the key itself.
export function t(key, vars) {
  let s = catalogs[lang]?.[key] ?? catalogs.en?.[key] ?? catalogs.ko?.[key] ?? key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
  return s;
}

// t() for a code that may be unknown to the catalogue: returns fallback instead of the key.
export function tOr(key, fallback) { return has(key) ? t(key) : (fallback ?? key); }

// Static markup carries data-i18n="key" (text) and data-i18n-aria-label="key".
export function translateStatic(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-aria-label]')) el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel));
}

const locale = () => (lang === 'ko' ? 'ko-KR' : 'en-GB');

// "1990-05-01" -> a local calendar date (no time-zone shift).
export function fmtDate(s) {
  if (!s) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  if (!m) return s;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(d);
}

export function fmtDateTime(s) {
  if (!s) return '';
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return s;
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

export function fmtNumber(n) {
  return typeof n === 'number' ? new Intl.NumberFormat(locale()).format(n) : n;
}

// An office object in the language shown.
export function officeName(o) {
  if (!o) return '';
  return (lang === 'ko' && o.name_ko) ? o.name_ko : (o.name || o.name_ko || o.code || '');
}
