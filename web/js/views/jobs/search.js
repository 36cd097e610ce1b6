// views/jobs/search.js - vacancy search (/jobs), one vacancy (/jobs/<id>) and applying to it.
import { h, nextId } from '../../dom.js';
import { t, fmtDate, fmtNumber } from '../../i18n.js';
import { api, ApiError } from '../../api.js';
import { field, showApiError, showFieldError, submitting, successBox, errorBox } from '../../forms.js';
import { describeError } from '../../api.js';
import { page, loading, navigate, session, isCitizen } from '../../app.js';
import {
  REGIONS, CONTRACTS, VAC_EDUCATION, SIZES, PERIODS, SEARCH_KEYS, opts, enc, regionName, employerName, pay,
  contractName, vacancyFacts, statusBadge, appBadge, sinceDate, occTitle,
} from './common.js';

const PAGE_SIZE = 20;
// The last search (public filters only) for "back to results".
let lastSearch = '';

// ---- /jobs ------------------------------------------------------------------------------------

export async function search(ctx) {
  const q = ctx.query;
  const val = (k) => q.get(k) || '';
  const form = searchForm(val);
  const results = h('section', { id: 'jobs-results', class: 'jobs-results', 'aria-labelledby': 'jobs-count' },
    loading());
  page(ctx, t('jobs.search.title'), h('p', { class: 'lead' }, t('jobs.search.lead')), form, results);
  lastSearch = location.search;

  // The API query: the URL's parameters, "posted within N days" as a date, empty ones left out.
  const params = new URLSearchParams();
  for (const k of SEARCH_KEYS) {
    const v = val(k).trim();
    if (!v || k === 'page' || k === 'posted') continue;
    if (k === 'salary_period' && !val('salary_min')) continue;
    params.set(k, v);
  }
  if (val('posted')) params.set('posted_since', sinceDate(val('posted')));
  const pg = Math.max(1, parseInt(val('page'), 10) || 1);
  params.set('page', String(pg));
  params.set('page_size', String(PAGE_SIZE));
  let r;
  try {
    r = await api('GET', '/vacancies?' + params);
  } catch (err) {
    if (!ctx.current()) return;
    if (err instanceof ApiError && err.status === 400) {
      results.replaceChildren();
      showApiError(form, err);
      return;
    }
    throw err;
  }
  if (!ctx.current()) return;
  results.replaceChildren(...resultList(r, pg));
}

function searchForm(val) {
  const filtersSet = SEARCH_KEYS.some((k) => !['q', 'page', 'sort'].includes(k) && val(k));
  const listId = nextId('jobs-sugg');
  const occListId = nextId('jobs-occ');
  const qField = field({ name: 'q', label: t('jobs.search.q'), hint: t('jobs.search.q_hint'), value: val('q'), maxlength: 100 });
  const qInput = qField.querySelector('input');
  qInput.setAttribute('type', 'search');
  qInput.setAttribute('list', listId);
  qInput.setAttribute('autocomplete', 'off');
  const datalist = h('datalist', { id: listId });
  typeahead(qInput, datalist);

  const occField = field({ name: 'occupation', label: t('jobs.search.occupation'), hint: t('jobs.search.occupation_hint'), value: val('occupation'), maxlength: 60 });
  const occInput = occField.querySelector('input');
  occInput.setAttribute('list', occListId);
  occInput.setAttribute('autocomplete', 'off');
  const occList = h('datalist', { id: occListId });
  occupationPicker(occInput, occList);

  const form = h('form', { class: 'card form jobs-search', role: 'search', 'aria-label': t('jobs.search.title'), novalidate: true },
    qField, datalist,
    h('details', { class: 'jobs-filters', open: filtersSet },
      h('summary', {}, t('jobs.search.filters')),
      h('div', { class: 'row' },
        h('div', {}, occField, occList),
        field({ name: 'region', label: t('jobs.f.region'), type: 'select', placeholder: t('jobs.search.any'), options: REGIONS.map((c) => ({ value: c, label: regionName(c) })), value: val('region') })),
      h('div', { class: 'row' },
        field({ name: 'salary_min', label: t('jobs.search.salary_min'), type: 'number', min: 0, step: 1, inputmode: 'numeric', value: val('salary_min') }),
        field({ name: 'salary_period', label: t('jobs.search.salary_period'), type: 'select', placeholder: false, options: opts(PERIODS, 'salary.'), value: val('salary_period') || 'month' })),
      h('div', { class: 'row' },
        field({ name: 'hours_max', label: t('jobs.search.hours_max'), type: 'number', min: 1, max: 80, step: 1, inputmode: 'numeric', value: val('hours_max') }),
        field({ name: 'contract', label: t('jobs.f.contract'), type: 'select', placeholder: t('jobs.search.any'), options: opts(CONTRACTS, 'jobs.contract.'), value: val('contract') })),
      h('div', { class: 'row' },
        field({ name: 'education', label: t('jobs.search.education'), type: 'select', placeholder: t('jobs.search.any'), options: opts(VAC_EDUCATION, 'jobs.edu.'), value: val('education') }),
        field({ name: 'employer_size', label: t('jobs.search.employer_size'), type: 'select', placeholder: t('jobs.search.any'), options: opts(SIZES, 'jobs.size.'), value: val('employer_size') })),
      h('div', { class: 'row' },
        field({ name: 'posted', label: t('jobs.search.posted'), type: 'select', placeholder: t('jobs.search.any'), options: ['1', '3', '7', '30'].map((d) => ({ value: d, label: t('jobs.search.posted_days', { n: d }) })), value: val('posted') }))),
    field({ name: 'sort', label: t('jobs.search.sort'), type: 'select', placeholder: false, options: opts(['relevance', 'date', 'salary'], 'jobs.sort.'), value: val('sort') || 'relevance' }),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'btn' }, t('jobs.search.submit')),
      h('a', { class: 'btn btn-secondary', href: '/jobs' }, t('jobs.search.clear'))));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    await submitting(form, async () => {
      const p = new URLSearchParams();
      for (const k of SEARCH_KEYS) {
        const el = form.elements[k];
        const v = el ? el.value.trim() : '';
        if (v) p.set(k, v);
      }
      if (!p.get('salary_min')) p.delete('salary_period');
      if (p.get('sort') === 'relevance') p.delete('sort');
      // An occupation typed as words is looked up: the first matching ISCO-08 code is used.
      const occ = p.get('occupation');
      if (occ && !/^\d{1,4}$/.test(occ)) {
        let code = null;
        try {
          const r = await api('GET', `/occupations?scheme=ISCO-08&q=${enc(occ)}&limit=1`);
          code = r.items?.[0]?.code || null;
        } catch { /* shown below */ }
        if (!code) return showFieldError(form, 'occupation', t('jobs.search.occupation_unknown'));
        p.set('occupation', code);
      }
      navigate('/jobs' + (p.toString() ? '?' + p : ''));
    });
  });
  return form;
}

// Titles of published vacancies as the visitor types (GET /vacancies/suggest, 2-50 characters).
function typeahead(input, list) {
  let timer = null, seq = 0;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    const v = input.value.trim();
    if (v.length < 2 || v.length > 50) return;
    timer = setTimeout(async () => {
      const mine = ++seq;
      try {
        const r = await api('GET', '/vacancies/suggest?q=' + enc(v));
        if (mine !== seq) return;
        list.replaceChildren(...(r.titles || []).map((x) => h('option', { value: x.title })));
      } catch { /* typeahead is a convenience only */ }
    }, 250);
  });
}

// ISCO-08 occupations by code or title (GET /occupations).
function occupationPicker(input, list) {
  let timer = null, seq = 0;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    const v = input.value.trim();
    if (v.length < 2) return;
    timer = setTimeout(async () => {
      const mine = ++seq;
      try {
        const r = await api('GET', `/occupations?scheme=ISCO-08&q=${enc(v)}&limit=10`);
        if (mine !== seq) return;
        list.replaceChildren(...(r.items || []).map((o) => h('option', { value: o.code, label: `${o.code} ${occTitle(o)}` }, `${o.code} ${occTitle(o)}`)));
      } catch { /* a convenience only */ }
    }, 250);
  });
}

function resultList(r, pg) {
  const items = r.items || [];
  const n = r.total ?? items.length;
  const count = items.length || pg === 1
    ? t(r.total_exact === false ? 'jobs.search.count_more' : 'jobs.search.count', { n: fmtNumber(n) })
    : t('jobs.search.past_end');
  const out = [h('h2', { id: 'jobs-count', class: 'jobs-count', role: 'status' }, count)];
  if (!items.length) {
    out.push(h('p', { class: 'empty' }, t('jobs.search.none')));
  } else {
    out.push(h('ol', { class: 'results jobs-list' }, items.map(vacancyCard)));
  }
  const more = r.total_exact === false;
  if (pg > 1 || more) out.push(pager(pg, more));
  return out;
}

export function vacancyCard(v) {
  const hid = nextId('vac');
  return h('li', { class: 'card jobs-card', 'aria-labelledby': hid },
    h('h3', { id: hid }, h('a', { href: '/jobs/' + v.id }, v.title)),
    h('p', { class: 'jobs-meta' }, [employerName(v.employer), regionName(v.region)].filter(Boolean).join(' · ')),
    h('p', { class: 'jobs-meta' }, [pay(v), contractName(v.contract), v.hours_per_week ? t('unit.hours_per_week', { n: v.hours_per_week }) : null].filter(Boolean).join(' · ')),
    v.excerpt ? h('p', { class: 'jobs-excerpt' }, v.excerpt) : null,
    v.closing_date ? h('p', { class: 'muted' }, t('jobs.card.closing', { date: fmtDate(v.closing_date) })) : null);
}

function pager(pg, more) {
  const link = (p) => {
    const q = new URLSearchParams(location.search);
    if (p > 1) q.set('page', String(p)); else q.delete('page');
    return '/jobs' + (q.toString() ? '?' + q : '');
  };
  return h('nav', { class: 'jobs-pager', 'aria-label': t('jobs.pager.label') },
    pg > 1 ? h('a', { class: 'btn btn-secondary', href: link(pg - 1), rel: 'prev' }, t('jobs.pager.prev')) : null,
    h('span', { class: 'jobs-page', 'aria-current': 'page' }, t('jobs.pager.page', { n: pg })),
    more ? h('a', { class: 'btn btn-secondary', href: link(pg + 1), rel: 'next' }, t('jobs.pager.next')) : null);
}

// ---- /jobs/<id> ---------------------------------------------------------------------------------

export async function vacancy(ctx) {
  page(ctx, t('jobs.vacancy.title'), loading());
  const id = ctx.params[0];
  let v;
  try {
    v = await api('GET', '/vacancies/' + enc(id));
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) {
      return page(ctx, t('jobs.vacancy.not_found'), h('p', {}, t('jobs.vacancy.not_found_text')),
        h('p', {}, h('a', { href: '/jobs' }, t('jobs.back_to_search'))));
    }
    throw err;
  }
  if (!ctx.current()) return;
  const a = session.account;
  const apply = v.status === 'published' ? await applySection(ctx, v, a) : null;
  if (!ctx.current()) return;
  page(ctx, v.title,
    h('p', { class: 'back' }, h('a', { href: '/jobs' + lastSearch }, t('jobs.back_to_search'))),
    v.status !== 'published' ? h('p', {}, statusBadge(v.status)) : null,
    h('section', { class: 'card', 'aria-labelledby': 'jobs-sec-facts' },
      h('h2', { id: 'jobs-sec-facts' }, t('jobs.vacancy.facts')), vacancyFacts(v)),
    h('section', { class: 'card', 'aria-labelledby': 'jobs-sec-desc' },
      h('h2', { id: 'jobs-sec-desc' }, t('jobs.vacancy.description')),
      h('p', { class: 'jobs-description' }, v.description ?? v.excerpt ?? '')),
    apply);
}

async function applySection(ctx, v, a) {
  const sec = (...c) => h('section', { class: 'card jobs-apply', 'aria-labelledby': 'jobs-sec-apply' },
    h('h2', { id: 'jobs-sec-apply' }, t('jobs.apply.title')), ...c);
  if (!a) {
    const go = h('a', { class: 'btn', href: '/login' }, t('jobs.apply.sign_in'));
    go.addEventListener('click', () => sessionStorage.setItem('openpes.after_login', '/jobs/' + v.id));
    return sec(h('p', {}, t('jobs.apply.sign_in_text')), h('p', {}, go));
  }
  if (!isCitizen(a)) return null;
  // Already applied?  (GET /me/applications; a citizen without a record has none.)
  let mine = null;
  try {
    const r = await api('GET', '/me/applications');
    mine = (r.items || []).find((x) => x.vacancy_id === v.id) || null;
  } catch { /* shown when applying */ }
  if (mine) return sec(alreadyApplied(mine));
  const form = h('form', { class: 'form', novalidate: true },
    field({ name: 'note', label: t('jobs.apply.note'), hint: t('jobs.apply.note_hint'), type: 'textarea', maxlength: 2000 }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn' }, t('jobs.apply.submit'))));
  const box = sec(h('p', {}, t('jobs.apply.text')), form);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const note = form.elements.note.value.trim();
    await submitting(form, async () => {
      try {
        const app = await api('POST', `/vacancies/${enc(v.id)}/applications`, note ? { note } : {});
        form.replaceWith(successBox(t('jobs.apply.done')),
          h('p', {}, h('a', { href: '/jobs/applications' }, t('jobs.apply.see_mine'))));
        box.querySelector('[role=status]')?.setAttribute('data-application', app.id);
      } catch (err) {
        if (err instanceof ApiError && err.status === 409) {
          form.replaceWith(alreadyApplied(null));
        } else if (err instanceof ApiError && err.status === 403) {
          form.querySelector('.form-error')?.remove();
          const eb = errorBox({ message: t('jobs.apply.need_profile'), hint: describeError(err).hint && t('jobs.apply.need_profile_hint') });
          eb.classList.add('form-error');
          eb.append(h('p', {}, h('a', { href: '/me' }, t('jobs.apply.create_profile'))));
          eb.setAttribute('tabindex', '-1');
          form.prepend(eb);
          eb.focus();
        } else {
          showApiError(form, err);
        }
      }
    });
  });
  return box;
}

function alreadyApplied(app) {
  return h('div', { class: 'notice notice-info', role: 'status' },
    h('p', { class: 'notice-title' }, t('jobs.apply.already')),
    app ? h('p', {}, t('jobs.apply.current_status'), ' ', appBadge(app.status)) : null,
    h('p', {}, h('a', { href: '/jobs/applications' }, t('jobs.apply.see_mine'))));
}
