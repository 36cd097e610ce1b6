// views/jobs/employer.js - employer accounts: registering their business, their vacancies with the
// vetting status and reasons, posting a vacancy, and one vacancy with its applicants and
// recommended candidates.
import { h, dl, nextId } from '../../dom.js';
import { t, tOr, fmtDate } from '../../i18n.js';
import { api, describeError } from '../../api.js';
import { field, readForm, checkRequired, showApiError, submitting, successBox, errorBox } from '../../forms.js';
import { page, loading, navigate, session } from '../../app.js';
import {
  REGIONS, CONTRACTS, VAC_EDUCATION, SIZES, PERIODS, CONTACT_METHODS, EMPLOYER_MOVES, opts, enc, regionName, personName,
  employerName, sizeName, vacancyFacts, statusBadge, appBadge, reasonList, timeline, scoreLine, whyList, setFlash, takeFlash,
  occTitle,
} from './common.js';

const employerId = () => session.account?.employer_id || null;

// ---- /employer ----------------------------------------------------------------------------------

export async function home(ctx) {
  if (!employerId()) return register(ctx);
  page(ctx, t('jobs.emp.title'), loading());
  const id = employerId();
  const [emp, vacs] = await Promise.all([
    api('GET', '/employers/' + enc(id)),
    api('GET', `/employers/${enc(id)}/vacancies?limit=200`),
  ]);
  if (!ctx.current()) return;
  const items = vacs.items || [];
  page(ctx, t('jobs.emp.title'),
    takeFlash(),
    h('div', { class: 'actions top' }, h('a', { class: 'btn', href: '/employer/vacancies/new' }, t('jobs.emp.post'))),
    h('section', { class: 'card', 'aria-labelledby': 'jobs-sec-emp' },
      h('h2', { id: 'jobs-sec-emp' }, employerName(emp)),
      dl([
        [t('jobs.emp.name'), emp.name], [t('jobs.emp.name_ko'), emp.name_ko], [t('jobs.emp.brn'), emp.brn],
        [t('jobs.emp.size'), sizeName(emp.size_class)], [t('jobs.f.region'), regionName(emp.region)],
        [t('jobs.f.address'), emp.address], [t('jobs.emp.phone'), emp.phone], [t('jobs.emp.email'), emp.email],
        [t('jobs.emp.website'), emp.website],
        [t('jobs.emp.verification'), h('span', { class: 'badge ' + (emp.verified ? 'jobs-verified' : 'jobs-unverified') }, t(emp.verified ? 'jobs.employer.verified' : 'jobs.employer.unverified'))],
      ]),
      emp.verified ? null : h('p', { class: 'aside' }, t('jobs.emp.unverified_note'))),
    h('section', { 'aria-labelledby': 'jobs-sec-vacs' },
      h('h2', { id: 'jobs-sec-vacs' }, t('jobs.emp.vacancies', { n: items.length })),
      items.length
        ? h('ol', { class: 'results jobs-list' }, items.map(ownVacancyCard))
        : h('p', { class: 'empty' }, t('jobs.emp.no_vacancies'))));
}

function ownVacancyCard(v) {
  const hid = nextId('ov');
  return h('li', { class: 'card jobs-card', 'aria-labelledby': hid, dataset: { vacancy: v.id, status: v.status } },
    h('h3', { id: hid }, h('a', { href: '/employer/vacancies/' + v.id }, v.title)),
    h('p', {}, statusBadge(v.status), ' ', h('span', { class: 'muted' }, tOr('jobs.status_note.' + v.status))),
    reasonList(v.reasons),
    h('p', { class: 'muted' }, [
      v.closing_date ? t('jobs.card.closing', { date: fmtDate(v.closing_date) }) : null,
      v.created_at ? t('jobs.card.created', { date: fmtDate(v.created_at) }) : null,
    ].filter(Boolean).join(' · ')));
}

// The employer registration (an employer account without an employer record).
function register(ctx) {
  const form = h('form', { class: 'form', novalidate: true },
    h('fieldset', { class: 'group' }, h('legend', {}, t('jobs.reg.business')),
      field({ name: 'name', label: t('jobs.emp.name'), required: true, autocomplete: 'organization', maxlength: 200 }),
      field({ name: 'name_ko', label: t('jobs.emp.name_ko'), maxlength: 200 }),
      field({ name: 'brn', label: t('jobs.emp.brn'), hint: t('jobs.reg.brn_hint'), required: true, inputmode: 'numeric', maxlength: 12, autocomplete: 'off' }),
      field({ name: 'size_class', label: t('jobs.emp.size'), type: 'select', required: true, options: opts(SIZES, 'jobs.size.') }),
      field({ name: 'region', label: t('jobs.f.region'), type: 'select', options: REGIONS.map((c) => ({ value: c, label: regionName(c) })) }),
      field({ name: 'address', label: t('jobs.f.address'), autocomplete: 'street-address' })),
    h('fieldset', { class: 'group' }, h('legend', {}, t('jobs.reg.contact')),
      field({ name: 'phone', label: t('jobs.emp.phone'), type: 'tel', autocomplete: 'tel' }),
      field({ name: 'email', label: t('jobs.emp.email'), type: 'email', autocomplete: 'email', spellcheck: 'false' }),
      field({ name: 'website', label: t('jobs.emp.website'), type: 'url', spellcheck: 'false' })),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn' }, t('jobs.reg.submit'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!checkRequired(form)) return;
    await submitting(form, async () => {
      try {
        const emp = await api('POST', '/employers', readForm(form));
        session.account.employer_id = emp.id;
        setFlash(t(emp.verified ? 'jobs.reg.done' : 'jobs.reg.done_unverified'));
        navigate('/employer', { replace: true });
      } catch (err) { showApiError(form, err); }
    });
  });
  page(ctx, t('jobs.reg.title'), h('p', { class: 'lead' }, t('jobs.reg.lead')), form);
}

// ---- /employer/vacancies/new ------------------------------------------------------------------------

export function postVacancy(ctx) {
  if (!employerId()) return navigate('/employer', { replace: true });
  const closing = new Date(Date.now() + 30 * 86400e3).toISOString().slice(0, 10);
  const occListId = nextId('jobs-occ');
  const occField = field({ name: 'occupation', label: t('jobs.f.occupation'), hint: t('jobs.post.occupation_hint'), required: true, inputmode: 'numeric', maxlength: 4, autocomplete: 'off' });
  const occInput = occField.querySelector('input');
  occInput.setAttribute('list', occListId);
  const occList = h('datalist', { id: occListId });
  const occName = h('p', { class: 'hint jobs-occ-name', 'aria-live': 'polite' });
  occField.append(occName);
  let timer = null;
  occInput.addEventListener('input', () => {
    clearTimeout(timer);
    const v = occInput.value.trim();
    occName.textContent = '';
    if (v.length < 2) return;
    timer = setTimeout(async () => {
      try {
        const r = await api('GET', `/occupations?scheme=ISCO-08&level=4&q=${enc(v)}&limit=10`);
        occList.replaceChildren(...(r.items || []).map((o) => h('option', { value: o.code }, `${o.code} ${occTitle(o)}`)));
        const exact = (r.items || []).find((o) => o.code === occInput.value.trim());
        occName.textContent = exact ? occTitle(exact) : '';
      } catch { /* a convenience only */ }
    }, 250);
  });
  const form = h('form', { class: 'form', novalidate: true },
    h('fieldset', { class: 'group' }, h('legend', {}, t('jobs.post.what')),
      field({ name: 'title', label: t('jobs.post.title_field'), required: true, maxlength: 200 }),
      field({ name: 'description', label: t('jobs.post.description'), hint: t('jobs.post.description_hint'), type: 'textarea', required: true }),
      occField, occList,
      field({ name: 'skills', label: t('jobs.f.skills'), hint: t('form.list_hint'), kind: 'list' }),
      field({ name: 'languages', label: t('jobs.f.languages'), hint: t('form.list_hint'), kind: 'list' }),
      h('div', { class: 'row' },
        field({ name: 'education', label: t('jobs.f.education'), type: 'select', options: opts(VAC_EDUCATION, 'jobs.edu.') }),
        field({ name: 'experience_years', label: t('jobs.post.experience'), type: 'number', min: 0, max: 50, step: 1, inputmode: 'numeric' }))),
    h('fieldset', { class: 'group' }, h('legend', {}, t('jobs.post.where')),
      field({ name: 'region', label: t('jobs.f.region'), type: 'select', required: true, options: REGIONS.map((c) => ({ value: c, label: regionName(c) })) }),
      field({ name: 'address', label: t('jobs.f.address') })),
    h('fieldset', { class: 'group' }, h('legend', {}, t('jobs.post.terms')),
      h('div', { class: 'row' },
        field({ name: 'salary_min', label: t('jobs.post.salary_min'), type: 'number', min: 0, step: 1, inputmode: 'numeric', required: true }),
        field({ name: 'salary_max', label: t('jobs.post.salary_max'), type: 'number', min: 0, step: 1, inputmode: 'numeric' })),
      h('div', { class: 'row' },
        field({ name: 'salary_period', label: t('jobs.post.salary_period'), type: 'select', required: true, options: opts(PERIODS, 'salary.'), value: 'month' }),
        field({ name: 'contract', label: t('jobs.f.contract'), type: 'select', required: true, options: opts(CONTRACTS, 'jobs.contract.') })),
      h('div', { class: 'row' },
        field({ name: 'hours_per_week', label: t('jobs.post.hours'), type: 'number', min: 1, max: 80, step: 1, inputmode: 'numeric', required: true }),
        field({ name: 'days_per_week', label: t('jobs.post.days'), type: 'number', min: 1, max: 7, step: 1, inputmode: 'numeric' })),
      h('div', { class: 'row' },
        field({ name: 'openings', label: t('jobs.f.openings'), type: 'number', min: 1, step: 1, inputmode: 'numeric', value: 1 }),
        field({ name: 'closing_date', label: t('jobs.f.closing'), type: 'date', required: true, value: closing }))),
    h('fieldset', { class: 'group' }, h('legend', {}, t('jobs.post.how')),
      h('p', { class: 'hint' }, t('jobs.post.contact_note')),
      h('div', { class: 'row' },
        field({ name: 'contact.method', label: t('jobs.post.contact_method'), type: 'select', required: true, options: opts(CONTACT_METHODS, 'jobs.contact.') }),
        field({ name: 'contact.value', label: t('jobs.post.contact_value'), hint: t('jobs.post.contact_value_hint') }))),
    h('p', { class: 'aside' }, t('jobs.post.vetting_note')),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'btn' }, t('jobs.post.submit')),
      h('a', { class: 'btn btn-secondary', href: '/employer' }, t('common.cancel'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!checkRequired(form)) return;
    await submitting(form, async () => {
      try {
        const v = await api('POST', '/vacancies', readForm(form));
        setFlash(tOr('jobs.post.done.' + v.status));
        navigate('/employer/vacancies/' + v.id);
      } catch (err) { showApiError(form, err); }
    });
  });
  page(ctx, t('jobs.post.title'), h('p', { class: 'lead' }, t('jobs.post.lead')), form);
}

// ---- /employer/vacancies/<id> -----------------------------------------------------------------------

export async function ownVacancy(ctx) {
  page(ctx, t('jobs.vacancy.title'), loading());
  const id = ctx.params[0];
  const v = await api('GET', '/vacancies/' + enc(id));
  if (!ctx.current()) return;
  const applicants = h('section', { class: 'jobs-applicants', 'aria-labelledby': 'jobs-sec-apps' },
    h('h2', { id: 'jobs-sec-apps' }, t('jobs.emp.applicants')));
  const candidates = h('section', { class: 'jobs-candidates', 'aria-labelledby': 'jobs-sec-cands' },
    h('h2', { id: 'jobs-sec-cands' }, t('jobs.emp.candidates')));
  const busy = loading(); // one indicator for both lists
  const closeBox = h('div', { class: 'actions top' });
  if (['published', 'held', 'submitted'].includes(v.status)) closeBox.append(closeButton(v, ctx));
  page(ctx, v.title,
    h('p', { class: 'back' }, h('a', { href: '/employer' }, t('jobs.emp.back'))),
    takeFlash(),
    h('section', { class: 'card', 'aria-labelledby': 'jobs-sec-vet' },
      h('h2', { id: 'jobs-sec-vet' }, t('jobs.emp.vetting')),
      h('p', {}, statusBadge(v.status), ' ', h('span', { class: 'muted' }, tOr('jobs.status_note.' + v.status))),
      reasonList(v.reasons),
      v.closed_reason ? h('p', { class: 'muted' }, t('jobs.emp.closed_reason'), ' ', tOr('jobs.closed.' + v.closed_reason, v.closed_reason)) : null),
    closeBox,
    h('section', { class: 'card', 'aria-labelledby': 'jobs-sec-facts' },
      h('h2', { id: 'jobs-sec-facts' }, t('jobs.vacancy.facts')), vacancyFacts(v)),
    h('section', { class: 'card', 'aria-labelledby': 'jobs-sec-desc' },
      h('h2', { id: 'jobs-sec-desc' }, t('jobs.vacancy.description')),
      h('p', { class: 'jobs-description' }, v.description ?? v.excerpt ?? '')),
    busy, applicants, candidates);
  await Promise.all([loadApplicants(ctx, v, applicants), loadCandidates(ctx, v, candidates)]);
  busy.remove();
}

function closeButton(v, ctx) {
  const b = h('button', { type: 'button', class: 'btn btn-secondary' }, t('jobs.emp.close'));
  b.addEventListener('click', () => {
    const yes = h('button', { type: 'button', class: 'btn jobs-danger' }, t('jobs.emp.close_confirm'));
    const no = h('button', { type: 'button', class: 'btn btn-secondary' }, t('common.cancel'));
    const box = b.parentElement;
    no.addEventListener('click', () => { box.replaceChildren(b); b.focus(); });
    yes.addEventListener('click', async () => {
      yes.disabled = true;
      try {
        await api('POST', `/vacancies/${enc(v.id)}/close`);
        setFlash(t('jobs.emp.closed'));
        navigate('/employer/vacancies/' + v.id, { replace: true });
      } catch (err) {
        yes.disabled = false;
        box.append(errorBox(describeError(err)));
      }
    });
    box.replaceChildren(h('p', { class: 'jobs-confirm' }, t('jobs.emp.close_question')), yes, no);
    yes.focus();
  });
  return b;
}

async function loadApplicants(ctx, v, sec) {
  const head = sec.firstChild;
  let r;
  try {
    r = await api('GET', `/vacancies/${enc(v.id)}/applications?limit=200`);
  } catch (err) {
    if (ctx.current()) sec.replaceChildren(head, errorBox(describeError(err)));
    return;
  }
  if (!ctx.current()) return;
  const items = r.items || [];
  const status = h('div', { class: 'jobs-live' });
  head.textContent = t('jobs.emp.applicants_n', { n: items.length });
  sec.replaceChildren(head, status, items.length
    ? h('ol', { class: 'results jobs-list' }, items.map((a) => applicantCard(a, status)))
    : h('p', { class: 'empty' }, t('jobs.emp.no_applicants')));
}

function personFacts(p) {
  const e = p.education || {}, c = p.contact || {};
  return dl([
    [t('jobs.cand.education'), e.level ? tOr('edu.' + e.level, e.level) : undefined],
    [t('jobs.cand.major'), e.major],
    [t('jobs.f.skills'), (p.skills || []).join(', ')],
    [t('jobs.cand.qualifications'), (p.qualifications || []).map((q) => (typeof q === 'string' ? q : q.name || q.title || q.code)).join(', ')],
    [t('jobs.cand.work'), (p.work_history || []).map((w) => [w.title, w.employer].filter(Boolean).join(' · ')).filter(Boolean).join('; ')],
    [t('jobs.emp.email'), c.email],
    [t('jobs.emp.phone'), c.phone],
  ], 'facts compact');
}

function applicantCard(a, status) {
  const hid = nextId('ap');
  const card = h('li', { class: 'card jobs-card', 'aria-labelledby': hid, dataset: { application: a.id } });
  const render = (app) => {
    const moves = EMPLOYER_MOVES[app.status] || [];
    const actions = h('div', { class: 'actions jobs-moves', role: 'group', 'aria-label': t('jobs.emp.move_label') },
      moves.map((to) => {
        const b = h('button', { type: 'button', class: to === 'rejected' ? 'btn btn-secondary' : 'btn', dataset: { to } }, tOr('jobs.move.' + to));
        b.addEventListener('click', async () => {
          for (const x of actions.querySelectorAll('button')) x.disabled = true;
          try {
            const updated = await api('POST', `/applications/${enc(app.id)}/status`, { status: to });
            const next = { ...app, ...updated, applicant: app.applicant };
            render(next);
            status.replaceChildren(successBox(t('jobs.emp.moved', { name: personName(app.applicant) || '', status: tOr('jobs.app.status.' + to, to) })));
            card.querySelector('h3')?.focus();
          } catch (err) {
            for (const x of actions.querySelectorAll('button')) x.disabled = false;
            actions.querySelector('.notice')?.remove();
            actions.append(errorBox(describeError(err)));
          }
        });
        return b;
      }));
    card.replaceChildren(
      h('h3', { id: hid, tabindex: '-1' }, personName(app.applicant) || t('jobs.emp.applicant')),
      h('p', {}, t('jobs.app.status'), ' ', appBadge(app.status)),
      app.applicant ? personFacts(app.applicant) : null,
      app.note ? h('p', { class: 'jobs-note' }, h('strong', {}, t('jobs.emp.note')), ' ', app.note) : null,
      timeline(app),
      moves.length ? actions : null);
  };
  render(a);
  return card;
}

async function loadCandidates(ctx, v, sec) {
  const head = sec.firstChild;
  let r;
  try {
    r = await api('GET', `/vacancies/${enc(v.id)}/candidates?limit=10`);
  } catch (err) {
    if (ctx.current()) sec.replaceChildren(head, errorBox(describeError(err)));
    return;
  }
  if (!ctx.current()) return;
  const items = r.items || [];
  sec.replaceChildren(head,
    h('p', { class: 'aside' }, t('jobs.emp.candidates_note')),
    items.length
      ? h('ol', { class: 'results jobs-list' }, items.map((c) => {
        const hid = nextId('cand');
        return h('li', { class: 'card jobs-card', 'aria-labelledby': hid },
          h('h3', { id: hid }, personName(c.person) || t('jobs.emp.candidate')),
          scoreLine(c.score),
          c.person ? personFacts(c.person) : null,
          whyList(c.factors, hid + '-why'));
      }))
      : h('p', { class: 'empty' }, t('jobs.emp.no_candidates')));
}
