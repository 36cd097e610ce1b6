// ei-review.test.mjs - the findings on a claim that wait for a counsellor (web/js/views/ei/staff.js,
// docs/portal/ei.md): the duplicate-benefit finding with its review form, and a payout account whose
// holder is not the claimant's registered name with its confirmation - both at the top of the claim,
// in Korean and English, on a phone-sized screen; after both actions the next payment run pays.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, newPage, startWorld, login, apiOk, settled, nid, noHorizontalOverflow, SEOUL, PW } from './helpers.mjs';

const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
let s, browser, page, token, person, claim;
const PROGRAMMES = [{ programme: 'BLSA-LIVELIHOOD', enrolled_status: 'Active', enrolled: true }];

function payBatch(name) {
  const r = s.cli('ei', 'pay-batch', '--date', day(0), '--out', join(s.dir, name));
  assert.equal(r.status, 0, r.stderr + r.stdout);
}

before(async () => {
  s = await startWorld();
  token = await s.login('kim.counsellor', PW);
  const n = nid('1991-04-05', 2, 811);
  person = await apiOk(s, 'POST', '/api/v1/persons', { national_id: n, family_name: '윤', given_name: '서아', birth_date: '1991-04-05',
    sex: 'female', address: { line: '테스트로 811', postal_code: '06000', region_code: 'KR-11' } }, token);
  await apiOk(s, 'POST', `/api/v1/persons/${person.id}/jobseeker-registration`, { office: SEOUL.code }, token);
  const file = join(s.dir, 'emp.jsonl');
  writeFileSync(file, JSON.stringify({ national_id: n, employer_brn: '123-45-67890', employer_name: '한빛물산', start_date: '2019-03-04',
    end_date: day(-20), daily_contract_hours: 8, monthly_wage: 3000000 }) + '\n');
  s.cliOk('ei', 'import-employment', file);
  // The account is in her name before marriage: not the registered name, so it stays unconfirmed.
  claim = await apiOk(s, 'POST', '/api/v1/claims', { person_id: person.id, separation_reason: 'dismissal', report_date: day(-15),
    bank_account: { bank_code: '088', account_number: '110-234-567890', holder_name: '김서아' } }, token);
  assert.equal(claim.bank_account.status, 'unconfirmed');
  // The IBR's report of another benefit, as the DCI client records it (tests/api/dci_client_dup.test.mjs
  // covers the exchange itself; no IBR runs here).
  s.sql(`UPDATE ei_dup_checks SET status = 'enrolled', partner_id = 'ibr1', programmes = '${JSON.stringify(PROGRAMMES)}'
    WHERE claim_id = '${claim.id}'`);
  await apiOk(s, 'POST', `/api/v1/claims/${claim.id}/rounds/1/override`, { recognized: true, reason: '출석 확인' }, token);
  payBatch('bank-1.csv');
  const pays = await apiOk(s, 'GET', `/api/v1/claims/${claim.id}/payments`, undefined, token);
  assert.deepEqual(pays.held.map((h) => h.reason), ['duplicate_benefit_review']);
  browser = await launch();
  page = await newPage(browser, s, { width: 375, height: 800 });
});
after(async () => {
  await browser?.close();
  await s?.stop();
});

const claimPath = () => `/benefits/${person.id}/claims/${claim.id}`;
const dup = () => page.locator('section.ei-dup');
const bank = () => page.locator('section.ei-bank-account');

test('both findings are shown at the top of the claim, readable on a phone', async () => {
  await login(page, 'kim.counsellor');
  await page.goto(claimPath());
  await settled(page);
  assert.ok(await dup().isVisible());
  const text = await dup().textContent();
  assert.match(text, /중복 수급 확인 결과/);
  assert.match(text, /BLSA-LIVELIHOOD \(Active\)/);
  assert.match(text, /ibr1/);
  assert.equal(await bank().getAttribute('data-status'), 'unconfirmed');
  assert.match(await bank().textContent(), /미확인.*예금주가 등록된 이름과 다릅니다/s);
  // before the rounds, and the held payment names its reason
  const order = await page.locator('main section.card h2').evaluateAll((hs) => hs.map((h) => h.id));
  assert.ok(order.indexOf('sec-dup') < order.indexOf('sec-rounds') && order.indexOf('sec-bank') < order.indexOf('sec-rounds'), order.join());
  assert.match(await page.locator('.ei-held').textContent(), /다른 급여 수급이 확인되어 상담사가 검토 중입니다/);
  const { scroll, client } = await noHorizontalOverflow(page);
  assert.ok(scroll <= client, `no horizontal scrolling at 375 px (${scroll} > ${client})`);
  // the same in English
  await page.locator('#menu-toggle').click();
  await page.locator('#lang-toggle').click();
  await dup().locator('h2', { hasText: 'Duplicate benefit finding' }).waitFor();
  assert.match(await bank().textContent(), /Not confirmed.*The account holder is not the registered name/s);
  assert.match(await dup().locator('select[name=outcome]').textContent(), /No conflict \(release the payments\)/);
  await page.locator('#menu-toggle').click();
  await page.locator('#lang-toggle').click();
  await dup().locator('h2', { hasText: '중복 수급 확인 결과' }).waitFor();
  assert.deepEqual(page.problems, []);
});

test('the counsellor reviews the finding: a reason is required, then no conflict is recorded', async () => {
  const form = dup().locator('form.ei-dup-review');
  await form.locator('select[name=outcome]').selectOption('no_conflict');
  await form.locator('button[type=submit]').click();
  await form.locator('textarea[name=reason][aria-invalid=true]').waitFor();
  assert.equal((await apiOk(s, 'GET', `/api/v1/claims/${claim.id}`, undefined, token)).review_required, true, 'nothing sent');
  await form.locator('textarea[name=reason]').fill('생계급여는 지난달 종료 (주민센터 확인)');
  const [req] = await Promise.all([
    page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/duplicate-benefit-review')),
    form.locator('button[type=submit]').click(),
  ]);
  assert.deepEqual(JSON.parse(req.postData()), { outcome: 'no_conflict', reason: '생계급여는 지난달 종료 (주민센터 확인)' });
  await page.getByText('검토 결과를 저장했습니다: 중복 아님').waitFor();
  await settled(page);
  assert.equal(await dup().getAttribute('data-review'), 'no_conflict');
  assert.match(await dup().textContent(), /검토 완료: 다른 급여와 충돌하지 않습니다.*생계급여는 지난달 종료/s);
  assert.equal(await dup().locator('form').count(), 0, 'reviewed once');
  const c = await apiOk(s, 'GET', `/api/v1/claims/${claim.id}`, undefined, token);
  assert.equal(c.duplicate_benefit.review.outcome, 'no_conflict');
  assert.deepEqual(page.problems, []);
});

test('the counsellor confirms the account holder; the next payment run pays what was held', async () => {
  payBatch('bank-2.csv'); // the review cleared: now held for the account
  await page.reload();
  await settled(page);
  assert.match(await page.locator('.ei-held').textContent(), /수령 계좌가 본인 명의로 확인되지 않았습니다/);
  const form = bank().locator('form.ei-bank-confirm');
  await form.locator('button[type=submit]').click();
  await form.locator('textarea[name=reason][aria-invalid=true]').waitFor();
  await form.locator('textarea[name=reason]').fill('혼인 전 이름의 통장 사본과 가족관계증명서 확인');
  const [req] = await Promise.all([
    page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/bank-account/confirm')),
    form.locator('button[type=submit]').click(),
  ]);
  assert.deepEqual(JSON.parse(req.postData()), { reason: '혼인 전 이름의 통장 사본과 가족관계증명서 확인', version: 1 });
  await page.getByText('예금주를 확인했습니다').waitFor();
  await settled(page);
  assert.equal(await bank().getAttribute('data-status'), 'confirmed');
  assert.match(await bank().textContent(), /확인됨.*혼인 전 이름의 통장 사본/s);
  assert.equal(await bank().locator('form.ei-bank-confirm').count(), 0);
  payBatch('bank-3.csv');
  const pays = await apiOk(s, 'GET', `/api/v1/claims/${claim.id}/payments`, undefined, token);
  assert.deepEqual(pays.items.map((p) => [p.round, p.status]), [[1, 'paid']]);
  assert.equal(pays.held.length, 0);
  await page.reload();
  await settled(page);
  assert.equal(await page.locator('table.ei-payments tbody tr').count(), 1);
  assert.equal(await page.locator('.ei-held').count(), 0);
  assert.deepEqual(page.problems, []);
});
