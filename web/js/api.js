// api.js - the JSON API under /api/v1: cookie session, CSRF header on writes, structured errors.
import { t, has } from './i18n.js';

const CSRF_KEY = 'openpes.csrf';

export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `HTTP ${status}`);
    this.status = status;
    this.code = e.code || (status === 0 ? 'network' : 'unknown');
    this.apiMessage = e.message || '';
    this.detail = e.detail || '';
    this.hint = e.hint || '';
    this.field = e.field || '';
  }
}

export function setCsrf(token) {
  try { token ? sessionStorage.setItem(CSRF_KEY, token) : sessionStorage.removeItem(CSRF_KEY); } catch { /* ignore */ }
}
function csrf() { try { return sessionStorage.getItem(CSRF_KEY); } catch { return null; } }

function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

// api('POST', '/me', body) -> parsed JSON, or throws ApiError.
export async function api(method, path, body, { headers = {} } = {}) {
  const h = { Accept: 'application/json', ...headers };
  if (body !== undefined) h['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD') {
    const tok = csrf();
    if (tok) h['X-CSRF-Token'] = tok;
    h['Idempotency-Key'] ??= newKey(); // a double-submitted form is applied once
  }
  let r;
  try {
    r = await fetch('/api/v1' + path, {
      method, headers: h, credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, null);
  }
  const text = await r.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  if (!r.ok) throw new ApiError(r.status, json);
  return json;
}

// The words to show for an error: localised by code where we have them, else the API's own.
export function describeError(err) {
  if (!(err instanceof ApiError)) return { message: t('err.generic'), hint: '' };
  const code = err.code;
  const key = has('err.' + code) ? 'err.' + code
    : err.status >= 500 ? 'err.internal.error' : null;
  const message = key ? t(key) : (err.apiMessage ? capitalise(err.apiMessage) : t('err.generic'));
  const hint = has(`err.${code}.hint`) ? t(`err.${code}.hint`) : (err.hint ? capitalise(err.hint) : '');
  return { message, hint, detail: err.detail ? capitalise(err.detail) : '' };
}

const capitalise = (s) => (s ? s[0].toUpperCase() + s.slice(1) + (/[.!?]$/.test(s) ? '' : '.') : s);
