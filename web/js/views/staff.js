// staff.js - counsellors, supervisors and welfare officers: person search, person view with the
// job-seeker registration, a short edit form and registering the person as a job seeker.
import { h, dl } from '../dom.js';
import { t, tOr, fmtDate, officeName } from '../i18n.js';
import { api, ApiError, describeError } from '../api.js';
import { field, diffForm, checkRequired, showApiError, submitting, successBox, errorBox } from '../forms.js';
import { page, loading, session, navigate } from '../app.js';
import { personSections, personFieldsets, registrationFacts, personName } from './person-common.js';
import { loadOffices } from './offices.js';

// The last search stays in memory only (never in the URL or storage: it may hold a national id).
let last = null; // { by, name, birth_date, national_id, result, error, account }

const denied = (err) => err instanceof ApiError && err.status === 403 && err.code === 'access.denied';

function deniedBox() {
  return h('div', { class: 'notice notice-error', role: 'alert', id: 'refusal' },
    h('p', { class: 'notice-title' }, t('person.denied')),
    h('p', { class: 'notice-hint' }, t('person.denied_hint')));
}

export function search(ctx) {
  if (last && last.account !== session.account?.id) last = null;
  const by = last?.by || 'name';
  const radio = (value, key) => {
    const id = 'by-' + value;
    return h('div', { class: 'choice' },
      h('input', { type: 'radio', name: 'by', id, value, checked: by === value, dataset: { local: '1' } }),
      h('label', { for: id }, t(key)));
  };
  const nameBox = h('div', { class: 'by-name' },
    field({ name: 'name', label: t('search.name'), hint: t('search.name_hint'), required: true, value: last?.name, autocomplete: 'off' }),
    field({ name: 'birth_date', label: t('search.birth_date'), type: 'date', value: last?.birth_date, autocomplete: 'off' }));
  const nidBox = h('div', { class: 'by-nid' },
    field({ name: 'national_id', label: t('field.national_id'), hint: t('search.nid_note'), required: true, inputmode: 'numeric', autocomplete: 'off', maxlength: 14, value: last?.national_id }));
  const form = h('form', { class: 'card form', novalidate: true, role: 'search', 'aria-label': t('search.title') },
    h('fieldset', { class: 'choices inline' }, h('legend', {}, t('search.by')),
      h('div', { class: 'choice-grid' }, radio('name', 'search.by_name'), radio('nid', 'search.by_nid'))),
    nameBox, nidBox,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn' }, t('search.submit'))));
  const results = h('div', { id: 'results', 'aria-live': 'polite' });

  // Only the inputs of the chosen mode are enabled (disabled ones are neither required nor sent).
  const sync = () => {
    const nid = form.querySelector('#by-nid').checked;
    nameBox.hidden = nid; nidBox.hidden = !nid;
    for (const el of nameBox.querySelectorAll('input')) el.disabled = nid;
    for (const el of nidBox.querySelectorAll('input')) el.disabled = !nid;
  };
  form.addEventListener('change', (e) => { if (e.target.name === 'by') sync(); });
  sync();

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!checkRequired(form)) return;
    const nid = form.querySelector('#by-nid').checked;
    const body = nid
      ? { national_id: form.national_id.value.trim() }
      : { name: form.name.value.trim(), ...(form.birth_date.value ? { birth_date: form.birth_date.value } : {}) };
    last = { by: nid ? 'nid' : 'name', name: form.name.value, birth_date: form.birth_date.value,
      national_id: form.national_id.value, account: session.account?.id };
    await submitting(form, async () => {
      results.replaceChildren(loading());
      try {
        last.result = await api('POST', '/persons/search', body);
        // Korean names are usually typed without the space between family and given name
        // ("김민준"); the API matches "family given", so try that split when nothing matched.
        const split = !nid && !last.result?.items?.length ? splitHangulName(body.name) : null;
        if (split) last.result = await api('POST', '/persons/search', { ...body, name: split });
        last.error = null;
      } catch (err) {
        if (err.field) { results.replaceChildren(); return showApiError(form, err); }
        last.result = null;
        last.error = err;
      }
      showResults(results);
      results.querySelector('h2')?.focus();
    });
  });

  page(ctx, t('search.title'), h('p', { class: 'lead' }, t('search.intro')), form, results);
  if (last && (last.result || last.error)) showResults(results);
}

// Two-syllable family names; any other Hangul name starts with a one-syllable family name.
const FAMILY2 = ['남궁', '황보', '제갈', '선우', '독고', '사공', '서문', '동방', '어금', '망절'];
export function splitHangulName(name) {
  const n = (name || '').trim();
  if (!/^[가-힣]{3,6}$/.test(n)) return null;
  const k = FAMILY2.includes(n.slice(0, 2)) && n.length >= 4 ? 2 : 1;
  return `${n.slice(0, k)} ${n.slice(k)}`;
}

function showResults(box) {
  if (last.error) {
    return box.replaceChildren(denied(last.error) ? deniedBox() : errorBox(describeError(last.error)));
  }
  const items = last.result?.items || [];
  box.replaceChildren(
    h('h2', { tabindex: '-1' }, t('search.results', { n: last.result?.count ?? items.length })),
    items.length
      ? h('ul', { class: 'results' }, items.map((p) => h('li', { class: 'card result' },
        h('a', { href: '/persons/' + encodeURIComponent(p.id), class: 'result-name' }, personName(p)),
        dl([
          [t('field.birth_date'), fmtDate(p.birth_date)],
          [t('field.national_id'), p.national_id_masked],
          [t('reg.title'), p.registration ? `${tOr('reg.status.' + p.registration.status, p.registration.status)}${p.registration.office ? ' · ' + officeName(p.registration.office) : ''}` : undefined],
        ], 'facts compact'))))
      : h('p', { class: 'empty' }, t('search.none')));
}

// ---- one person ----------------------------------------------------------------------------

let flash = null;

export async function person(ctx) {
  const id = decodeURIComponent(ctx.params[0]);
  page(ctx, t('person.title'), loading());
  let p;
  try {
    p = await api('GET', '/persons/' + encodeURIComponent(id));
  } catch (err) {
    if (!ctx.current()) return;
    if (denied(err)) return page(ctx, t('person.title'), deniedBox(), backLink());
    if (err instanceof ApiError && err.status === 404) return page(ctx, t('person.title'), errorBox({ message: t('person.not_found') }), backLink());
    throw err;
  }
  let reg = p.registration;
  if (reg === undefined) {
    try { reg = await api('GET', `/persons/${encodeURIComponent(id)}/jobseeker-registration`); } catch { reg = undefined; }
  }
  if (!ctx.current()) return;
  const msg = flash ? successBox(flash) : null;
  flash = null;
  page(ctx, personName(p) || t('person.title'),
    backLink(), msg,
    registrationCard(ctx, p, reg),
    benefitsLink(p),
    personSections(p),
    editCard(ctx, p));
}

// Counsellors and supervisors go on to the person's unemployment benefit (the ei module).
function benefitsLink(p) {
  if (!['counsellor', 'supervisor'].includes(session.account?.role)) return null;
  return h('p', {}, h('a', { class: 'btn btn-secondary', href: '/benefits/' + encodeURIComponent(p.id) }, t('ei.nav.benefits')));
}

function backLink() {
  return h('p', { class: 'back' }, h('a', { href: '/persons' }, '← ', t(last ? 'person.back' : 'search.title')));
}

function registrationCard(ctx, p, reg) {
  const card = h('section', { class: 'card', 'aria-labelledby': 'sec-reg' }, h('h2', { id: 'sec-reg' }, t('section.registration')));
  if (reg && reg.status) { card.append(registrationFacts(reg)); return card; }
  card.append(h('p', {}, t('person.not_registered')));
  // Registering is for counsellors and supervisors (the API refuses welfare officers).
  if (!['counsellor', 'supervisor'].includes(session.account?.role)) return card;
  const form = h('form', { class: 'form inline-form', novalidate: true });
  card.append(form);
  // The staff member's own office is offered first; the API decides what is allowed.
  (async () => {
    const offices = await loadOffices();
    const own = session.account?.office;
    const f = offices
      ? field({ name: 'office', label: t('reg.office'), type: 'select', required: true, placeholder: false,
        options: offices.map((o) => ({ value: o.code, label: officeName(o) })), value: own?.code })
      : field({ name: 'office', label: t('reg.office_code'), hint: t('reg.office_code_hint'), required: true, value: own?.code, spellcheck: 'false' });
    form.replaceChildren(f, h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn' }, t('person.register'))));
  })();
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!checkRequired(form)) return;
    await submitting(form, async () => {
      try {
        await api('POST', `/persons/${encodeURIComponent(p.id)}/jobseeker-registration`, { office: form.office.value.trim() });
        flash = t('person.registered');
        navigate(location.pathname, { replace: true });
      } catch (err) {
        if (denied(err)) { form.replaceChildren(deniedBox()); return; }
        showApiError(form, err);
      }
    });
  });
  return card;
}

// A short edit form: contact details, address, education and skills.
function editCard(ctx, p) {
  const form = h('form', { class: 'form', novalidate: true },
    personFieldsets(p, ['contact', 'address', 'education']),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn' }, t('profile.save'))));
  const details = h('details', { class: 'card edit' }, h('summary', {}, t('person.edit')), form);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const patch = diffForm(form, p);
    if (!Object.keys(patch).length) { details.open = false; return; }
    if (p.version !== undefined) patch.version = p.version;
    await submitting(form, async () => {
      try {
        await api('PATCH', '/persons/' + encodeURIComponent(p.id), patch);
        flash = t('profile.saved');
        navigate(location.pathname, { replace: true });
      } catch (err) {
        if (denied(err)) { form.replaceChildren(deniedBox()); return; }
        showApiError(form, err);
      }
    });
  });
  return details;
}
