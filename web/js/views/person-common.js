// person-common.js - the person profile as facts and as form fields, shared by the citizen's
// own pages and the counsellor's person view.  Render only what the JSON holds: fields the
// viewer may not see are absent (data minimisation).
import { h, dl } from '../dom.js';
import { t, tOr, fmtDate, fmtNumber, officeName, getLang } from '../i18n.js';
import { field } from '../forms.js';
import { api } from '../api.js';

// ISO 3166-2:KR first-level regions.
export const REGIONS = ['KR-11', 'KR-26', 'KR-27', 'KR-28', 'KR-29', 'KR-30', 'KR-31', 'KR-50', 'KR-41',
  'KR-42', 'KR-43', 'KR-44', 'KR-45', 'KR-46', 'KR-47', 'KR-48', 'KR-49'];
export const SEXES = ['female', 'male', 'other', 'unknown'];
export const EDUCATION = ['none', 'primary', 'lower_secondary', 'upper_secondary', 'post_secondary',
  'short_tertiary', 'bachelor', 'master', 'doctorate'];
export const SALARY_PERIODS = ['hour', 'month', 'year'];

const opts = (codes, prefix) => codes.map((c) => ({ value: c, label: t(prefix + c) }));
export const regionName = (c) => (c ? tOr('region.' + c, c) : '');

// "김민준" for Korean names (family name first, no space); "Maria Santos" otherwise.
export function personName(p) {
  if (!p) return '';
  const g = p.given_name || '', f = p.family_name || '';
  if (/[\u3131-\uD79D]/.test(f + g)) return f + g;
  return [g, f].filter(Boolean).join(' ');
}

// "GB" -> "United Kingdom" / "영국", from the browser's own locale data.
export function countryName(code) {
  try { return new Intl.DisplayNames([getLang()], { type: 'region' }).of(code) || code; } catch { return code; }
}

// An ISCO-08 code with its title from the public occupation list (GET /occupations), filled in
// when the answer arrives; the code alone until then or if the lookup fails.
const occupations = new Map();
function occupationTitle(code) {
  if (!occupations.has(code)) {
    occupations.set(code, api('GET', `/occupations?scheme=ISCO-08&q=${encodeURIComponent(code)}&limit=10`)
      .then((r) => (r.items || []).find((o) => o.code === code) || null).catch(() => null));
  }
  return occupations.get(code);
}
function occupation(code) {
  const el = h('span', { class: 'occ' }, code);
  occupationTitle(code).then((o) => {
    const title = o && ((getLang() === 'ko' && o.title_ko) || o.title_en || o.title_ko);
    if (title) el.textContent = `${title} (${code})`;
  });
  return el;
}
const occupationList = (codes) => (Array.isArray(codes) && codes.length
  ? codes.map((c, i) => [i ? ', ' : '', occupation(c)]).flat() : undefined);

const yesNo = (b) => (b === undefined ? undefined : t(b ? 'common.yes' : 'common.no'));

function listText(v) {
  if (!Array.isArray(v) || !v.length) return undefined;
  return v.map((x) => (typeof x === 'string' ? x : x.name || x.title || x.code || JSON.stringify(x))).join(', ');
}

function section(titleKey, body) {
  if (!body) return null;
  return h('section', { class: 'card', 'aria-labelledby': 'sec-' + titleKey.replace(/\W/g, '-') },
    h('h2', { id: 'sec-' + titleKey.replace(/\W/g, '-') }, t(titleKey)), body);
}

export function registrationFacts(r) {
  if (!r) return null;
  return dl([
    [t('reg.status'), h('span', { class: 'badge badge-' + r.status }, tOr('reg.status.' + r.status, r.status))],
    [t('reg.office'), r.office ? officeName(r.office) : undefined],
    [t('reg.registered_on'), fmtDate(r.registered_on)],
    [t('reg.due_date'), r.due_date ? fmtDate(r.due_date) : t('reg.no_due')],
    [t('reg.counsellor'), 'counsellor_id' in r ? t(r.counsellor_id ? 'reg.counsellor_yes' : 'reg.counsellor_no') : undefined],
    [t('reg.status_reason'), r.status_reason],
  ]);
}

// The whole profile as read-only sections.
export function personSections(p) {
  const c = p.contact || {}, a = p.address || {}, e = p.education || {}, pr = p.preferences || {};
  const salary = pr.salary_min !== undefined && pr.salary_min !== null
    ? t(SALARY_PERIODS.includes(pr.salary_period) ? 'salary_fmt.' + pr.salary_period : 'salary_fmt.none', { amount: fmtNumber(pr.salary_min) })
    : undefined;
  const work = Array.isArray(p.work_history) && p.work_history.length
    ? h('ul', { class: 'plain' }, p.work_history.map((w) => h('li', {},
      h('strong', {}, [w.title, w.employer].filter(Boolean).join(' · ')),
      w.occupation ? [' ', h('span', { class: 'muted' }, '— ', occupation(w.occupation))] : null,
      w.start_date ? h('span', { class: 'muted' }, ' ', fmtDate(w.start_date), ' – ', w.end_date ? fmtDate(w.end_date) : t('person.present')) : null)))
    : null;
  return [
    section('section.identity', dl([
      [t('field.family_name'), p.family_name], [t('field.given_name'), p.given_name],
      [t('field.birth_date'), fmtDate(p.birth_date)],
      [t('field.sex'), p.sex ? tOr('sex.' + p.sex, p.sex) : undefined],
      [t('field.national_id'), p.national_id_masked],
      [t('field.nationality'), p.nationality ? countryName(p.nationality) : undefined],
      [t('field.disability'), yesNo(p.disability)],
    ])),
    section('section.contact', dl([
      [t('field.email'), c.email], [t('field.phone'), c.phone],
      [t('field.address_line'), a.line], [t('field.postal_code'), a.postal_code], [t('field.region'), regionName(a.region_code)],
    ])),
    section('section.education', dl([
      [t('field.education_level'), e.level ? tOr('edu.' + e.level, e.level) : undefined],
      [t('field.major'), e.major],
      [t('field.skills'), listText(p.skills)],
      [t('field.qualifications'), listText(p.qualifications)],
    ])),
    section('section.work_history', work),
    section('section.preferences', dl([
      [t('field.occupations'), occupationList(pr.occupations)],
      [t('field.pref_regions'), Array.isArray(pr.regions) && pr.regions.length ? pr.regions.map(regionName).join(', ') : undefined],
      [t('field.salary_min'), salary],
      [t('field.hours_max'), pr.hours_per_week_max !== undefined && pr.hours_per_week_max !== null ? t('unit.hours_per_week', { n: pr.hours_per_week_max }) : undefined],
    ])),
  ].filter(Boolean);
}

// Form fieldsets.  parts: any of identity, contact, address, education, preferences, other.
export function personFieldsets(p = {}, parts) {
  const c = p.contact || {}, a = p.address || {}, e = p.education || {}, pr = p.preferences || {};
  const fs = (key, ...fields) => h('fieldset', { class: 'group' }, h('legend', {}, t(key)), ...fields);
  const all = {
    identity: () => fs('section.identity',
      h('div', { class: 'row' },
        field({ name: 'family_name', label: t('field.family_name'), required: true, autocomplete: 'family-name', value: p.family_name }),
        field({ name: 'given_name', label: t('field.given_name'), required: true, autocomplete: 'given-name', value: p.given_name })),
      h('div', { class: 'row' },
        field({ name: 'birth_date', label: t('field.birth_date'), type: 'date', required: true, autocomplete: 'bday', value: p.birth_date }),
        field({ name: 'sex', label: t('field.sex'), type: 'select', options: opts(SEXES, 'sex.'), value: p.sex })),
      field({ name: 'national_id', label: t('field.national_id'), hint: t('field.national_id_hint'), required: true, inputmode: 'numeric', autocomplete: 'off', maxlength: 14 })),
    contact: () => fs('section.contact',
      field({ name: 'contact.email', label: t('field.email'), type: 'email', autocomplete: 'email', value: c.email, spellcheck: 'false' }),
      field({ name: 'contact.phone', label: t('field.phone'), type: 'tel', autocomplete: 'tel', value: c.phone, hint: t('field.phone_hint') })),
    address: () => fs('section.address',
      field({ name: 'address.line', label: t('field.address_line'), autocomplete: 'street-address', value: a.line }),
      h('div', { class: 'row' },
        field({ name: 'address.postal_code', label: t('field.postal_code'), inputmode: 'numeric', autocomplete: 'postal-code', maxlength: 5, value: a.postal_code }),
        field({ name: 'address.region_code', label: t('field.region'), type: 'select', options: REGIONS.map((r) => ({ value: r, label: regionName(r) })), value: a.region_code }))),
    education: () => fs('section.education',
      field({ name: 'education.level', label: t('field.education_level'), type: 'select', options: opts(EDUCATION, 'edu.'), value: e.level }),
      field({ name: 'education.major', label: t('field.major'), value: e.major }),
      field({ name: 'skills', label: t('field.skills'), hint: t('form.list_hint'), kind: 'list', value: p.skills })),
    preferences: () => fs('section.preferences',
      field({ name: 'preferences.occupations', label: t('field.occupations'), hint: t('field.occupations_hint'), kind: 'list', value: pr.occupations }),
      field({ name: 'preferences.regions', label: t('field.pref_regions'), type: 'choices', options: REGIONS.map((r) => ({ value: r, label: regionName(r) })), value: pr.regions }),
      h('div', { class: 'row' },
        field({ name: 'preferences.salary_min', label: t('field.salary_min'), type: 'number', min: 0, step: 1, inputmode: 'numeric', value: pr.salary_min }),
        field({ name: 'preferences.salary_period', label: t('field.salary_period'), type: 'select', options: opts(SALARY_PERIODS, 'salary.'), value: pr.salary_period })),
      field({ name: 'preferences.hours_per_week_max', label: t('field.hours_max'), type: 'number', min: 1, max: 80, step: 1, inputmode: 'numeric', value: pr.hours_per_week_max })),
    other: () => fs('section.other',
      field({ name: 'disability', label: t('field.disability_check'), hint: t('field.disability_hint'), type: 'checkbox', value: p.disability })),
  };
  return parts.map((k) => all[k]());
}
