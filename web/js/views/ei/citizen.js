// views/ei/citizen.js - a citizen's unemployment benefit (구직급여): my claims and applying
// (/me/benefits), one claim with its rounds, job-search diary, payments and sanctions
// (/me/benefits/<claim id>).
import { h } from '../../dom.js';
import { t } from '../../i18n.js';
import { api, ApiError } from '../../api.js';
import { page, loading, navigate } from '../../app.js';
import {
  claimCard, claimFacts, claimTitle, decisionFacts, roundsTable, diarySection, paymentsSection, sanctionsSection,
  claimForm, loadClaim, reemploymentCard, bankSection, partOrError, setFlash, takeFlash, errorNotice,
} from './common.js';

const open = (c) => c.status === 'active' || c.status === 'suspended';

export async function myBenefits(ctx) {
  page(ctx, t('ei.me.title'), loading());
  const r = await api('GET', '/me/claims');
  if (!ctx.current()) return;
  const claims = r.items || [];
  const hasOpen = claims.some(open);
  const parts = [
    takeFlash(),
    h('p', { class: 'lead' }, t('ei.me.intro')),
    h('section', { 'aria-labelledby': 'sec-claims' },
      h('h2', { id: 'sec-claims' }, t('ei.me.claims')),
      claims.length
        ? h('ul', { class: 'results ei-claims' }, claims.map((c) => claimCard(c, '/me/benefits/' + encodeURIComponent(c.id))))
        : h('p', { class: 'empty' }, t('ei.me.none'))),
  ];
  if (hasOpen) {
    parts.push(h('p', { class: 'aside' }, t('ei.me.one_open')));
    return page(ctx, t('ei.me.title'), parts);
  }
  const form = await claimForm({
    onFiled: (c) => {
      setFlash(t(c.status === 'rejected' ? 'ei.apply.filed_rejected' : 'ei.apply.filed'));
      navigate('/me/benefits/' + encodeURIComponent(c.id));
    },
  });
  if (!ctx.current()) return;
  parts.push(h('section', { class: 'card', 'aria-labelledby': 'sec-apply' },
    h('h2', { id: 'sec-apply' }, t('ei.apply.title')),
    h('p', {}, t('ei.apply.intro')),
    form));
  page(ctx, t('ei.me.title'), parts);
}

export async function myClaim(ctx) {
  const id = decodeURIComponent(ctx.params[0]);
  page(ctx, t('ei.claim.title'), loading());
  let data;
  try {
    data = await loadClaim(id);
  } catch (err) {
    if (!ctx.current()) return;
    if (err instanceof ApiError && (err.status === 404 || err.status === 403)) {
      return page(ctx, t('ei.claim.title'), errorNotice(err, 'ei.err.not_yours'), back());
    }
    throw err;
  }
  if (!ctx.current()) return;
  const { claim: c, activities, payments } = data;
  const reload = (msg) => { setFlash(msg); navigate(location.pathname, { replace: true }); };
  const eligible = c.status !== 'rejected';
  page(ctx, claimTitle(c),
    back(),
    takeFlash(),
    h('section', { class: 'card', 'aria-labelledby': 'sec-decision' },
      h('h2', { id: 'sec-decision' }, t('ei.claim.decision')),
      claimFacts(c)),
    decisionFacts(c),
    reemploymentCard(c),
    eligible ? h('section', { class: 'card', 'aria-labelledby': 'sec-rounds' },
      h('h2', { id: 'sec-rounds' }, t('ei.rounds.title')),
      h('p', { class: 'hint' }, t('ei.rounds.intro')),
      roundsTable(c)) : null,
    eligible ? partOrError(activities, (items) => diarySection(c, items, reload)) : null,
    eligible ? partOrError(payments, (items, rec, held) => paymentsSection(items, rec, held)) : null,
    eligible ? bankSection(c, reload) : null,
    eligible ? sanctionsSection(c, 'citizen', reload) : null);
}

const back = () => h('p', { class: 'back' }, h('a', { href: '/me/benefits' }, '← ', t('ei.me.back')));
