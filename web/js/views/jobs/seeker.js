// views/jobs/seeker.js - a citizen's job-market pages: vacancies recommended for them (with the
// score and the why), their applications (status history, withdraw), and whether employers may
// find them (and which field groups they then see).
import { h, nextId } from '../../dom.js';
import { t } from '../../i18n.js';
import { api, ApiError } from '../../api.js';
import { successBox, errorBox, field, submitting, showApiError } from '../../forms.js';
import { describeError } from '../../api.js';
import { page, loading } from '../../app.js';
import { regionName, occupation, scoreLine, whyList, appBadge, timeline, TERMINAL, enc } from './common.js';

const needProfile = (ctx, title) => page(ctx, title,
  h('p', {}, t('jobs.need_profile')),
  h('p', {}, h('a', { class: 'btn', href: '/me' }, t('jobs.apply.create_profile'))));

// ---- /jobs/recommended ------------------------------------------------------------------------

export async function recommended(ctx) {
  const title = t('jobs.rec.title');
  page(ctx, title, loading());
  let r;
  try {
    r = await api('GET', '/me/recommendations?limit=20');
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return needProfile(ctx, title);
    throw err;
  }
  if (!ctx.current()) return;
  const items = r.items || [];
  page(ctx, title,
    h('p', { class: 'lead' }, t('jobs.rec.lead')),
    items.length
      ? h('ol', { class: 'results jobs-list jobs-recs' }, items.map((it) => {
        const v = it.vacancy || {};
        const hid = nextId('rec');
        return h('li', { class: 'card jobs-card', 'aria-labelledby': hid },
          h('h2', { id: hid, class: 'jobs-card-title' }, h('a', { href: '/jobs/' + v.id }, v.title)),
          h('p', { class: 'jobs-meta' }, occupation(v.occupation), v.region ? ' · ' + regionName(v.region) : ''),
          scoreLine(it.score),
          whyList(it.factors, hid + '-why'));
      }))
      : h('p', { class: 'empty' }, t('jobs.rec.none')),
    h('p', { class: 'aside' }, t('jobs.rec.note')));
}

// ---- /jobs/applications -----------------------------------------------------------------------

export async function applications(ctx) {
  const title = t('jobs.mine.title');
  page(ctx, title, loading());
  let r;
  try {
    r = await api('GET', '/me/applications');
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 403)) return needProfile(ctx, title);
    throw err;
  }
  if (!ctx.current()) return;
  const items = r.items || [];
  const status = h('div', { class: 'jobs-live' });
  page(ctx, title,
    status,
    items.length
      ? h('ol', { class: 'results jobs-list' }, items.map((a) => applicationCard(a, status)))
      : [h('p', { class: 'empty' }, t('jobs.mine.none')), h('p', {}, h('a', { href: '/jobs' }, t('jobs.mine.find')))]);
}

function applicationCard(a, status) {
  const hid = nextId('app');
  const card = h('li', { class: 'card jobs-card', 'aria-labelledby': hid, dataset: { application: a.id } });
  const render = (app) => {
    card.replaceChildren(
      h('h2', { id: hid, class: 'jobs-card-title' }, h('a', { href: '/jobs/' + app.vacancy_id }, app.vacancy?.title || t('jobs.vacancy.title'))),
      h('p', {}, t('jobs.app.status'), ' ', appBadge(app.status)),
      timeline(app),
      app.note ? h('p', { class: 'muted' }, t('jobs.app.your_note'), ' ', app.note) : null,
      TERMINAL.includes(app.status) ? null : withdrawControl(app, render, status));
  };
  render(a);
  return card;
}

// Withdrawing asks once more in place (no pop-up), then moves the application to "withdrawn".
function withdrawControl(app, render, status) {
  const box = h('div', { class: 'actions' });
  const ask = h('button', { type: 'button', class: 'btn-secondary btn' }, t('jobs.mine.withdraw'));
  ask.addEventListener('click', () => {
    const yes = h('button', { type: 'button', class: 'btn jobs-danger' }, t('jobs.mine.withdraw_confirm'));
    const no = h('button', { type: 'button', class: 'btn btn-secondary' }, t('common.cancel'));
    const q = h('p', { class: 'jobs-confirm' }, t('jobs.mine.withdraw_question'));
    no.addEventListener('click', () => { box.replaceChildren(ask); ask.focus(); });
    yes.addEventListener('click', async () => {
      yes.disabled = true;
      try {
        const updated = await api('POST', `/applications/${enc(app.id)}/status`, { status: 'withdrawn' });
        status.replaceChildren(successBox(t('jobs.mine.withdrawn', { title: app.vacancy?.title || '' })));
        render({ ...app, ...updated });
      } catch (err) {
        yes.disabled = false;
        box.querySelector('.notice')?.remove();
        box.append(errorBox(describeError(err)));
      }
    });
    box.replaceChildren(q, yes, no);
    yes.focus();
  });
  box.append(ask);
  return box;
}

// ---- /jobs/visibility: may employers find me, and what may they see ---------------------------

const groupOptions = () => [
  { value: 'identity', label: t('jobs.vis.group.identity') },
  { value: 'contact', label: t('jobs.vis.group.contact') },
  { value: 'address', label: t('jobs.vis.group.address') },
  { value: 'education', label: t('jobs.vis.group.education') },
  { value: 'qualifications', label: t('jobs.vis.group.qualifications') },
  { value: 'work_history', label: t('jobs.vis.group.work_history') },
  { value: 'skills', label: t('jobs.vis.group.skills') },
  { value: 'preferences', label: t('jobs.vis.group.preferences') },
];

export async function visibility(ctx) {
  const title = t('jobs.vis.title');
  page(ctx, title, loading());
  let v;
  try {
    v = await api('GET', '/me/visibility');
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 403)) return needProfile(ctx, title);
    throw err;
  }
  if (!ctx.current()) return;
  const status = h('div', { class: 'jobs-live', role: 'status' });
  const findable = field({ name: 'findable', type: 'checkbox', label: t('jobs.vis.findable'), value: v.findable });
  const groups = field({ name: 'fields', type: 'choices', label: t('jobs.vis.fields'), hint: t('jobs.vis.fields_hint'),
    value: v.findable ? v.fields : ['identity', 'education', 'qualifications', 'work_history', 'skills'],
    options: groupOptions() });
  const form = h('form', { class: 'card form', novalidate: true },
    findable, groups,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn' }, t('jobs.vis.save'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const chosen = [...form.querySelectorAll('input[name=fields]:checked')].map((x) => x.value);
    await submitting(form, async () => {
      try {
        const r = await api('PUT', '/me/visibility', { findable: form.findable.checked, fields: chosen });
        status.replaceChildren(successBox(r.findable ? t('jobs.vis.saved_on') : t('jobs.vis.saved_off')));
      } catch (err) {
        showApiError(form, err);
      }
    });
  });
  page(ctx, title, h('p', { class: 'lead' }, t('jobs.vis.lead')), status, form);
}
