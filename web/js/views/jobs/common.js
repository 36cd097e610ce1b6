// views/jobs/common.js - code lists, formatting and small building blocks shared by the job-market
// pages: vacancy facts, vetting reasons, recommendation factors ("why"), application timelines.
import { h, dl } from '../../dom.js';
import { t, tOr, has, getLang, fmtDate, fmtDateTime, fmtNumber } from '../../i18n.js';
import { api } from '../../api.js';
import { successBox } from '../../forms.js';
import { regionName, personName } from '../person-common.js';

export { regionName, personName };
export { REGIONS } from '../person-common.js';

// Code lists of the job-market API (docs/JOBS.md).
export const CONTRACTS = ['permanent', 'fixed_term', 'part_time', 'temporary', 'daily', 'internship'];
export const VAC_EDUCATION = ['none', 'middle_school', 'high_school', 'associate', 'bachelor', 'master', 'doctorate'];
export const SIZES = ['micro', 'small', 'medium', 'large'];
export const PERIODS = ['hour', 'month', 'year'];
export const CONTACT_METHODS = ['phone', 'email', 'online', 'visit', 'post'];
export const REASONS = ['counsellor.rejected', 'counsellor.misleading', 'counsellor.illegal_work', 'required.missing',
  'pay.below_minimum_wage', 'discrimination.age', 'discrimination.sex', 'discrimination.marital_status',
  'discrimination.appearance', 'contact.in_description', 'duplicate.open_vacancy', 'employer.unverified'];
export const FACTORS = ['occupation', 'skills', 'education', 'experience', 'region', 'salary', 'hours', 'training'];
// Application states and the moves an employer may make from each (docs/JOBS.md "Applications").
export const APP_STATES = ['applied', 'viewed', 'interview', 'offer', 'hired', 'rejected', 'withdrawn'];
export const EMPLOYER_MOVES = {
  applied: ['viewed', 'interview', 'rejected'],
  viewed: ['interview', 'offer', 'rejected'],
  interview: ['offer', 'rejected'],
  offer: ['hired', 'rejected'],
};
export const TERMINAL = ['hired', 'rejected', 'withdrawn'];

export const opts = (codes, prefix) => codes.map((c) => ({ value: c, label: t(prefix + c) }));
export const enc = encodeURIComponent;
export const UUID = '[0-9a-fA-F-]{36}';

// A one-shot message carried to the next page.
let flash = null;
export const setFlash = (text) => { flash = text; };
export const takeFlash = () => { const f = flash; flash = null; return f ? successBox(f) : null; };

// ---- formatting ---------------------------------------------------------------------------

export function employerName(e) {
  if (!e) return '';
  return (getLang() === 'ko' && e.name_ko) ? e.name_ko : (e.name || e.name_ko || '');
}

export function pay(v) {
  if (v.salary_min == null && v.salary_max == null) return undefined;
  const amount = v.salary_min != null && v.salary_max != null && v.salary_min !== v.salary_max
    ? `${fmtNumber(v.salary_min)}–${fmtNumber(v.salary_max)}`
    : fmtNumber(v.salary_min ?? v.salary_max);
  return t(PERIODS.includes(v.salary_period) ? 'salary_fmt.' + v.salary_period : 'salary_fmt.none', { amount });
}

export const contractName = (c) => (c ? tOr('jobs.contract.' + c, c) : undefined);
export const vacEduName = (c) => (c ? tOr('jobs.edu.' + c, c) : undefined);
export const sizeName = (c) => (c ? tOr('jobs.size.' + c, c) : undefined);
export const statusBadge = (s) => h('span', { class: 'badge jobs-badge jobs-st-' + s }, tOr('jobs.status.' + s, s));
export const appBadge = (s) => h('span', { class: 'badge jobs-badge jobs-app-' + s }, tOr('jobs.app.status.' + s, s));

// ISCO-08 titles in the language shown, from the public occupation list; the API's English title
// (or the code) until the answer arrives.
const occCache = new Map();
export function occupationInfo(code) {
  if (!occCache.has(code)) {
    occCache.set(code, api('GET', `/occupations?scheme=ISCO-08&q=${enc(code)}&limit=5`)
      .then((r) => (r.items || []).find((o) => o.code === code) || null).catch(() => null));
  }
  return occCache.get(code);
}
export const occTitle = (o) => o && ((getLang() === 'ko' && o.title_ko) || o.title_en || o.title_ko);
export function occupation(code, fallback) {
  if (!code) return undefined;
  const el = h('span', { class: 'occ' }, fallback ? `${fallback} (${code})` : code);
  occupationInfo(code).then((o) => { const ti = occTitle(o); if (ti) el.textContent = `${ti} (${code})`; });
  return el;
}

// The facts of a vacancy (only those present).
export function vacancyFacts(v) {
  return dl([
    [t('jobs.f.employer'), v.employer ? [employerName(v.employer), v.employer.verified ? [' ', h('span', { class: 'badge jobs-verified' }, t('jobs.employer.verified'))] : null] : undefined],
    [t('jobs.f.occupation'), occupation(v.occupation, v.occupation_title)],
    [t('jobs.f.region'), regionName(v.region)],
    [t('jobs.f.address'), v.address],
    [t('jobs.f.pay'), pay(v)],
    [t('jobs.f.hours'), v.hours_per_week ? t('unit.hours_per_week', { n: v.hours_per_week }) : undefined],
    [t('jobs.f.days'), v.days_per_week ? t('jobs.unit.days_per_week', { n: v.days_per_week }) : undefined],
    [t('jobs.f.contract'), contractName(v.contract)],
    [t('jobs.f.openings'), v.openings ? t('jobs.unit.people', { n: v.openings }) : undefined],
    [t('jobs.f.education'), vacEduName(v.education)],
    [t('jobs.f.experience'), v.experience_years ? t('jobs.unit.years', { n: v.experience_years }) : undefined],
    [t('jobs.f.skills'), (v.skills || []).join(', ')],
    [t('jobs.f.languages'), (v.languages || []).join(', ')],
    [t('jobs.f.closing'), fmtDate(v.closing_date)],
    [t('jobs.f.contact'), v.contact ? [tOr('jobs.contact.' + v.contact.method, v.contact.method), v.contact.value ? ': ' + v.contact.value : ''] : undefined],
    [t('jobs.f.published'), v.published_at ? fmtDate(v.published_at) : undefined],
  ]);
}

// Vetting reasons in plain words: the code's message, with the API's detail underneath.
export function reasonList(reasons) {
  if (!Array.isArray(reasons) || !reasons.length) return null;
  return h('ul', { class: 'jobs-reasons' }, reasons.map((r) => h('li', { dataset: { code: r.code } },
    h('strong', {}, tOr('jobs.reason.' + r.code, r.code)),
    r.action ? [' ', h('span', { class: 'badge jobs-action-' + r.action }, tOr('jobs.action.' + r.action, r.action))] : null,
    r.detail && !has('jobs.reason.' + r.code) ? h('span', { class: 'muted jobs-detail' }, r.detail) : null)));
}

// ---- recommendation factors -----------------------------------------------------------------

// The API explains each factor in English; these patterns turn its sentences into the language
// shown (docs/MATCHING.md).  Unknown sentences fall back to a description of the value.
const REASON_PATTERNS = [
  [/^no occupation in the profile$/, 'occ_none'],
  [/^(\d+) is unrelated to the occupations sought$/, 'occ_unrelated', ['code']],
  [/^(\d+) is linked to the profile through a crosswalk$/, 'occ_crosswalk', ['code']],
  [/^same occupation \((\d+)\)$/, 'occ_same', ['code']],
  [/^(\d+) is in the same ISCO (minor|sub-major|major) group as (\d+)$/, 'occ_group', ['code', 'level', 'via']],
  [/^(\d+) of (\d+) required skills$/, 'skills_hit', ['hit', 'n']],
  [/^no skills listed$/, 'skills_none'],
  [/^education unknown(; major matches the title)?$/, 'edu_unknown', ['major']],
  [/^meets the education required(; major matches the title)?$/, 'edu_meets', ['major']],
  [/^below the education required(; major matches the title)?$/, 'edu_below', ['major']],
  [/^no experience required$/, 'exp_none'],
  [/^(\d+) of (\d+) years of related experience$/, 'exp_years', ['have', 'need']],
  [/^no region known$/, 'region_unknown'],
  [/^(\S+) is outside the regions sought$/, 'region_outside', ['region']],
  [/^in (\S+)$/, 'region_in', ['region']],
  [/^(\S+) borders (\S+) \(commuting reach\)$/, 'region_border', ['region', 'region2']],
  [/^no salary expectation$/, 'salary_none'],
  [/^pays the expected salary$/, 'salary_ok'],
  [/^pays up to (\d+)% of the expected salary$/, 'salary_part', ['pct']],
  [/^no hours limit$/, 'hours_none'],
  [/^within the weekly hours wanted$/, 'hours_ok'],
  [/^more hours than wanted$/, 'hours_more'],
  [/^no completed training or qualification recorded$/, 'training_none'],
  [/^(\d+) qualifications?, none named by the vacancy$/, 'training_unnamed', ['n']],
  [/^holds (.+), named by the vacancy$/, 'training_named', ['qual']],
];

export function factorReason(f) {
  for (const [re, key, names = []] of REASON_PATTERNS) {
    const m = re.exec(f.reason || '');
    if (!m) continue;
    const vars = {};
    names.forEach((n, i) => { vars[n] = m[i + 1] ?? ''; });
    if ('region' in vars) vars.region = regionName(vars.region);
    if ('region2' in vars) vars.region2 = regionName(vars.region2);
    if ('level' in vars) vars.level = tOr('jobs.why.level.' + vars.level.replace('-', '_'));
    if ('major' in vars) vars.major = vars.major ? t('jobs.why.major_match') : '';
    const msg = 'jobs.why.' + key;
    return t(msg, vars);
  }
  return t('jobs.why.generic', { pct: Math.round((f.value || 0) * 100) });
}

// Score (0-1000) as a percentage with a meter, and the per-factor "why" list.
export function scoreLine(score) {
  const pct = Math.round((score || 0) / 10);
  return h('p', { class: 'jobs-score' },
    h('span', { class: 'jobs-score-label' }, t('jobs.rec.score', { pct })), ' ',
    h('meter', { min: 0, max: 1000, value: score || 0, 'aria-label': t('jobs.rec.score', { pct }) }));
}

export function whyList(factors, headingId) {
  if (!Array.isArray(factors) || !factors.length) return null;
  return h('details', { class: 'jobs-why' },
    h('summary', { id: headingId }, t('jobs.rec.why')),
    h('ul', { class: 'jobs-factors' }, factors.map((f) => h('li', { dataset: { factor: f.factor } },
      h('span', { class: 'jobs-factor-name' }, tOr('jobs.factor.' + f.factor, f.factor)),
      h('span', { class: 'jobs-factor-value' }, t('jobs.rec.factor_value', { pct: Math.round((f.value || 0) * 100) })),
      h('span', { class: 'jobs-factor-reason' }, factorReason(f))))));
}

// ---- applications ---------------------------------------------------------------------------

// The status history of an application from its per-state timestamps.
export function timeline(a) {
  const steps = [
    ['applied', a.applied_at], ['viewed', a.viewed_at], ['interview', a.interview_at], ['offer', a.offer_at],
    [TERMINAL.includes(a.status) ? a.status : null, a.closed_at],
  ].filter(([s, at]) => s && at);
  return h('ol', { class: 'jobs-timeline', 'aria-label': t('jobs.app.history') },
    steps.map(([s, at]) => h('li', {}, h('span', {}, tOr('jobs.app.status.' + s, s)), ' ', h('time', { datetime: at }, fmtDateTime(at)))));
}

// Search parameters in the URL; public data only (no personal data ever goes into a URL).
export const SEARCH_KEYS = ['q', 'occupation', 'region', 'salary_min', 'salary_period', 'hours_max', 'contract', 'education',
  'employer_size', 'posted', 'sort', 'page'];

// "posted within N days" -> the date for posted_since.
export function sinceDate(days) {
  const d = new Date(Date.now() - Number(days) * 86400e3);
  return d.toISOString().slice(0, 10);
}
