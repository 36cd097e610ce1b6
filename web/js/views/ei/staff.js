// views/ei/staff.js - counsellors and supervisors: look a person up by id (/benefits), the
// person's claims and insured employment with filing a claim (/benefits/<person id>), and one
// claim with rounds (evaluate, override), diary, payments and sanctions, and - at the top when
// they wait for a counsellor - the duplicate-benefit finding with its review and an unconfirmed
// payout account with its confirmation (/benefits/<person id>/claims/<claim id>).
import { h } from '../../dom.js';
import { t, fmtDate } from '../../i18n.js';
import { api, ApiError } from '../../api.js';
import { field, checkRequired, showFieldError, submitting } from '../../forms.js';
import { page, loading, navigate, session } from '../../app.js';
import { personName } from '../person-common.js';
import {
  UUID, claimCard, claimFacts, claimTitle, decisionFacts, roundsTable, diarySection, paymentsSection, sanctionsSection,
  employmentSection, claimForm, loadClaim, reemploymentCard, bankSection, dupSection, partOrError, setFlash, takeFlash, errorNotice, formError, today,
} from './common.js';

const personPath = (pid) => '/benefits/' + encodeURIComponent(pid);
const role = () => session.account?.role;

// The office's work lists: rounds due for evaluation, sanctions waiting for a decision.
async function workLists(ctx) {
  const [rounds, sanctions] = await Promise.all([
    api('GET', '/ei/queue/rounds?limit=50').catch(() => null),
    api('GET', '/ei/queue/sanctions?limit=50').catch(() => null),
  ]);
  if (!ctx.current()) return null;
  const claimLink = (it, text) => h('a', { href: `${personPath(it.person_id)}/claims/${encodeURIComponent(it.claim_id)}` }, text);
  const name = (it) => [it.family_name, it.given_name].filter(Boolean).join(' ');
  const list = (id, title, items, line) => h('section', { class: 'card', 'aria-labelledby': id },
    h('h2', { id }, title),
    !items ? h('p', {}, t('ei.queue.unavailable'))
      : items.length ? h('ul', { class: 'ei-queue' }, items.map((it) => h('li', {}, line(it))))
        : h('p', { class: 'empty' }, t('ei.queue.empty')));
  return [
    list('q-rounds', t('ei.queue.rounds'), rounds?.items, (it) =>
      [claimLink(it, name(it)), ' · ', t('ei.queue.round', { n: it.round }), ' · ', fmtDate(it.recognition_date)]),
    list('q-sanctions', t('ei.queue.sanctions'), sanctions?.items, (it) =>
      [claimLink(it, name(it)), ' · ', it.status === 'appealed' ? t('ei.queue.sanction_status_appealed') : t('ei.queue.sanction_status_proposed'),
        it.proposed_by_me ? [' · ', t('ei.queue.yours')] : null]),
  ];
}

export async function lookup(ctx) {
  const form = h('form', { class: 'card form narrow', novalidate: true, role: 'search', 'aria-label': t('ei.lookup.title') },
    field({ name: 'person_id', label: t('ei.lookup.person_id'), hint: t('ei.lookup.person_id_hint'), required: true,
      spellcheck: 'false', autocomplete: 'off', value: ctx.query.get('person_id') || '' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn' }, t('ei.lookup.submit'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!checkRequired(form)) return;
    const pid = form.person_id.value.trim();
    if (!UUID.test(pid)) return showFieldError(form, 'person_id', t('ei.lookup.bad_id'));
    navigate(personPath(pid.toLowerCase()));
  });
  page(ctx, t('ei.lookup.title'), h('p', { class: 'lead' }, t('ei.lookup.intro')), form,
    h('p', { class: 'aside' }, t('ei.lookup.search_hint'), ' ', h('a', { href: '/persons' }, t('ei.lookup.search_link'))),
    loading());
  const lists = await workLists(ctx);
  if (!lists || !ctx.current()) return;
  ctx.main.querySelector('.loading')?.replaceWith(...lists);
}

// The person's name for the heading (the record read is audited like any other; a refusal
// leaves the heading generic and the claims call below explains it).
async function nameOf(pid) {
  try { return personName(await api('GET', '/persons/' + encodeURIComponent(pid))); } catch { return ''; }
}

export async function person(ctx) {
  const pid = decodeURIComponent(ctx.params[0]);
  page(ctx, t('ei.person.title'), loading());
  const enc = encodeURIComponent(pid);
  let claims, emp, name;
  try {
    [claims, emp, name] = await Promise.all([
      api('GET', `/persons/${enc}/claims`),
      api('GET', `/persons/${enc}/employment`).catch((e) => ({ error: e })),
      nameOf(pid),
    ]);
  } catch (err) {
    if (!ctx.current()) return;
    if (err instanceof ApiError && (err.status === 403 || err.status === 404)) {
      return page(ctx, t('ei.person.title'), backToLookup(), h('div', { id: 'refusal' }, errorNotice(err, 'ei.err.person_denied')));
    }
    throw err;
  }
  if (!ctx.current()) return;
  const items = claims.items || [];
  const hasOpen = items.some((c) => c.status === 'active' || c.status === 'suspended');
  let fileCard = null;
  if (!hasOpen) {
    const form = await claimForm({
      personId: pid, submitKey: 'ei.person.file_submit',
      onFiled: (c) => {
        setFlash(t(c.status === 'rejected' ? 'ei.apply.filed_rejected' : 'ei.apply.filed'));
        navigate(`${personPath(pid)}/claims/${encodeURIComponent(c.id)}`);
      },
    });
    if (!ctx.current()) return;
    fileCard = h('details', { class: 'card edit ei-file' }, h('summary', {}, t('ei.person.file')), form);
  }
  page(ctx, name ? t('ei.person.title_of', { name }) : t('ei.person.title'),
    backToLookup(),
    takeFlash(),
    h('p', { class: 'aside' }, h('a', { href: '/persons/' + enc }, t('ei.person.record'))),
    h('section', { 'aria-labelledby': 'sec-claims' },
      h('h2', { id: 'sec-claims' }, t('ei.person.claims')),
      items.length
        ? h('ul', { class: 'results ei-claims' }, items.map((c) => claimCard(c, `${personPath(pid)}/claims/${encodeURIComponent(c.id)}`)))
        : h('p', { class: 'empty' }, t('ei.person.no_claims'))),
    hasOpen ? h('p', { class: 'aside' }, t('ei.person.one_open')) : fileCard,
    partOrError(emp, (list) => employmentSection(list)));
}

export async function claim(ctx) {
  const pid = decodeURIComponent(ctx.params[0]);
  const id = decodeURIComponent(ctx.params[1]);
  page(ctx, t('ei.claim.title'), loading());
  let data;
  try {
    data = await loadClaim(id);
  } catch (err) {
    if (!ctx.current()) return;
    if (err instanceof ApiError && (err.status === 403 || err.status === 404)) {
      return page(ctx, t('ei.claim.title'), backToPerson(pid), h('div', { id: 'refusal' }, errorNotice(err, 'ei.err.person_denied')));
    }
    throw err;
  }
  if (!ctx.current()) return;
  const { claim: c, activities, payments } = data;
  if (c.person_id !== pid) return navigate(`${personPath(c.person_id)}/claims/${encodeURIComponent(c.id)}`, { replace: true });
  const reload = (msg) => { setFlash(msg); navigate(location.pathname, { replace: true }); };
  const eligible = c.status !== 'rejected';
  page(ctx, claimTitle(c),
    backToPerson(pid),
    takeFlash(),
    h('section', { class: 'card', 'aria-labelledby': 'sec-decision' }, h('h2', { id: 'sec-decision' }, t('ei.claim.decision')), claimFacts(c)),
    eligible ? dupSection(c, role(), reload) : null,
    eligible && c.bank_account?.status === 'unconfirmed' ? bankSection(c, reload, role()) : null,
    decisionFacts(c),
    reemploymentCard(c),
    eligible ? roundsCard(c, payments.items || [], reload) : null,
    eligible ? partOrError(activities, (items) => diarySection(c, items, reload)) : null,
    eligible ? partOrError(payments, (items, rec, held) => paymentsSection(items, rec, held)) : null,
    eligible && c.bank_account?.status !== 'unconfirmed' ? bankSection(c, reload, role()) : null,
    eligible ? sanctionsSection(c, role(), reload) : null);
}

// Rounds with the staff's steps: evaluate a round that is due, override a round not yet paid.
function roundsCard(c, paid, reload) {
  const card = h('section', { class: 'card', 'aria-labelledby': 'sec-rounds' },
    h('h2', { id: 'sec-rounds' }, t('ei.rounds.title')), roundsTable(c));
  const due = (c.rounds || []).filter((r) => r.status === 'scheduled' && r.recognition_date <= today());
  for (const r of due) {
    const form = h('form', { class: 'inline-form ei-evaluate', novalidate: true, dataset: { round: r.round } },
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-secondary' }, t('ei.rounds.evaluate', { n: r.round }))));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      await submitting(form, async () => {
        try {
          const res = await api('POST', `/claims/${encodeURIComponent(c.id)}/rounds/${r.round}/evaluate`);
          reload(t(res.status === 'recognized' ? 'ei.rounds.evaluated_yes' : 'ei.rounds.evaluated_no', { n: r.round }));
        } catch (err) { formError(form, err, 'ei.err.denied'); }
      });
    });
    card.append(form);
  }
  const paidRounds = new Set(paid.map((p) => p.round));
  const open = (c.rounds || []).filter((r) => !paidRounds.has(r.round) && r.period_from <= today());
  if (!open.length) return card;
  const form = h('form', { class: 'form ei-override', novalidate: true },
    h('div', { class: 'row' },
      field({ name: 'round', label: t('ei.rounds.round'), type: 'select', required: true, placeholder: false,
        options: open.map((r) => ({ value: String(r.round), label: `${t('ei.rounds.n', { n: r.round })} · ${fmtDate(r.recognition_date)}` })) }),
      field({ name: 'recognized', label: t('ei.rounds.override_outcome'), type: 'select', required: true,
        options: [{ value: 'true', label: t('ei.round.recognized') }, { value: 'false', label: t('ei.round.not_recognized') }] })),
    field({ name: 'reason', label: t('ei.rounds.override_reason'), type: 'textarea', required: true, maxlength: 1000 }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn' }, t('ei.rounds.override_submit'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!checkRequired(form)) return;
    await submitting(form, async () => {
      try {
        await api('POST', `/claims/${encodeURIComponent(c.id)}/rounds/${Number(form.round.value)}/override`,
          { recognized: form.recognized.value === 'true', reason: form.reason.value.trim() });
        reload(t('ei.rounds.overridden', { n: form.round.value }));
      } catch (err) { formError(form, err, 'ei.err.denied'); }
    });
  });
  card.append(h('details', { class: 'edit' }, h('summary', {}, t('ei.rounds.override')), h('p', { class: 'hint' }, t('ei.rounds.override_note')), form));
  return card;
}

const backToLookup = () => h('p', { class: 'back' }, h('a', { href: '/benefits' }, '← ', t('ei.lookup.title')));
const backToPerson = (pid) => h('p', { class: 'back' }, h('a', { href: personPath(pid) }, '← ', t('ei.person.back')));
