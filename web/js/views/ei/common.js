// views/ei/common.js - the employment-insurance pieces shared by the citizen's and the staff's
// pages: claim facts, decision reasons, rounds, the job-search diary, payments, sanctions and the
// claim form.  docs/EI.md describes the API; docs/portal/ei.md the pages.
import { h, dl, cell } from '../../dom.js';
import { t, tOr, has, fmtDate, fmtNumber, officeName } from '../../i18n.js';
import { api, ApiError, describeError } from '../../api.js';
import { field, checkRequired, clearErrors, showApiError, submitting, errorBox, successBox } from '../../forms.js';
import { loadOffices } from '../offices.js';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Code lists (the API's enumerations, docs/EI.md and the KR policy pack).
// Bank codes of the payout-account form (금융결제원 codes of the banks most claimants use).
export const BANK_CODES = ['002', '003', '004', '011', '020', '023', '027', '031', '032', '034', '035', '037', '039', '045',
  '048', '071', '081', '088', '089', '090', '092'];
export const SEPARATION_REASONS = ['contract_expiry', 'dismissal', 'recommended_resignation', 'business_closure',
  'voluntary_quit', 'voluntary_quit_justified', 'serious_fault_dismissal'];
export const JUSTIFIED_REASONS = ['wage_arrears_2m', 'commute_3h', 'family_care_30d', 'child_care', 'harassment',
  'business_closure', 'recommended_resignation'];
export const ACTIVITY_TYPES = ['application', 'interview', 'training', 'counselling', 'job_fair', 'lecture', 'startup_prep', 'other'];
export const SANCTION_TYPES = ['refusal_job', 'refusal_training', 'insufficient_search', 'missed_appointment', 'fraud'];

// The server's calendar day (UTC, as the API's date checks use it).
export const today = () => new Date().toISOString().slice(0, 10);

export const money = (n) => (typeof n === 'number' ? t('ei.krw', { n: fmtNumber(n) }) : '');
export const days = (n) => (typeof n === 'number' ? t('ei.days', { n: fmtNumber(n) }) : '');
const period = (from, to) => (from || to ? `${fmtDate(from)} – ${to ? fmtDate(to) : '…'}` : '');
const code = (prefix, c) => (c ? tOr(prefix + c, c) : '');

const BADGE = { status: 'ei.status.', round: 'ei.round.', pay: 'ei.paystatus.', sanction: 'ei.sst.', recovery: 'ei.rec.st.', reemploy: 'ei.re.st.' };
export function statusBadge(kind, status) {
  return h('span', { class: `badge ei-st ei-st-${status}` }, code(BADGE[kind], status));
}

// "1234567890" -> "123-45-67890" (the business registration number as people write it).
const brn = (s) => (/^\d{10}$/.test(s || '') ? `${s.slice(0, 3)}-${s.slice(3, 5)}-${s.slice(5)}` : s);

// A reason from the calculator ({code, message}) in the language shown; the numbers in the API's
// message ("120 insured unit days ...; 180 required") fill the localised text.
export function reasonText(r) {
  const key = 'ei.reason.' + r.code;
  const n = String(r.message || '').match(/\d+(?:-\d+-\d+)?/g) || [];
  const vars = Object.fromEntries(n.map((v, i) => [`n${i}`, /-/.test(v) ? fmtDate(v) : fmtNumber(Number(v))]));
  return has(key) ? t(key, vars) : (r.message || r.code);
}

export function reasonList(reasons, cls = 'ei-reasons') {
  if (!Array.isArray(reasons) || !reasons.length) return null;
  return h('ul', { class: cls }, reasons.map((r) => h('li', { dataset: { code: r.code } }, reasonText(r))));
}

// ---- errors ---------------------------------------------------------------------------------

// The API's English details for the errors a claimant meets, in the language shown.
const DETAILS = [
  [/is not before report_date/, 'ei.err.sep_after_report'],
  [/no insured employment of the person ends on (\S+)/, 'ei.err.no_spell_on'],
  [/no insured employment that ended before/, 'ei.err.no_history'],
  [/is in the future/, 'ei.err.future'],
  [/no open job-seeker registration/, 'ei.err.office_needed'],
  [/is required with voluntary_quit_justified/, 'ei.err.justified_needed'],
  [/justified_reason contradicts/, 'ei.err.justified_only'],
  [/outside the claim/, 'ei.err.outside_claim'],
  [/before the claim's report date/, 'ei.err.before_report'],
  [/reason is empty/, 'ei.err.reason_empty'],
  [/your account has no person record/, 'ei.err.no_profile'],
  [/already has an open claim/, 'ei.err.open_claim'],
  [/the diary is closed/, 'ei.err.diary_closed'],
  [/round (\d+) is evaluated on (\S+)/, 'ei.err.round_not_due'],
  [/round (\d+) is already paid/, 'ei.err.round_paid'],
  [/you proposed this sanction/, 'ei.err.own_sanction'],
  [/the sanction is (\w+); this step needs (\w+)/, 'ei.err.sanction_state'],
];

function localDetail(err) {
  const src = err.detail || err.apiMessage || '';
  for (const [re, key] of DETAILS) {
    const m = re.exec(src);
    if (!m) continue;
    const v = m.slice(1).map((x) => (/^\d{4}-\d{2}-\d{2}$/.test(x) ? fmtDate(x) : /^\d+$/.test(x) ? x : code('ei.sst.', x)));
    return t(key, Object.fromEntries(v.map((x, i) => [`v${i}`, x])));
  }
  return null;
}

// What to tell the person about a refused or failed step: our own words where we know the case.
export function explain(err, refusalKey) {
  if (!(err instanceof ApiError)) return describeError(err);
  const local = localDetail(err);
  if (err.status === 403) {
    return { message: local || t(refusalKey || 'ei.err.denied'), hint: err.hint && !local ? describeError(err).hint : '', detail: '' };
  }
  if (local && !err.field) return { message: local, hint: '' };
  return describeError(err);
}

// Show an API error on a form: on the field it names (in our words where we have them), else in
// the box at the top with an explanation of the refusal.
export function formError(form, err, refusalKey) {
  if (err instanceof ApiError && err.field && err.status !== 403 && form.querySelector(`[name="${err.field}"]`)) {
    const local = localDetail(err);
    if (local) err.detail = local;
    return showApiError(form, err);
  }
  clearErrors(form);
  const box = errorBox(explain(err, refusalKey));
  box.classList.add('form-error');
  box.setAttribute('tabindex', '-1');
  form.prepend(box);
  box.focus();
  return box;
}

export function errorNotice(err, refusalKey) {
  return errorBox(explain(err, refusalKey));
}

// ---- a claim --------------------------------------------------------------------------------

export function claimTitle(c) {
  return t('ei.claim.of', { date: fmtDate(c.report_date) });
}

// The decision in short: status, amount, duration, window; reasons when rejected.
export function claimFacts(c) {
  const rejected = c.status === 'rejected';
  const dec = c.decision || {};
  return [
    dl([
      [t('ei.claim.status'), statusBadge('status', c.status)],
      [t('ei.claim.separation_date'), fmtDate(c.separation_date)],
      [t('ei.claim.separation_reason'), code('ei.sep.', c.separation_reason)],
      [t('ei.claim.justified_reason'), code('ei.just.', c.justified_reason)],
      [t('ei.claim.report_date'), fmtDate(c.report_date)],
      [t('ei.claim.daily_amount'), rejected ? undefined : money(c.daily_amount)],
      [t('ei.claim.payable_days'), rejected ? undefined : days(c.payable_days)],
      [t('ei.claim.total_amount'), rejected || typeof dec.total_amount !== 'number' ? undefined : money(dec.total_amount)],
      [t('ei.claim.days_paid'), rejected ? undefined : days(c.days_paid)],
      [t('ei.claim.first_payable'), fmtDate(c.first_payable_date)],
      [t('ei.claim.window'), c.benefit_window_end ? period(c.first_payable_date || c.report_date, c.benefit_window_end) : undefined],
      [t('ei.claim.registration_due'), fmtDate(c.registration_due_date)],
      [t('ei.claim.category'), rejected ? undefined : code('ei.cat.', c.claimant_category)],
    ], 'facts ei-claim-facts'),
    rejected ? h('div', { class: 'notice notice-error ei-rejected' },
      h('p', { class: 'notice-title' }, t('ei.claim.rejected_because')), reasonList(dec.reasons)) : null,
    c.status === 'suspended' ? h('p', { class: 'notice notice-info' }, t('ei.claim.suspended_note')) : null,
  ];
}

// The facts the decision was made from (collapsed).
export function decisionFacts(c) {
  const f = c.decision?.facts;
  if (!f) return null;
  const facts = dl([
    [t('ei.facts.unit_days'), days(f.insured_unit_days)],
    [t('ei.facts.months'), typeof f.insured_months === 'number' ? t('ei.months', { n: fmtNumber(f.insured_months) }) : undefined],
    [t('ei.facts.wages_3m'), money(f.wages_3m_total)],
    [t('ei.facts.hours'), typeof f.daily_contract_hours === 'number' ? t('ei.hours', { n: fmtNumber(f.daily_contract_hours) }) : undefined],
  ]);
  return facts ? h('details', { class: 'card ei-facts' }, h('summary', {}, t('ei.facts.title')), h('p', { class: 'hint' }, t('ei.facts.note')), facts) : null;
}

export function claimCard(c, href) {
  return h('li', { class: 'card ei-claim' },
    h('h3', {}, h('a', { href, class: 'result-name' }, claimTitle(c))),
    claimFacts(c));
}

// ---- rounds ---------------------------------------------------------------------------------

export function currentRound(rounds, day = today()) {
  if (!rounds?.length) return null;
  return rounds.find((r) => r.period_from <= day && day <= r.period_to)
    || (day > rounds.at(-1).period_to ? rounds.at(-1) : rounds[0]);
}

const roundOf = (rounds, d) => rounds?.find((r) => r.period_from <= d && d <= r.period_to);

// Past rounds, the current one and the next are shown; later ones fold behind a button (a claim
// has up to 15 rounds, which would make a long page on a phone).
export function roundsTable(c) {
  const rounds = c.rounds || [];
  if (!rounds.length) return h('p', { class: 'empty' }, t('ei.rounds.none'));
  const cur = currentRound(rounds);
  const shown = rounds.indexOf(cur) + 2;
  const cols = ['ei.rounds.round', 'ei.rounds.period', 'ei.rounds.due', 'ei.rounds.outcome'];
  const tbody = h('tbody', {}, rounds.map((r, i) => h('tr', { class: r === cur ? 'ei-current' : null, dataset: { round: r.round }, hidden: i >= shown },
    cell(t('ei.rounds.round'), t('ei.rounds.n', { n: r.round }), r === cur ? h('span', { class: 'badge ei-now' }, t('ei.rounds.current')) : null),
    cell(t('ei.rounds.period'), period(r.period_from, r.period_to)),
    cell(t('ei.rounds.due'), h('time', { datetime: r.recognition_date }, fmtDate(r.recognition_date))),
    cell(t('ei.rounds.outcome'), statusBadge('round', r.status),
      r.status === 'not_recognized' ? reasonList(r.evaluation?.reasons, 'ei-reasons small') : null,
      r.override_reason ? h('span', { class: 'basis' }, t('ei.rounds.override_reason'), ': ', r.override_reason) : null))));
  const table = h('table', { class: 'data stack ei-rounds', id: 'ei-rounds' },
    h('caption', { class: 'visually-hidden' }, t('ei.rounds.title')),
    h('thead', {}, h('tr', {}, cols.map((k) => h('th', { scope: 'col' }, t(k))))),
    tbody);
  const rest = rounds.length - shown;
  if (rest <= 0) return h('div', { class: 'table-wrap' }, table);
  const more = h('button', { type: 'button', class: 'btn-secondary ei-more', 'aria-expanded': 'false', 'aria-controls': 'ei-rounds' },
    t('ei.rounds.show_all', { n: rest }));
  more.addEventListener('click', () => {
    for (const tr of tbody.children) tr.hidden = false;
    more.setAttribute('aria-expanded', 'true');
    more.hidden = true;
  });
  return h('div', { class: 'table-wrap' }, table, h('div', { class: 'actions' }, more));
}

// ---- the job-search diary ------------------------------------------------------------------

export const diaryOpen = (c) => c.status === 'active' || c.status === 'suspended';

// The diary: the current round's period and count, the add form (while the claim is open) and the
// entries, newest first, each with the round it counts for.
export function diarySection(c, items, onAdded) {
  const cur = currentRound(c.rounds);
  const inCur = cur ? items.filter((a) => a.date >= cur.period_from && a.date <= cur.period_to).length : 0;
  const sec = h('section', { class: 'card', 'aria-labelledby': 'sec-diary' }, h('h2', { id: 'sec-diary' }, t('ei.diary.title')));
  if (cur) {
    sec.append(h('p', { class: 'lead ei-current-round' }, t('ei.diary.current', {
      n: cur.round, from: fmtDate(cur.period_from), to: fmtDate(cur.period_to), due: fmtDate(cur.recognition_date), count: inCur,
    })));
  }
  if (diaryOpen(c)) sec.append(activityForm(c, onAdded));
  else sec.append(h('p', { class: 'aside' }, t('ei.diary.closed')));
  const sorted = [...items].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
  if (!sorted.length) { sec.append(h('p', { class: 'empty' }, t('ei.diary.empty'))); return sec; }
  const cols = ['ei.diary.date', 'ei.diary.type', 'ei.diary.note', 'ei.rounds.round'];
  sec.append(h('p', { class: 'ei-count' }, t('ei.diary.count', { n: sorted.length })), h('div', { class: 'table-wrap' }, h('table', { class: 'data stack ei-diary' },
    h('caption', { class: 'visually-hidden' }, t('ei.diary.title')),
    h('thead', {}, h('tr', {}, cols.map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', {}, sorted.map((a) => {
      const r = roundOf(c.rounds, a.date);
      return h('tr', {},
        cell(t('ei.diary.date'), h('time', { datetime: a.date }, fmtDate(a.date))),
        cell(t('ei.diary.type'), code('ei.act.', a.type),
          a.source === 'platform' ? h('span', { class: 'basis' }, t('ei.diary.from_platform')) : null),
        cell(t('ei.diary.note'), a.note || '—'),
        cell(t('ei.rounds.round'), r ? t('ei.rounds.n', { n: r.round }) : '—'));
    })))));
  return sec;
}

function activityForm(c, onAdded) {
  const max = c.benefit_window_end && c.benefit_window_end < today() ? c.benefit_window_end : today();
  const form = h('form', { class: 'form ei-activity-form', novalidate: true, 'aria-labelledby': 'ei-add-activity' },
    h('h3', { id: 'ei-add-activity' }, t('ei.diary.add')),
    h('div', { class: 'row' },
      field({ name: 'date', label: t('ei.diary.date'), type: 'date', required: true, value: max, min: c.report_date, max }),
      field({ name: 'type', label: t('ei.diary.type'), type: 'select', required: true,
        options: ACTIVITY_TYPES.map((v) => ({ value: v, label: code('ei.act.', v) })) })),
    field({ name: 'note', label: t('ei.diary.note'), type: 'textarea', hint: t('ei.diary.note_hint'), maxlength: 500 }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn' }, t('ei.diary.submit'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!checkRequired(form)) return;
    const body = { date: form.date.value, type: form.type.value };
    if (form.note.value.trim()) body.note = form.note.value.trim();
    await submitting(form, async () => {
      try {
        await api('POST', `/claims/${encodeURIComponent(c.id)}/activities`, body);
        onAdded(t('ei.diary.added'));
      } catch (err) { formError(form, err); }
    });
  });
  return form;
}

// ---- payments -------------------------------------------------------------------------------

export function paymentsSection(items, recoveries = [], held = []) {
  const sec = h('section', { class: 'card', 'aria-labelledby': 'sec-pay' }, h('h2', { id: 'sec-pay' }, t('ei.pay.title')));
  if (held.length) sec.append(heldPart(held));
  const rec = recoveriesPart(recoveries);
  if (!items.length) { sec.append(h('p', { class: 'empty' }, t('ei.pay.empty')), rec); return sec; }
  const total = items.reduce((s, p) => s + (p.amount || 0), 0);
  const cols = ['ei.rounds.round', 'ei.rounds.period', 'ei.pay.days', 'ei.pay.withheld', 'ei.pay.amount', 'ei.pay.date'];
  sec.append(h('p', { class: 'lead ei-pay-total' }, t('ei.pay.total', { amount: money(total), n: items.length })),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data stack ei-payments' },
      h('caption', { class: 'visually-hidden' }, t('ei.pay.title')),
      h('thead', {}, h('tr', {}, cols.map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, items.map((p) => h('tr', {},
        cell(t('ei.rounds.round'), p.kind === 'early_reemployment' ? t('ei.pay.reemployment') : t('ei.rounds.n', { n: p.round }),
          /:revoked:/.test(p.idempotency_key || '') ? h('span', { class: 'basis' }, t('ei.pay.adjustment')) : null),
        cell(t('ei.rounds.period'), period(p.period_from, p.period_to)),
        cell(t('ei.pay.days'), days(p.days)),
        cell(t('ei.pay.withheld'), p.withheld_days ? days(p.withheld_days) : '—'),
        cell(t('ei.pay.amount'), h('span', { class: 'ei-amount' }, money(p.amount)), ' ', statusBadge('pay', p.status),
          p.recovery_offset ? h('span', { class: 'basis ei-offset' }, t('ei.pay.offset', { offset: money(p.recovery_offset), net: money(p.net_amount) })) : null),
        cell(t('ei.pay.date'), fmtDate(p.batch_date))))))), rec);
  return sec;
}

// Rounds due but not paid, with the reason (today: no payout account).
function heldPart(list) {
  return h('div', { class: 'notice notice-error ei-held' },
    h('p', { class: 'notice-title' }, t('ei.pay.held_title')),
    h('ul', { class: 'plain' }, list.map((p) => h('li', { dataset: { reason: p.reason } },
      t('ei.pay.held', { n: p.round, amount: money(p.amount), date: fmtDate(p.held_since) }), ': ',
      tOr('ei.pay.held_reason.' + p.reason, p.reason)))));
}

// Orders to pay benefit back (overpayment after a late job registration, fraud with its levy).
function recoveriesPart(list) {
  if (!list?.length) return null;
  return h('div', { class: 'ei-recoveries' },
    h('h3', {}, t('ei.rec.title')),
    h('ul', { class: 'plain' }, list.map((r) => h('li', { class: 'notice notice-error', dataset: { kind: r.kind, status: r.status } },
      h('p', { class: 'notice-title' }, code('ei.rec.kind.', r.kind), ' ', statusBadge('recovery', r.status)),
      dl([
        [t('ei.rec.from'), fmtDate(r.from_date)],
        [t('ei.pay.days'), r.days ? days(r.days) : undefined],
        [t('ei.rec.amount'), money(r.amount)],
        [t('ei.rec.levy'), r.levy ? money(r.levy) : undefined],
        [t('ei.rec.total'), money((r.amount || 0) + (r.levy || 0))],
        [t('ei.rec.recovered'), r.recovered ? money(r.recovered) : undefined],
        [t('ei.rec.outstanding'), r.status === 'open' ? money(r.outstanding) : undefined],
      ], 'facts compact')))));
}

// The early re-employment allowance a new job may earn (decided at the job start, paid by the
// payment batch once the job has lasted long enough).
export function reemploymentCard(c) {
  const r = c.early_reemployment;
  if (!r || typeof r !== 'object') return null;
  return h('section', { class: 'card ei-reemploy', 'aria-labelledby': 'sec-reemploy' },
    h('h2', { id: 'sec-reemploy' }, t('ei.re.title')),
    h('p', {}, t('ei.re.intro')),
    dl([
      [t('ei.claim.status'), statusBadge('reemploy', r.status)],
      [t('ei.re.job_start'), fmtDate(r.reemployment_date)],
      [t('ei.re.amount'), money(r.amount)],
      [t('ei.re.remaining_days'), typeof r.remaining_days === 'number' ? days(r.remaining_days) : undefined],
      [t('ei.re.due'), r.status === 'pending' ? fmtDate(r.due_date) : undefined],
      [t('ei.re.reason'), r.status === 'lapsed' ? r.reason : undefined],
    ]));
}

// ---- sanctions ------------------------------------------------------------------------------

// The sanctions on a claim with the next step each allows the viewer (the API decides; the forms
// are offered by role: counsellors propose and appeal, supervisors also decide, claimants appeal).
export function sanctionsSection(c, role, onDone) {
  const staff = role === 'counsellor' || role === 'supervisor';
  const list = c.sanctions || [];
  if (!staff && !list.length) return null;
  const sec = h('section', { class: 'card', 'aria-labelledby': 'sec-sanctions' }, h('h2', { id: 'sec-sanctions' }, t('ei.sanction.title')));
  if (!list.length) sec.append(h('p', { class: 'empty' }, t('ei.sanction.none')));
  for (const s of list) {
    const item = h('article', { class: 'ei-sanction', dataset: { sanction: s.id, status: s.status } },
      h('h3', {}, code('ei.stype.', s.type), ' ', statusBadge('sanction', s.status)),
      dl([
        [t('ei.sanction.date'), fmtDate(s.date)],
        [t('ei.sanction.reason'), s.reason],
        [t('ei.sanction.blocked'), s.blocked_days ? days(s.blocked_days) : undefined],
        [t('ei.sanction.reduction'), s.reduction_days ? days(s.reduction_days) : undefined],
        [t('ei.sanction.decision_reason'), s.decision_reason],
        [t('ei.sanction.appeal_reason'), s.appeal_reason],
        [t('ei.sanction.appeal_decision_reason'), s.appeal_decision_reason],
      ], 'facts compact'));
    const step = nextStep(s.status, role);
    if (step) item.append(stepForm(c, s, step, onDone));
    else if (staff && (s.status === 'proposed' || s.status === 'appealed')) item.append(h('p', { class: 'aside' }, t('ei.sanction.supervisor_decides')));
    sec.append(item);
  }
  if (staff && diaryOpen(c)) sec.append(proposeForm(c, onDone));
  return sec;
}

function nextStep(status, role) {
  if (status === 'proposed' && role === 'supervisor') return 'decision';
  if (status === 'approved') return 'appeal';
  if (status === 'appealed' && role === 'supervisor') return 'appeal-decision';
  return null;
}

const yesNo = (name, label, yes, no) => field({ name, label, type: 'select', required: true,
  options: [{ value: 'true', label: yes }, { value: 'false', label: no }] });

function stepForm(c, s, step, onDone) {
  const flag = step === 'decision' ? yesNo('approve', t('ei.sanction.decide'), t('ei.sanction.approve'), t('ei.sanction.reject'))
    : step === 'appeal-decision' ? yesNo('upheld', t('ei.sanction.appeal_decide'), t('ei.sanction.uphold'), t('ei.sanction.revoke'))
      : null;
  // Approving a fraud finding sets the additional levy (a multiple of the amount ordered back).
  const fraud = step === 'decision' && s.type === 'fraud';
  const levy = fraud ? [
    field({ name: 'levy_multiplier', label: t('ei.sanction.levy'), type: 'number', min: 0, max: 5, step: 0.5, value: 0,
      hint: t('ei.sanction.levy_hint'), inputmode: 'decimal' }),
    field({ name: 'collusion', label: t('ei.sanction.collusion'), type: 'checkbox' }),
  ] : null;
  const form = h('form', { class: 'form ei-step', novalidate: true, dataset: { step } },
    flag, levy,
    field({ name: 'reason', label: t(step === 'appeal' ? 'ei.sanction.appeal_reason' : 'ei.sanction.step_reason'), type: 'textarea', required: true, maxlength: 1000 }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn' }, code('ei.sanction.submit.', step.replace('-', '_')))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!checkRequired(form)) return;
    const body = { reason: form.reason.value.trim() };
    if (step === 'decision') body.approve = form.approve.value === 'true';
    if (fraud && body.approve) {
      body.levy_multiplier = Number(form.levy_multiplier.value || 0);
      if (form.collusion.checked) body.collusion = true;
    }
    if (step === 'appeal-decision') body.upheld = form.upheld.value === 'true';
    await submitting(form, async () => {
      try {
        await api('POST', `/claims/${encodeURIComponent(c.id)}/sanctions/${encodeURIComponent(s.id)}/${step}`, body);
        onDone(code('ei.sanction.done.', step.replace('-', '_')));
      } catch (err) { formError(form, err, step === 'appeal' ? 'ei.err.denied' : 'ei.err.supervisor_only'); }
    });
  });
  return form;
}

function proposeForm(c, onDone) {
  const form = h('form', { class: 'form ei-propose', novalidate: true, 'aria-labelledby': 'ei-propose-h' },
    h('h3', { id: 'ei-propose-h' }, t('ei.sanction.propose')),
    h('p', { class: 'hint' }, t('ei.sanction.propose_note')),
    h('div', { class: 'row' },
      field({ name: 'type', label: t('ei.sanction.type'), type: 'select', required: true,
        options: SANCTION_TYPES.map((v) => ({ value: v, label: code('ei.stype.', v) })) }),
      field({ name: 'date', label: t('ei.sanction.date'), type: 'date', required: true, value: today(), min: c.report_date, max: today() })),
    field({ name: 'reason', label: t('ei.sanction.reason'), type: 'textarea', required: true, maxlength: 1000 }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn' }, t('ei.sanction.submit.propose'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!checkRequired(form)) return;
    await submitting(form, async () => {
      try {
        const r = await api('POST', `/claims/${encodeURIComponent(c.id)}/sanctions`,
          { type: form.type.value, date: form.date.value, reason: form.reason.value.trim() });
        onDone(t('ei.sanction.done.propose', { n: r.blocked_days ?? 0 }));
      } catch (err) { formError(form, err, 'ei.err.denied'); }
    });
  });
  return form;
}

// ---- filing a claim -------------------------------------------------------------------------

// The claim form (POST /claims): separation reason (with the justified reason when it applies),
// optional separation and report dates, and the job centre when there is no open registration.
export async function claimForm({ personId, onFiled, submitKey }) {
  const offices = await loadOffices();
  const justified = field({ name: 'justified_reason', label: t('ei.apply.justified_reason'), type: 'select', required: true,
    options: JUSTIFIED_REASONS.map((v) => ({ value: v, label: code('ei.just.', v) })) });
  const officeField = offices
    ? field({ name: 'office', label: t('ei.apply.office'), type: 'select', hint: t('ei.apply.office_hint'), placeholder: t('ei.apply.office_default'),
      options: offices.map((o) => ({ value: o.code, label: officeName(o) })) })
    : field({ name: 'office', label: t('ei.apply.office_code'), hint: t('ei.apply.office_hint'), spellcheck: 'false', autocapitalize: 'characters' });
  const form = h('form', { class: 'form ei-apply', novalidate: true },
    field({ name: 'separation_reason', label: t('ei.apply.separation_reason'), type: 'select', required: true,
      options: SEPARATION_REASONS.map((v) => ({ value: v, label: code('ei.sep.', v) })) }),
    justified,
    h('div', { class: 'row' },
      field({ name: 'separation_date', label: t('ei.apply.separation_date'), type: 'date', hint: t('ei.apply.separation_date_hint'), max: today() }),
      field({ name: 'report_date', label: t('ei.apply.report_date'), type: 'date', hint: t('ei.apply.report_date_hint'), max: today() })),
    officeField,
    bankFields('bank_account.'),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn' }, t(submitKey || 'ei.apply.submit'))));
  const sync = () => {
    const on = form.separation_reason.value === 'voluntary_quit_justified';
    justified.hidden = !on;
    form.justified_reason.disabled = !on;
  };
  form.separation_reason.addEventListener('change', sync);
  sync();
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!checkRequired(form)) return;
    const body = {};
    if (personId) body.person_id = personId;
    for (const k of ['separation_reason', 'justified_reason', 'separation_date', 'report_date', 'office']) {
      const el = form.elements[k];
      if (el && !el.disabled && el.value.trim()) body[k] = el.value.trim();
    }
    body.bank_account = bankValue(form, 'bank_account.');
    await submitting(form, async () => {
      try {
        const c = await api('POST', '/claims', body);
        onFiled(c);
      } catch (err) { formError(form, err, 'ei.err.denied'); }
    });
  });
  return form;
}

// ---- the payout account ---------------------------------------------------------------------

// The three fields of a payout account; prefix "bank_account." inside the claim form, so that the
// API's error fields ("bank_account.account_number") land on the right input.
function bankFields(prefix) {
  return h('fieldset', { class: 'ei-bank' },
    h('legend', {}, t('ei.bank.title')),
    h('p', { class: 'hint' }, t('ei.bank.intro')),
    field({ name: prefix + 'bank_code', label: t('ei.bank.bank_code'), type: 'select', required: true,
      options: BANK_CODES.map((v) => ({ value: v, label: code('ei.bank.code.', v) })) }),
    h('div', { class: 'row' },
      field({ name: prefix + 'account_number', label: t('ei.bank.account_number'), hint: t('ei.bank.account_number_hint'),
        required: true, inputmode: 'numeric', autocomplete: 'off', spellcheck: 'false', maxlength: 32 }),
      field({ name: prefix + 'holder_name', label: t('ei.bank.holder_name'), hint: t('ei.bank.holder_name_hint'),
        required: true, autocomplete: 'name', maxlength: 50 })));
}

const bankValue = (form, prefix) => ({
  bank_code: form.elements[prefix + 'bank_code'].value,
  account_number: form.elements[prefix + 'account_number'].value.trim(),
  holder_name: form.elements[prefix + 'holder_name'].value.trim(),
});

const isStaff = (role) => role === 'counsellor' || role === 'supervisor';

// The claim's payout account (masked as the API gives it) with its holder check, and the form to
// change it; role (staff pages): counsellors and supervisors confirm an unconfirmed holder.
export function bankSection(c, onChanged, role) {
  const a = c.bank_account;
  const sec = h('section', { class: 'card ei-bank-account', 'aria-labelledby': 'sec-bank', dataset: { status: a?.status || 'none' } },
    h('h2', { id: 'sec-bank' }, t('ei.bank.title')));
  if (a) {
    sec.append(dl([
      [t('ei.bank.bank_code'), code('ei.bank.code.', a.bank_code)],
      [t('ei.bank.account_number'), h('span', { class: 'ei-account-masked' }, a.account_number)],
      [t('ei.bank.holder_name'), a.holder_name],
      [t('ei.bank.status'), a.status ? h('span', { class: `badge ei-st ei-st-${a.status}` }, code('ei.bank.st.', a.status)) : undefined],
      [t('ei.bank.confirm_reason'), a.confirmation?.reason],
      [t('ei.bank.confirmed_at'), a.confirmation ? fmtDate(a.confirmation.confirmed_at) : undefined],
    ], 'facts compact'), h('p', { class: 'hint' }, t('ei.bank.masked_note')));
    if (a.status === 'unconfirmed') {
      sec.append(h('div', { class: 'notice notice-error ei-holder-unconfirmed' },
        h('p', { class: 'notice-title' }, t('ei.bank.unconfirmed_title')),
        h('p', {}, t(isStaff(role) ? 'ei.bank.unconfirmed_staff' : 'ei.bank.unconfirmed_note'))));
      if (isStaff(role)) sec.append(confirmForm(c, a, onChanged));
    }
  } else {
    sec.append(h('p', { class: 'notice notice-error' }, t('ei.bank.none')));
  }
  const form = h('form', { class: 'form ei-bank-form', novalidate: true },
    bankFields(''),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn' }, t('ei.bank.save'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!checkRequired(form)) return;
    await submitting(form, async () => {
      try {
        await api('PUT', `/claims/${encodeURIComponent(c.id)}/bank-account`, bankValue(form, ''));
        onChanged(t('ei.bank.saved'));
      } catch (err) { formError(form, err); }
    });
  });
  sec.append(h('details', { open: !a }, h('summary', {}, t('ei.bank.change')), form));
  return sec;
}

// A counsellor confirms that the account is the claimant's (the holder's name differs from the
// registered name: a maiden name, a romanised name ...), with the account version seen.
function confirmForm(c, a, onDone) {
  const form = h('form', { class: 'form ei-bank-confirm', novalidate: true, 'aria-labelledby': 'ei-confirm-h' },
    h('h3', { id: 'ei-confirm-h' }, t('ei.bank.confirm')),
    field({ name: 'reason', label: t('ei.bank.confirm_reason'), hint: t('ei.bank.confirm_hint'), type: 'textarea', required: true, maxlength: 500 }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn' }, t('ei.bank.confirm_submit'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!checkRequired(form)) return;
    await submitting(form, async () => {
      try {
        await api('POST', `/claims/${encodeURIComponent(c.id)}/bank-account/confirm`, { reason: form.reason.value.trim(), version: a.version });
        onDone(t('ei.bank.confirmed'));
      } catch (err) { formError(form, err, 'ei.err.denied'); }
    });
  });
  return form;
}

// ---- duplicate benefits (staff) -------------------------------------------------------------

// The IBR's finding that the claimant is enrolled in another benefit programme, and the review
// (payments are held until it finds no conflict).  Nothing when the IBR found nothing.
export function dupSection(c, role, onDone) {
  const d = c.duplicate_benefit;
  if (!d || d.status !== 'enrolled') return null;
  const open = c.review_required;
  const sec = h('section', { class: `card ei-dup${open ? ' ei-dup-open' : ''}`, 'aria-labelledby': 'sec-dup', dataset: { review: d.review?.outcome || 'required' } },
    h('h2', { id: 'sec-dup' }, t('ei.dup.title')),
    h('div', { class: `notice ${open || d.review?.outcome === 'conflict' ? 'notice-error' : 'notice-ok'}` },
      h('p', { class: 'notice-title' }, t(open ? 'ei.dup.open' : d.review?.outcome === 'conflict' ? 'ei.dup.conflict' : 'ei.dup.cleared'))));
  const progs = (d.programmes || []).filter((p) => p.enrolled);
  sec.append(dl([
    [t('ei.dup.partner'), d.partner],
    [t('ei.dup.checked_at'), fmtDate(d.updated_at)],
    [t('ei.dup.programmes'), progs.length ? h('ul', { class: 'plain ei-dup-programmes' },
      progs.map((p) => h('li', {}, p.programme, p.enrolled_status ? ` (${p.enrolled_status})` : ''))) : undefined],
    [t('ei.dup.outcome'), d.review ? code('ei.dup.outcome.', d.review.outcome) : undefined],
    [t('ei.dup.reason'), d.review?.reason],
    [t('ei.dup.reviewed_at'), d.review ? fmtDate(d.review.reviewed_at) : undefined],
  ], 'facts compact'));
  if (open && isStaff(role)) sec.append(dupForm(c, onDone));
  return sec;
}

function dupForm(c, onDone) {
  const form = h('form', { class: 'form ei-dup-review', novalidate: true, 'aria-labelledby': 'ei-dup-h' },
    h('h3', { id: 'ei-dup-h' }, t('ei.dup.review')),
    field({ name: 'outcome', label: t('ei.dup.outcome'), type: 'select', required: true,
      options: ['no_conflict', 'conflict'].map((v) => ({ value: v, label: code('ei.dup.outcome.', v) })) }),
    field({ name: 'reason', label: t('ei.dup.reason'), hint: t('ei.dup.reason_hint'), type: 'textarea', required: true, maxlength: 500 }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn' }, t('ei.dup.submit'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!checkRequired(form)) return;
    await submitting(form, async () => {
      try {
        const r = await api('POST', `/claims/${encodeURIComponent(c.id)}/duplicate-benefit-review`,
          { outcome: form.outcome.value, reason: form.reason.value.trim() });
        onDone(t(r.duplicate_benefit?.review?.outcome === 'conflict' ? 'ei.dup.done_conflict' : 'ei.dup.done_cleared'));
      } catch (err) { formError(form, err, 'ei.err.denied'); }
    });
  });
  return form;
}

// ---- employment history (staff) ------------------------------------------------------------

export function employmentSection(items) {
  const sec = h('section', { class: 'card', 'aria-labelledby': 'sec-emp' }, h('h2', { id: 'sec-emp' }, t('ei.emp.title')));
  if (!items.length) { sec.append(h('p', { class: 'empty' }, t('ei.emp.empty'))); return sec; }
  const cols = ['ei.emp.employer', 'ei.emp.period', 'ei.emp.hours', 'ei.emp.wage', 'ei.emp.type'];
  const sorted = [...items].sort((a, b) => (a.start_date < b.start_date ? 1 : -1));
  sec.append(h('p', { class: 'ei-count' }, t('ei.emp.count', { n: items.length })), h('div', { class: 'table-wrap' }, h('table', { class: 'data stack ei-employment' },
    h('caption', { class: 'visually-hidden' }, t('ei.emp.title')),
    h('thead', {}, h('tr', {}, cols.map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', {}, sorted.map((e) => h('tr', {},
      cell(t('ei.emp.employer'), e.employer_name || '—', e.employer_brn ? h('span', { class: 'basis' }, t('ei.emp.brn'), ' ', brn(e.employer_brn)) : null),
      cell(t('ei.emp.period'), e.end_date ? period(e.start_date, e.end_date) : t('ei.emp.since', { date: fmtDate(e.start_date) })),
      cell(t('ei.emp.hours'), typeof e.daily_contract_hours === 'number' ? t('ei.hours', { n: fmtNumber(e.daily_contract_hours) }) : '—'),
      cell(t('ei.emp.wage'), typeof e.monthly_wage === 'number' ? money(e.monthly_wage) : '—'),
      cell(t('ei.emp.type'), code('ei.ins.', e.insurance_type) || '—')))))));
  return sec;
}

// A one-shot confirmation carried over a re-render.
let flash = null;
export const setFlash = (text) => { flash = text; };
export const takeFlash = () => { const f = flash; flash = null; return f ? successBox(f) : null; };

// Load the parts of a claim page together (the claim, its diary and payments).
export async function loadClaim(id) {
  const enc = encodeURIComponent(id);
  const [claim, acts, pays] = await Promise.all([
    api('GET', `/claims/${enc}`),
    api('GET', `/claims/${enc}/activities`).catch((e) => ({ error: e })),
    api('GET', `/claims/${enc}/payments`).catch((e) => ({ error: e })),
  ]);
  return { claim, activities: acts, payments: pays };
}

export function partOrError(part, fn) {
  return part?.error ? errorNotice(part.error) : fn(part?.items || [], part?.recoveries || [], part?.held || []);
}
