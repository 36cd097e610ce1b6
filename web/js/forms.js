// forms.js - labelled fields, reading forms into API JSON, and showing the API's errors on them.
import { h, nextId, getPath, setPath } from './dom.js';
import { t } from './i18n.js';
import { describeError, ApiError } from './api.js';

// field({name: 'address.postal_code', label, type, value, required, hint, options, kind, ...})
//   type: text | email | tel | date | number | password | select | checkbox | textarea
//   kind: 'list' (comma-separated -> array) | 'number' | 'bool' (checkbox) | undefined (string)
//   type 'choices': a fieldset of checkboxes (options) read as an array of the checked values.
export function field(spec) {
  if (spec.type === 'choices') return choices(spec);
  const id = nextId('f');
  const hintId = spec.hint ? id + '-hint' : null;
  const errId = id + '-err';
  const common = {
    id, name: spec.name, required: spec.required, autocomplete: spec.autocomplete,
    'aria-describedby': [hintId, errId].filter(Boolean).join(' '),
    dataset: { kind: spec.kind || (spec.type === 'checkbox' ? 'bool' : spec.type === 'number' ? 'number' : 'string') },
  };
  let value = spec.value;
  if (Array.isArray(value)) value = value.join(', ');
  let input;
  if (spec.type === 'select') {
    input = h('select', common,
      spec.placeholder !== false ? h('option', { value: '' }, spec.placeholder || t('form.choose')) : null,
      spec.options.map((o) => h('option', { value: o.value, selected: String(o.value) === String(value ?? '') }, o.label)));
  } else if (spec.type === 'checkbox') {
    input = h('input', { ...common, type: 'checkbox', checked: !!value });
    return h('div', { class: 'field field-check' },
      input, h('label', { for: id }, spec.label),
      hintId && h('p', { id: hintId, class: 'hint' }, spec.hint),
      h('p', { id: errId, class: 'field-error', hidden: true }));
  } else if (spec.type === 'textarea') {
    input = h('textarea', { ...common, rows: 3 }, value ?? '');
  } else {
    input = h('input', {
      ...common, type: spec.type || 'text', value: value ?? '', inputmode: spec.inputmode,
      min: spec.min, max: spec.max, step: spec.step, maxlength: spec.maxlength, spellcheck: spec.spellcheck,
      autocapitalize: spec.autocapitalize,
    });
  }
  return h('div', { class: 'field' },
    h('label', { for: id }, spec.label, spec.required ? h('span', { class: 'req' }, ' ', t('form.required')) : null),
    hintId && h('p', { id: hintId, class: 'hint' }, spec.hint),
    h('p', { id: errId, class: 'field-error', hidden: true }),
    input);
}

function choices(spec) {
  const id = nextId('f');
  const chosen = new Set((spec.value || []).map(String));
  return h('fieldset', { class: 'field choices', id },
    h('legend', {}, spec.label),
    spec.hint ? h('p', { class: 'hint' }, spec.hint) : null,
    h('p', { id: id + '-err', class: 'field-error', hidden: true }),
    h('div', { class: 'choice-grid' }, spec.options.map((o) => {
      const cid = nextId('c');
      return h('div', { class: 'choice' },
        h('input', { type: 'checkbox', id: cid, name: spec.name, value: o.value, checked: chosen.has(String(o.value)), dataset: { kind: 'multi' } }),
        h('label', { for: cid }, o.label));
    })));
}

function inputValue(el, form) {
  const kind = el.dataset.kind;
  if (kind === 'multi') {
    return [...form.querySelectorAll('input[data-kind=multi]')].filter((i) => i.name === el.name && i.checked).map((i) => i.value);
  }
  if (kind === 'bool') return el.checked;
  const v = el.value.trim();
  if (v === '') return null;
  if (kind === 'number') return Number(v);
  if (kind === 'list') return v.split(/[,，、\n]/).map((x) => x.trim()).filter(Boolean);
  return v;
}

const namedInputs = (form) => [...form.querySelectorAll('[name]')].filter((el) => !el.disabled);
// One element per name (checkbox groups share a name).
const namedFields = (form) => {
  const seen = new Set();
  return namedInputs(form).filter((el) => (seen.has(el.name) ? false : seen.add(el.name)));
};

// The form as nested JSON; empty fields are left out.
export function readForm(form) {
  const out = {};
  for (const el of namedFields(form)) {
    if (el.dataset.local) continue;
    const v = inputValue(el, form);
    if (v === null || (Array.isArray(v) && !v.length)) continue;
    setPath(out, el.name, v);
  }
  return out;
}

// Only what changed against `original` (cleared fields become null) - for PATCH.
export function diffForm(form, original) {
  const out = {};
  for (const el of namedFields(form)) {
    if (el.dataset.local) continue;
    const now = inputValue(el, form);
    let was = getPath(original, el.name);
    if (el.dataset.kind === 'bool') was = !!was;
    const norm = (v) => (v === undefined || v === null || (Array.isArray(v) && !v.length) ? null : JSON.stringify(v));
    if (norm(now) !== norm(was)) setPath(out, el.name, now);
  }
  return out;
}

// Client-side check of required fields only; everything else is the API's job.
export function checkRequired(form) {
  clearErrors(form);
  const missing = namedInputs(form).filter((el) => el.required && !el.value.trim());
  for (const el of missing) markField(el, t('form.missing'));
  if (missing.length) {
    showFormError(form, { message: t('form.fix_fields'), hint: '' });
    missing[0].focus();
    return false;
  }
  return true;
}

export function clearErrors(form) {
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  for (const el of form.querySelectorAll('.field-error')) { el.hidden = true; el.textContent = ''; }
  form.querySelector(':scope > .form-error')?.remove();
}

function markField(el, text) {
  el.setAttribute('aria-invalid', 'true');
  const group = el.dataset.kind === 'multi' ? el.closest('fieldset') : el;
  const err = document.getElementById(group.id + '-err');
  if (err) { err.textContent = text; err.hidden = false; }
}

// Find the input an API error `field` points at: "address.postal_code", "/address/postal_code",
// "skills[1]" and "preferences.regions.0" all work; the longest matching name wins.
function inputFor(form, field) {
  const path = field.replace(/^\$?\.?\/?/, '').replace(/\[(\d+)\]/g, '.$1').replace(/\//g, '.');
  const parts = path.split('.');
  for (let n = parts.length; n > 0; n--) {
    const name = parts.slice(0, n).join('.');
    const el = namedInputs(form).find((i) => i.name === name);
    if (el) return el;
  }
  return null;
}

// A box at the top of the form: role=alert so screen readers announce it.
function showFormError(form, { message, hint }) {
  form.querySelector(':scope > .form-error')?.remove();
  const box = errorBox({ message, hint });
  box.classList.add('form-error');
  form.prepend(box);
  return box;
}

export function errorBox({ message, hint, detail }) {
  return h('div', { class: 'notice notice-error', role: 'alert' },
    h('p', { class: 'notice-title' }, message),
    detail ? h('p', {}, detail) : null,
    hint ? h('p', { class: 'notice-hint' }, hint) : null);
}

export function successBox(text) {
  return h('div', { class: 'notice notice-ok', role: 'status' }, h('p', {}, text));
}

// Show an API error on a form: the field it names gets the detail, the top box the message + hint.
export function showApiError(form, err) {
  clearErrors(form);
  const d = describeError(err);
  const el = err instanceof ApiError && err.field ? inputFor(form, err.field) : null;
  if (el) {
    markField(el, d.detail || d.message);
    showFormError(form, { message: t('form.fix_fields'), hint: d.hint });
    el.focus();
  } else {
    const box = showFormError(form, { ...d, detail: err instanceof ApiError && err.field ? d.detail : '' });
    box.setAttribute('tabindex', '-1');
    box.focus();
  }
}

// A check done in the browser (e.g. the two passwords differ).
export function showFieldError(form, name, text) {
  clearErrors(form);
  const el = namedInputs(form).find((i) => i.name === name);
  if (el) { markField(el, text); el.focus(); }
  showFormError(form, { message: t('form.fix_fields'), hint: '' });
}

// Submit helper: disables the button while the request runs.
export async function submitting(form, fn) {
  const btn = form.querySelector('button[type=submit]');
  if (btn) { btn.disabled = true; btn.setAttribute('aria-busy', 'true'); }
  try { return await fn(); } finally { if (btn) { btn.disabled = false; btn.removeAttribute('aria-busy'); } }
}
