// home.js - staff roles without case screens yet: who you are, and for auditors an audit lookup.
import { h, cell } from '../dom.js';
import { t, tOr, fmtDateTime, officeName } from '../i18n.js';
import { api, describeError } from '../api.js';
import { field, checkRequired, showFieldError, submitting, errorBox } from '../forms.js';
import { page, session, isAuditor } from '../app.js';

export function staffHome(ctx) {
  const a = session.account;
  page(ctx, t('home.title'),
    h('p', { class: 'lead' }, t('home.welcome', { name: a.display_name || a.username })),
    h('section', { class: 'card' }, h('h2', {}, t('home.you')),
      h('dl', { class: 'facts' },
        h('div', {}, h('dt', {}, t('home.role')), h('dd', {}, a.kind === 'staff' ? tOr('role.' + a.role, a.role) : t('role.' + a.kind))),
        a.office ? h('div', {}, h('dt', {}, t('home.office')), h('dd', {}, officeName(a.office))) : null)),
    h('p', {}, t('home.placeholder')),
    isAuditor(a) ? h('p', {}, h('a', { class: 'btn', href: '/audit' }, t('nav.audit'))) : null);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function auditLookup(ctx) {
  const form = h('form', { class: 'card form narrow', novalidate: true },
    field({ name: 'person_id', label: t('audit.person_id'), hint: t('audit.person_id_hint'), required: true, spellcheck: 'false', autocomplete: 'off', value: ctx.query.get('person_id') || '' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn' }, t('audit.submit'))));
  const out = h('div', { 'aria-live': 'polite' });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!checkRequired(form)) return;
    const pid = form.person_id.value.trim();
    if (!UUID.test(pid)) return showFieldError(form, 'person_id', t('audit.bad_id'));
    await submitting(form, async () => {
      try {
        const r = await api('GET', '/audit?person_id=' + encodeURIComponent(pid));
        out.replaceChildren(auditTable(r.items || []));
      } catch (err) {
        out.replaceChildren(errorBox(describeError(err)));
      }
    });
  });
  page(ctx, t('audit.title'), h('p', { class: 'lead' }, t('audit.intro')), form, out);
}

function auditTable(items) {
  if (!items.length) return h('p', { class: 'empty' }, t('audit.empty'));
  const cols = ['audit.seq', 'log.when', 'audit.actor', 'log.action', 'log.purpose', 'audit.outcome'];
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data stack' },
    h('caption', {}, t('audit.count', { n: items.length })),
    h('thead', {}, h('tr', {}, cols.map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', {}, items.map((it) => h('tr', { class: it.outcome === 'deny' ? 'denied' : null },
      cell(t('audit.seq'), String(it.seq)),
      cell(t('log.when'), fmtDateTime(it.ts)),
      cell(t('audit.actor'), [tOr('actor.' + it.actor_type, it.actor_type), it.actor_role ? tOr('role.' + it.actor_role, it.actor_role) : null, it.actor_id].filter(Boolean).join(' · ')),
      cell(t('log.action'), `${tOr('action.' + it.action, it.action)} · ${tOr('resource.' + it.resource_type, it.resource_type)}`),
      cell(t('log.purpose'), tOr('purpose.' + it.purpose, it.purpose)),
      cell(t('audit.outcome'), tOr('outcome.' + it.outcome, it.outcome), it.detail ? h('span', { class: 'basis' }, it.detail) : null))))));
}
