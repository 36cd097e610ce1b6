// views/jobs/vetting.js - the counsellors' vetting queue: held vacancies, oldest change first, each
// approved or rejected with a reason code (POST /vacancies/{id}/vetting), and the employer's
// registration verified where that is what held it.
import { h, nextId } from '../../dom.js';
import { t, tOr, fmtDate } from '../../i18n.js';
import { api, describeError } from '../../api.js';
import { field, showApiError, submitting, successBox, errorBox } from '../../forms.js';
import { page, loading } from '../../app.js';
import { REASONS, enc, vacancyFacts, statusBadge, reasonList } from './common.js';

export async function queue(ctx) {
  const title = t('jobs.vet.title');
  page(ctx, title, loading());
  const r = await api('GET', '/vetting/queue?limit=50');
  if (!ctx.current()) return;
  const items = r.items || [];
  const status = h('div', { class: 'jobs-live' });
  const count = h('p', { class: 'lead', id: 'jobs-vet-count' }, t('jobs.vet.count', { n: r.total ?? items.length }));
  const list = h('ol', { class: 'results jobs-list' });
  const empty = () => h('p', { class: 'empty' }, t('jobs.vet.empty'));
  const removed = (li) => {
    li.remove();
    const left = list.children.length;
    count.textContent = t('jobs.vet.count', { n: left });
    if (!left) list.replaceWith(empty());
  };
  list.append(...items.map((v) => queueItem(v, status, removed)));
  page(ctx, title, h('p', {}, t('jobs.vet.lead')), count, status, items.length ? list : empty());
}

function queueItem(v, status, removed) {
  const hid = nextId('vq');
  const li = h('li', { class: 'card jobs-card', 'aria-labelledby': hid, dataset: { vacancy: v.id } });
  const done = (text) => { status.replaceChildren(successBox(text)); removed(li); };

  // Approve, with an optional note.
  const approve = h('form', { class: 'form jobs-decide', novalidate: true },
    field({ name: 'note', label: t('jobs.vet.note'), type: 'textarea', maxlength: 2000 }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn' }, t('jobs.vet.approve'))));
  approve.addEventListener('submit', async (e) => {
    e.preventDefault();
    const note = approve.elements.note.value.trim();
    await submitting(approve, async () => {
      try {
        await api('POST', `/vacancies/${enc(v.id)}/vetting`, { decision: 'approve', ...(note ? { note } : {}) });
        done(t('jobs.vet.approved', { title: v.title }));
      } catch (err) { showApiError(approve, err); }
    });
  });

  // Reject: a reason code is required.
  const reject = h('form', { class: 'form jobs-decide', novalidate: true },
    field({ name: 'reason', label: t('jobs.vet.reason'), type: 'select', required: true,
      options: REASONS.map((c) => ({ value: c, label: tOr('jobs.reason.' + c, c) })) }),
    field({ name: 'note', label: t('jobs.vet.note'), type: 'textarea', maxlength: 2000 }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn jobs-danger' }, t('jobs.vet.reject'))));
  reject.addEventListener('submit', async (e) => {
    e.preventDefault();
    const reason = reject.elements.reason.value;
    const note = reject.elements.note.value.trim();
    await submitting(reject, async () => {
      try {
        await api('POST', `/vacancies/${enc(v.id)}/vetting`, { decision: 'reject', ...(reason ? { reason } : {}), ...(note ? { note } : {}) });
        done(t('jobs.vet.rejected', { title: v.title }));
      } catch (err) { showApiError(reject, err); }
    });
  });

  // The employer's registration, when unverified (often the reason for the hold).
  let verify = null;
  if (v.employer && !v.employer.verified) {
    verify = h('div', { class: 'actions' });
    const b = h('button', { type: 'button', class: 'btn btn-secondary' }, t('jobs.vet.verify'));
    b.addEventListener('click', async () => {
      b.disabled = true;
      try {
        await api('POST', `/employers/${enc(v.employer.id)}/verification`);
        verify.replaceChildren(successBox(t('jobs.vet.verified')));
      } catch (err) {
        b.disabled = false;
        verify.append(errorBox(describeError(err)));
      }
    });
    verify.append(b);
  }

  li.append(
    h('h2', { id: hid, class: 'jobs-card-title' }, h('a', { href: '/jobs/' + v.id }, v.title)),
    h('p', {}, statusBadge(v.status), ' ', h('span', { class: 'muted' }, t('jobs.vet.since', { date: fmtDate(v.updated_at || v.created_at) }))),
    h('h3', {}, t('jobs.vet.why_held')),
    reasonList(v.reasons) || h('p', { class: 'muted' }, t('jobs.vet.no_reason')),
    h('details', { class: 'jobs-more' },
      h('summary', {}, t('jobs.vet.details')),
      vacancyFacts(v),
      h('p', { class: 'jobs-description' }, v.description ?? v.excerpt ?? '')),
    verify,
    h('div', { class: 'jobs-decisions' },
      h('section', { 'aria-label': t('jobs.vet.approve') }, h('h3', {}, t('jobs.vet.approve_title')), approve),
      h('section', { 'aria-label': t('jobs.vet.reject') }, h('h3', {}, t('jobs.vet.reject_title')), reject)));
  return li;
}
