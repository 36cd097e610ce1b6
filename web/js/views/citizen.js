// citizen.js - a citizen's own pages: profile (create / view / edit), job-seeker registration,
// and who accessed their data.
import { h, cell } from '../dom.js';
import { t, tOr, fmtDateTime, officeName } from '../i18n.js';
import { api, ApiError } from '../api.js';
import { field, readForm, diffForm, checkRequired, showApiError, submitting, successBox } from '../forms.js';
import { page, loading, navigate } from '../app.js';
import { personSections, personFieldsets, registrationFacts } from './person-common.js';
import { loadOffices } from './offices.js';

const notFound = (err) => err instanceof ApiError && err.status === 404;

// GET /me, or null when the citizen has no profile yet.
async function getMe() {
  try { return await api('GET', '/me'); } catch (err) { if (notFound(err)) return null; throw err; }
}

// A one-shot message carried to the next page ("Your changes were saved.").
let flash = null;
const takeFlash = () => { const f = flash; flash = null; return f ? successBox(f) : null; };

export async function profile(ctx) {
  page(ctx, t('profile.title'), loading());
  const me = await getMe();
  if (!me) return createProfile(ctx);
  page(ctx, t('profile.title'),
    takeFlash(),
    h('div', { class: 'actions top' }, h('a', { class: 'btn', href: '/me/edit' }, t('profile.edit'))),
    personSections(me),
    h('section', { class: 'card', 'aria-labelledby': 'sec-reg' },
      h('h2', { id: 'sec-reg' }, t('section.registration')),
      me.registration ? registrationFacts(me.registration) : h('p', {}, t('reg.none')),
      h('p', {}, h('a', { href: '/me/registration' }, t(me.registration ? 'reg.details' : 'reg.start')))));
}

function createProfile(ctx) {
  const form = h('form', { class: 'form', novalidate: true },
    personFieldsets({}, ['identity', 'contact', 'address', 'education', 'preferences', 'other']),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn' }, t('profile.create_submit'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!checkRequired(form)) return;
    await submitting(form, async () => {
      try {
        await api('POST', '/me', readForm(form));
        flash = t('profile.created');
        navigate('/me', { replace: true });
      } catch (err) { showApiError(form, err); }
    });
  });
  page(ctx, t('profile.create_title'), h('p', { class: 'lead' }, t('profile.none')), form);
}

export async function editProfile(ctx) {
  page(ctx, t('profile.edit_title'), loading());
  const me = await getMe();
  if (!me) return navigate('/me', { replace: true });
  const form = h('form', { class: 'form', novalidate: true },
    personFieldsets(me, ['contact', 'address', 'education', 'preferences', 'other']),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'btn' }, t('profile.save')),
      h('a', { class: 'btn btn-secondary', href: '/me' }, t('common.cancel'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const patch = diffForm(form, me);
    if (!Object.keys(patch).length) return navigate('/me');
    if (me.version !== undefined) patch.version = me.version;
    await submitting(form, async () => {
      try {
        await api('PATCH', '/me', patch);
        flash = t('profile.saved');
        navigate('/me');
      } catch (err) { showApiError(form, err); }
    });
  });
  page(ctx, t('profile.edit_title'), h('p', { class: 'lead' }, t('profile.fixed_note')), form);
}

export async function registration(ctx) {
  page(ctx, t('reg.title'), loading());
  let reg = null;
  try {
    reg = await api('GET', '/me/jobseeker-registration');
    reg = reg?.registration ?? reg;
  } catch (err) {
    if (!notFound(err)) throw err;
  }
  if (reg && reg.status) {
    return page(ctx, t('reg.title'), takeFlash(),
      h('section', { class: 'card' }, h('h2', {}, t('reg.your_status')), registrationFacts(reg)),
      h('p', { class: 'aside' }, t('reg.explain')));
  }
  const me = await getMe();
  if (!ctx.current()) return;
  if (!me) {
    return page(ctx, t('reg.title'), h('p', {}, t('reg.need_profile')),
      h('p', {}, h('a', { class: 'btn', href: '/me' }, t('profile.create_title'))));
  }
  const offices = await loadOffices();
  const officeField = offices
    ? field({ name: 'office', label: t('reg.office'), type: 'select', required: true,
      options: offices.map((o) => ({ value: o.code, label: officeName(o) })) })
    : field({ name: 'office', label: t('reg.office_code'), hint: t('reg.office_code_hint'), required: true, autocapitalize: 'characters', spellcheck: 'false' });
  const form = h('form', { class: 'card form narrow', novalidate: true },
    officeField,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn' }, t('reg.submit'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!checkRequired(form)) return;
    await submitting(form, async () => {
      try {
        await api('POST', '/me/jobseeker-registration', { office: form.office.value.trim() });
        flash = t('reg.done');
        navigate('/me/registration', { replace: true });
      } catch (err) { showApiError(form, err); }
    });
  });
  page(ctx, t('reg.title'), h('p', { class: 'lead' }, t('reg.none')), h('p', {}, t('reg.intro')), form);
}

// Purposes in plain words: our own wording by code, else the API's description.
let purposeCache = null;
async function purposes() {
  if (purposeCache) return purposeCache;
  try {
    const r = await api('GET', '/purposes');
    purposeCache = Object.fromEntries((r.purposes || []).map((p) => [p.code, p]));
  } catch { purposeCache = {}; }
  return purposeCache;
}

// The legal basis in the language shown: our wording when the record cites the basis the
// purpose currently has (GET /purposes), else the record's own text.
function basisText(it) {
  const known = purposeCache?.[it.purpose]?.legal_basis;
  return known === it.legal_basis ? tOr('basis.' + it.purpose, it.legal_basis) : it.legal_basis;
}

function actorText(it) {
  switch (it.actor_type) {
    case 'citizen': return t('log.you');
    case 'staff': return it.role ? tOr('role.' + it.role, it.role) : t('role.staff');
    default: return tOr('actor.' + it.actor_type, it.actor_type);
  }
}

export async function accessLog(ctx) {
  page(ctx, t('log.title'), loading());
  let items;
  try {
    const [r] = await Promise.all([api('GET', '/me/access-log?limit=200'), purposes()]);
    items = r.items || [];
  } catch (err) {
    if (notFound(err)) {
      return page(ctx, t('log.title'), h('p', {}, t('log.no_profile')), h('p', {}, h('a', { href: '/me' }, t('profile.create_title'))));
    }
    throw err;
  }
  const p = purposeCache;
  const body = h('tbody');
  const table = h('table', { class: 'data stack' },
    h('caption', { class: 'visually-hidden' }, t('log.caption')),
    h('thead', {}, h('tr', {}, ['log.when', 'log.office', 'log.role', 'log.purpose', 'log.action'].map((k) => h('th', { scope: 'col' }, t(k))))),
    body);
  const empty = h('p', { class: 'empty', hidden: true }, t('log.empty'));
  const own = h('input', { type: 'checkbox', id: 'show-own' });
  const fill = () => {
    const shown = items.filter((it) => own.checked || it.actor_type !== 'citizen');
    body.replaceChildren(...shown.map((it) => h('tr', { class: it.outcome === 'deny' ? 'denied' : null },
      cell(t('log.when'), h('time', { datetime: it.ts }, fmtDateTime(it.ts))),
      cell(t('log.office'), it.office ? officeName(it.office) : '—'),
      cell(t('log.role'), actorText(it)),
      cell(t('log.purpose'), tOr('purpose.' + it.purpose, p[it.purpose]?.description || it.purpose),
        it.legal_basis ? h('span', { class: 'basis' }, t('log.basis'), ': ', basisText(it)) : null),
      h('td', { 'data-label': t('log.action') },
        `${tOr('action.' + it.action, it.action)} · ${tOr('resource.' + it.resource_type, it.resource_type)}`,
        it.outcome === 'deny' ? h('span', { class: 'badge badge-deny' }, t('log.denied')) : null))));
    table.hidden = !shown.length;
    empty.hidden = !!shown.length;
  };
  own.addEventListener('change', fill);
  fill();
  page(ctx, t('log.title'),
    h('p', { class: 'lead' }, t('log.intro')),
    h('p', { class: 'notice notice-info', id: 'no-names' }, t('log.no_names')),
    h('div', { class: 'field-check toolbar' }, own, h('label', { for: 'show-own' }, t('log.show_own'))),
    h('div', { class: 'table-wrap' }, table), empty);
}

