// ei.test.mjs - the citizen's unemployment benefit pages (web/js/views/ei, docs/portal/ei.md):
// a citizen with an imported insured history applies (a wrong separation date is shown on its
// field), sees the decision with the daily amount and duration, the recognition rounds, records
// job-search activities in the diary, and sees the payments once the payment batch has run; a
// rejected claim shows its reasons in Korean and English; the pages fit a 375 px screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, newPage, startWorld, login, makeCitizen, apiOk, settled, nid, noHorizontalOverflow, SEOUL, PW } from './helpers.mjs';

const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
const digits = (s) => Number(String(s).replace(/[^0-9]/g, ''));

let s, browser, page;
const who = {};

// One insured job per person, ending 70 days ago (docs/EI.md: openpes ei import-employment).
function importHistory(rows) {
  const file = join(s.dir, `emp-${Object.keys(who).length}.jsonl`);
  writeFileSync(file, rows.map((r) => JSON.stringify({
    employer_brn: '123-45-67890', employer_name: '한빛물산', start_date: '2022-01-03', end_date: day(-70),
    daily_contract_hours: 8, monthly_wage: 3000000, ...r,
  })).join('\n') + '\n');
  s.cliOk('ei', 'import-employment', file);
}

before(async () => {
  s = await startWorld();
  const person = (family, given, birth, g, n) => ({
    national_id: nid(birth, g, n), family_name: family, given_name: given, birth_date: birth, sex: g % 2 ? 'male' : 'female',
    address: { line: '테헤란로 1', postal_code: '06236', region_code: 'KR-11' },
  });
  who.ahn = { ...(await makeCitizen(s, { username: 'ahn.citizen', display_name: '안지호', office: SEOUL.code, person: person('안', '지호', '1988-03-04', 1, 501) })), nid: nid('1988-03-04', 1, 501) };
  who.bae = { ...(await makeCitizen(s, { username: 'bae.citizen', display_name: '배수아', office: SEOUL.code, person: person('배', '수아', '1991-06-07', 2, 502) })), nid: nid('1991-06-07', 2, 502) };
  importHistory([{ national_id: who.ahn.nid }, { national_id: who.bae.nid, monthly_wage: 2600000 }]);
  browser = await launch();
  page = await newPage(browser, s);
});
after(async () => {
  await browser?.close();
  await s?.stop();
});

const main = () => page.locator('main');

test('the citizen menu has the benefit page; it explains there is no claim yet', async () => {
  await login(page, 'ahn.citizen');
  await page.locator('#site-nav a', { hasText: '구직급여' }).click();
  await page.waitForURL('**/me/benefits');
  await settled(page, '구직급여');
  assert.equal(await page.locator('#site-nav a[aria-current=page]').textContent(), '구직급여');
  assert.match(await main().textContent(), /아직 신청한 구직급여가 없습니다/);
  assert.ok(await page.locator('form.ei-apply').isVisible());
  // The justified-reason choice appears only with "left voluntarily with a justified reason".
  assert.ok(!(await page.locator('select[name=justified_reason]').isVisible()));
  await page.locator('select[name=separation_reason]').selectOption('voluntary_quit_justified');
  assert.ok(await page.locator('select[name=justified_reason]').isVisible());
});

test('apply: a separation date with no insured job ending on it is shown on that field', async () => {
  await page.locator('select[name=separation_reason]').selectOption('dismissal');
  await page.locator('input[name=separation_date]').fill(day(-60));
  await page.locator('input[name=report_date]').fill(day(-65));
  // The payout account: an account number with letters is refused on that field.
  await page.locator('select[name="bank_account.bank_code"]').selectOption('088');
  await page.locator('input[name="bank_account.account_number"]').fill('110-ABC-567890');
  await page.locator('input[name="bank_account.holder_name"]').fill('안지호');
  await page.locator('form.ei-apply button[type=submit]').click();
  await page.locator('input[name="bank_account.account_number"][aria-invalid=true]').waitFor();
  await page.locator('input[name="bank_account.account_number"]').fill('110-234-567890');
  const [req] = await Promise.all([
    page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/v1/claims')),
    page.locator('form.ei-apply button[type=submit]').click(),
  ]);
  assert.deepEqual(JSON.parse(req.postData()), { separation_reason: 'dismissal', separation_date: day(-60), report_date: day(-65),
    bank_account: { bank_code: '088', account_number: '110-234-567890', holder_name: '안지호' } });
  const sep = page.locator('input[name=separation_date]');
  await page.locator('input[name=separation_date][aria-invalid=true]').waitFor();
  const errId = (await sep.getAttribute('aria-describedby')).split(' ').find((x) => x.endsWith('-err'));
  assert.equal(await page.locator('#' + errId).textContent(), '이직일은 신고일보다 앞서야 합니다.');
  assert.equal(await page.evaluate(() => document.activeElement.name), 'separation_date');
  // A date no job ends on: the API names the field again, in our words with the date.
  await sep.fill(day(-75));
  await page.locator('form.ei-apply button[type=submit]').click();
  await page.locator('#' + errId).filter({ hasText: '고용보험 이력에' }).waitFor();
  assert.match(await page.locator('#' + errId).textContent(), /끝난 근무가 없습니다/);
  assert.equal(await page.locator('main [role=alert] .notice-title').first().textContent(), '표시된 항목을 확인해 주세요.');
});

let claim;
test('apply: the decision shows the daily amount, duration, benefit window and the rounds', async () => {
  await page.locator('input[name=separation_date]').fill('');
  await page.locator('form.ei-apply button[type=submit]').click();
  await page.waitForURL(/\/me\/benefits\/[0-9a-f-]{36}$/);
  await settled(page);
  await page.getByText('신청이 접수되어 수급자격이 인정되었습니다.').waitFor();
  claim = await apiOk(s, 'GET', `/api/v1/claims/${page.url().split('/').pop()}`, undefined, who.ahn.token);
  assert.equal(claim.status, 'active');
  assert.equal(claim.separation_date, day(-70), 'the separation date came from the insured history');
  assert.ok(claim.daily_amount > 0 && claim.payable_days > 0);
  const facts = await page.locator('.ei-claim-facts').textContent();
  assert.match(facts, /지급 중/);
  assert.match(facts, /해고/);
  const amount = await page.locator('.ei-claim-facts div', { hasText: '구직급여 일액' }).locator('dd').textContent();
  assert.equal(digits(amount), claim.daily_amount);
  assert.match(amount, /원$/);
  const dur = await page.locator('.ei-claim-facts div', { hasText: '소정급여일수' }).locator('dd').textContent();
  assert.equal(dur, `${claim.payable_days}일`);
  assert.match(facts, /수급기간/);
  assert.match(facts, /구직등록 기한/);
  assert.equal(await page.locator('main h1').count(), 1);
  // The payout account, masked.
  const bank = await page.locator('section.ei-bank-account').textContent();
  assert.match(bank, /신한은행 \(088\)/);
  assert.match(bank, /\*{8}7890/);
  assert.ok(!bank.includes('110-234-567890') && !bank.includes('110234567890'));
  // Rounds: due dates from the API, round 3 is the current one.
  const rows = page.locator('table.ei-rounds tbody tr');
  assert.equal(await rows.count(), claim.rounds.length);
  const first = await rows.nth(0).textContent();
  assert.match(first, /1차/);
  assert.match(first, /예정/);
  const current = page.locator('table.ei-rounds tr.ei-current');
  assert.equal(await current.getAttribute('data-round'), '3');
  assert.match(await current.textContent(), /현재/);
  // Past rounds, the current one and the next are shown; the rest fold behind a button.
  assert.equal(await page.locator('table.ei-rounds tbody tr:visible').count(), 4);
  const more = page.locator('button.ei-more');
  assert.equal(await more.textContent(), `나머지 ${claim.rounds.length - 4}회차 보기`);
  await more.click();
  assert.equal(await page.locator('table.ei-rounds tbody tr:visible').count(), claim.rounds.length);
  assert.match(await rows.last().textContent(), new RegExp(`${claim.rounds.length}차`));
  // The facts behind the decision.
  await page.locator('details.ei-facts summary').click();
  assert.match(await page.locator('details.ei-facts').textContent(), new RegExp(`${claim.decision.facts.insured_unit_days}일`));
  // The list page shows the claim and no second application form.
  await page.getByRole('link', { name: '내 구직급여' }).click();
  await settled(page, '구직급여');
  assert.equal(await page.locator('ul.ei-claims > li').count(), 1);
  assert.equal(await page.locator('form.ei-apply').count(), 0);
  assert.match(await main().textContent(), /진행 중인 수급자격이 있어/);
  await page.locator('ul.ei-claims a').click();
  await settled(page);
});

test('the job-search diary: add activities (a future date is refused on the field), list them by round', async () => {
  assert.match(await page.locator('.ei-current-round').textContent(), /현재 3차.*이 회차 기록 0건/);
  assert.match(await page.locator('#sec-diary').locator('..').textContent(), /아직 기록한 구직활동이 없습니다/);
  const form = page.locator('form.ei-activity-form');
  // The browser's max is today; a typed future date still reaches the API, which names the field.
  await form.locator('input[name=date]').evaluate((el) => el.removeAttribute('max'));
  await form.locator('input[name=date]').fill(day(3));
  await form.locator('select[name=type]').selectOption('application');
  await form.locator('button[type=submit]').click();
  await form.locator('input[name=date][aria-invalid=true]').waitFor();
  assert.match(await form.textContent(), /미래의 날짜는 입력할 수 없습니다/);

  await form.locator('input[name=date]').fill(day(-40));
  await form.locator('select[name=type]').selectOption('application');
  await form.locator('textarea[name=note]').fill('한빛물산 영업관리 지원');
  await form.locator('button[type=submit]').click();
  await page.getByText('구직활동을 기록했습니다.').waitFor();
  await settled(page);
  const f2 = page.locator('form.ei-activity-form');
  await f2.locator('select[name=type]').selectOption('interview');
  await f2.locator('button[type=submit]').click();
  await page.getByText('구직활동을 기록했습니다.').waitFor();
  await page.locator('table.ei-diary tbody tr').nth(1).waitFor();
  const rows = await page.locator('table.ei-diary tbody tr').allTextContents();
  assert.equal(rows.length, 2);
  assert.match(rows[0], /면접.*3차/); // today, newest first
  assert.match(rows[1], /입사 지원.*한빛물산 영업관리 지원.*2차/);
  assert.match(await page.locator('.ei-current-round').textContent(), /이 회차 기록 1건/);
  const diary = await apiOk(s, 'GET', `/api/v1/claims/${claim.id}/activities`, undefined, who.ahn.token);
  assert.deepEqual(diary.items.map((a) => [a.date, a.type]).sort(), [[day(-40), 'application'], [day(0), 'interview']].sort());
  assert.match(await page.locator('#sec-pay').locator('..').textContent(), /아직 지급된 구직급여가 없습니다/);
});

test('after the payment batch the citizen sees the payments and the recognised rounds', async () => {
  const out = join(s.dir, 'bank.csv');
  const r = s.cli('ei', 'pay-batch', '--date', day(0), '--out', out);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const pays = await apiOk(s, 'GET', `/api/v1/claims/${claim.id}/payments`, undefined, who.ahn.token);
  assert.equal(pays.items.length, 2, JSON.stringify(pays));
  await page.reload();
  await settled(page);
  const rows = page.locator('table.ei-payments tbody tr');
  assert.equal(await rows.count(), 2);
  for (let i = 0; i < 2; i++) {
    const p = pays.items[i];
    const txt = await rows.nth(i).textContent();
    assert.match(txt, new RegExp(`${p.round}차`));
    assert.match(txt, new RegExp(`${p.days}일`));
    assert.equal(digits(await rows.nth(i).locator('.ei-amount').textContent()), p.amount);
    assert.equal(p.amount, p.days * claim.daily_amount);
  }
  const total = pays.items.reduce((a, p) => a + p.amount, 0);
  assert.equal(digits((await page.locator('.ei-pay-total').textContent()).split('(')[0]), total);
  // Rounds 1 and 2 are now recognised; days paid are on the decision.
  const rounds = await page.locator('table.ei-rounds tbody tr').allTextContents();
  assert.match(rounds[0], /인정/);
  assert.match(rounds[1], /인정/);
  assert.doesNotMatch(rounds[1], /불인정/);
  const paid = await page.locator('.ei-claim-facts div', { hasText: '지급된 일수' }).locator('dd').textContent();
  assert.equal(paid, `${pays.items.reduce((a, p) => a + p.days, 0)}일`);
  assert.deepEqual(page.problems, []);
});

test('a new job puts the claim on hold and shows the early re-employment allowance', async () => {
  const kim = await s.login('kim.counsellor', PW);
  const reg = await apiOk(s, 'POST', '/api/v1/insurance/registrations',
    { national_id: who.ahn.nid, employer_brn: '555-66-77777', employer_name: '새빛전자', start_date: day(-2) }, kim);
  assert.equal(reg.claim_status, 'suspended');
  await page.reload();
  await settled(page);
  assert.match(await page.locator('.ei-claim-facts').textContent(), /지급 정지/);
  assert.match(await main().textContent(), /취업이 확인되어 지급이 정지되었습니다/);
  const c = await apiOk(s, 'GET', `/api/v1/claims/${claim.id}`, undefined, who.ahn.token);
  assert.equal(c.early_reemployment?.status, 'pending', JSON.stringify(c.early_reemployment));
  const card = page.locator('section.ei-reemploy');
  const txt = await card.textContent();
  assert.match(txt, /조기재취업수당.*근무 기간 확인 중/s);
  assert.equal(digits(await card.locator('div', { hasText: '수당 금액' }).locator('dd').textContent()), c.early_reemployment.amount);
  assert.ok(c.early_reemployment.amount > 0);
  assert.match(await card.locator('div', { hasText: '재취업일' }).locator('dd').textContent(), /\d/);
  assert.match(txt, /지급 예정일/);
  // The diary stays open while the claim is on hold.
  assert.equal(await page.locator('form.ei-activity-form').count(), 1);
  assert.deepEqual(page.problems, []);
});

test('a rejected claim shows its reasons, in Korean and in English', async () => {
  await page.context().clearCookies();
  await login(page, 'bae.citizen');
  await page.goto('/me/benefits');
  await settled(page, '구직급여');
  await page.locator('select[name=separation_reason]').selectOption('voluntary_quit');
  await page.locator('input[name=report_date]').fill(day(-60));
  await page.locator('select[name="bank_account.bank_code"]').selectOption('090');
  await page.locator('input[name="bank_account.account_number"]').fill('3333-01-2345678');
  await page.locator('input[name="bank_account.holder_name"]').fill('배수민');
  await page.locator('form.ei-apply button[type=submit]').click();
  await page.waitForURL(/\/me\/benefits\/[0-9a-f-]{36}$/);
  await settled(page);
  await page.getByText('수급자격이 인정되지 않았습니다').first().waitFor();
  const box = page.locator('.ei-rejected');
  assert.match(await box.textContent(), /수급자격이 인정되지 않은 사유/);
  assert.match(await box.textContent(), /이직 사유가 수급자격 제한 사유입니다/);
  assert.equal(await box.locator('li').first().getAttribute('data-code'), 'disqualifying_separation');
  assert.match(await page.locator('.ei-claim-facts').textContent(), /불인정/);
  // No amount, rounds or diary for a rejected claim.
  assert.equal(await page.locator('.ei-claim-facts div', { hasText: '구직급여 일액' }).count(), 0);
  assert.equal(await page.locator('table.ei-rounds').count(), 0);
  assert.equal(await page.locator('form.ei-activity-form').count(), 0);

  await page.locator('#lang-toggle').click();
  await page.locator('main h1', { hasText: 'Claim reported on' }).waitFor();
  const en = await page.locator('.ei-rejected').textContent();
  assert.match(en, /Why the benefit was not granted/);
  assert.match(en, /The reason the job ended rules out the benefit/);
  assert.match(await page.locator('.ei-claim-facts').textContent(), /Not granted.*Left voluntarily/s);
  const hangul = await page.evaluate(() => document.querySelector('main').innerText.split(/\s+/).filter((w) => /[가-힣]/.test(w)));
  assert.deepEqual(hangul, [], 'no Korean UI text on the English page');
  assert.equal(await page.locator('#site-nav a', { hasText: 'Unemployment benefit' }).count(), 1);
  // Back in Korean for the next tests.
  await page.locator('#lang-toggle').click();
  await page.locator('main h1', { hasText: '신고 수급자격' }).waitFor();
  assert.deepEqual(page.problems, []);
});

test('at 375 px the benefit pages do not scroll sideways and keep 44 px tap targets', async () => {
  const phone = await newPage(browser, s, { width: 375, height: 740 });
  await login(phone, 'ahn.citizen');
  for (const path of ['/me/benefits', `/me/benefits/${claim.id}`]) {
    await phone.goto(path);
    await settled(phone);
    const { scroll } = await noHorizontalOverflow(phone);
    assert.ok(scroll <= 375, `${path}: scrollWidth ${scroll} > 375`);
    const small = await phone.evaluate(() => [...document.querySelectorAll('main button, main select, main input, main textarea, main .btn, main summary')]
      .filter((el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 && r.height < 44; })
      .map((el) => `${el.tagName}.${el.name || el.className}`));
    assert.deepEqual(small, [], `${path}: tap targets under 44 px`);
    const unlabelled = await phone.evaluate(() => [...document.querySelectorAll('main input, main select, main textarea')]
      .filter((el) => !el.labels?.length).map((el) => el.name));
    assert.deepEqual(unlabelled, []);
    assert.equal(await phone.locator('h1').count(), 1);
    await phone.screenshot({ path: `/tmp/openpes-portal-ei${path === '/me/benefits' ? '' : '-claim'}.png`, fullPage: true });
  }
  // Tables are cards on a phone: each cell says what it is.
  const label = await phone.locator('table.ei-payments tbody td').first().evaluate((td) => getComputedStyle(td, '::before').content);
  assert.equal(label, '"회차"');
  assert.deepEqual(phone.problems, []);
  await phone.context().close();
});
