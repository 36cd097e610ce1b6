// ei-staff.test.mjs - counsellors' and supervisors' unemployment benefit pages
// (web/js/views/ei/staff.js, docs/portal/ei.md): look a person up by id, see the insured history,
// file a claim for the person, evaluate and override rounds, record an activity, propose a
// sanction (counsellor), approve it (another supervisor), refuse a supervisor deciding their own
// proposal, appeal and revoke; a person held by another office is refused; 375 px fit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, newPage, startWorld, login, logout, apiOk, settled, nid, noHorizontalOverflow, SEOUL, BUSAN, PW } from './helpers.mjs';

const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
const digits = (s) => Number(String(s).replace(/[^0-9]/g, ''));

let s, browser, page, claimId;
const ppl = {};

function person(family, given, birth, g, n, region) {
  return {
    national_id: nid(birth, g, n), family_name: family, given_name: given, birth_date: birth, sex: g % 2 ? 'male' : 'female',
    address: { line: '테스트로 ' + n, postal_code: region === 'KR-11' ? '06000' : '48000', region_code: region },
  };
}

before(async () => {
  s = await startWorld();
  for (const [u, name] of [['han.supervisor', '한관리'], ['seo.supervisor', '서관리']]) {
    s.cliOk('user', 'add', '--username', u, '--password', PW, '--kind', 'staff', '--role', 'supervisor', '--office', SEOUL.code, '--name', name);
  }
  const seoul = await s.login('kim.counsellor', PW);
  const busan = await s.login('park.counsellor', PW);
  ppl.choi = await apiOk(s, 'POST', '/api/v1/persons', person('최', '민수', '1984-02-03', 1, 601, 'KR-11'), seoul);
  await apiOk(s, 'POST', `/api/v1/persons/${ppl.choi.id}/jobseeker-registration`, { office: SEOUL.code }, seoul);
  ppl.jung = await apiOk(s, 'POST', '/api/v1/persons', person('정', '하늘', '1990-09-09', 2, 602, 'KR-26'), busan);
  await apiOk(s, 'POST', `/api/v1/persons/${ppl.jung.id}/jobseeker-registration`, { office: BUSAN.code }, busan);
  const file = join(s.dir, 'emp.jsonl');
  writeFileSync(file, [
    { national_id: nid('1984-02-03', 1, 601), employer_brn: '123-45-67890', employer_name: '한빛물산', start_date: '2021-03-02', end_date: day(-70), daily_contract_hours: 8, monthly_wage: 3100000 },
    { national_id: nid('1984-02-03', 1, 601), employer_brn: '222-33-44444', employer_name: '누리상사', start_date: '2018-01-02', end_date: '2021-02-26', daily_contract_hours: 6, monthly_wage: 2400000, insurance_type: 'regular' },
    { national_id: nid('1990-09-09', 2, 602), employer_brn: '123-45-67890', start_date: '2021-03-02', end_date: day(-70), monthly_wage: 2800000 },
  ].map((r) => JSON.stringify(r)).join('\n') + '\n');
  s.cliOk('ei', 'import-employment', file);
  browser = await launch();
  page = await newPage(browser, s);
});
after(async () => {
  await browser?.close();
  await s?.stop();
});

const main = () => page.locator('main');
const claimPath = () => `/benefits/${ppl.choi.id}/claims/${claimId}`;

test('the counsellor opens a person\'s benefit page by id and sees the insured history', async () => {
  await login(page, 'kim.counsellor');
  await page.locator('#site-nav a', { hasText: '구직급여 조회' }).click();
  await settled(page, '구직급여 조회');
  await page.locator('input[name=person_id]').fill('not-an-id');
  await page.locator('main button[type=submit]').click();
  await page.locator('input[name=person_id][aria-invalid=true]').waitFor();
  assert.match(await main().textContent(), /대상자 ID 형식이 아닙니다/);
  await page.locator('input[name=person_id]').fill(ppl.choi.id);
  await page.locator('main button[type=submit]').click();
  await page.waitForURL(`**/benefits/${ppl.choi.id}`);
  await settled(page, '최민수 · 구직급여');
  assert.match(await main().textContent(), /신청한 구직급여가 없습니다/);
  const emp = page.locator('table.ei-employment tbody tr');
  assert.equal(await emp.count(), 2);
  const latest = await emp.nth(0).textContent();
  assert.match(latest, /한빛물산/);
  assert.match(latest, /123-45-67890/);
  assert.match(latest, /3,100,000원/);
  assert.match(latest, /8시간/);
  assert.match(await emp.nth(1).textContent(), /누리상사.*상용/s);
  assert.equal(await page.getByRole('link', { name: '대상자 정보 보기' }).getAttribute('href'), `/persons/${ppl.choi.id}`);
});

test('the counsellor files a claim for the person and sees the decision and rounds', async () => {
  await page.locator('details.ei-file summary').click();
  await page.locator('select[name=separation_reason]').selectOption('contract_expiry');
  await page.locator('input[name=report_date]').fill(day(-65));
  await page.locator('select[name="bank_account.bank_code"]').selectOption('004');
  await page.locator('input[name="bank_account.account_number"]').fill('123456-01-234567');
  await page.locator('input[name="bank_account.holder_name"]').fill('최민수');
  const [req] = await Promise.all([
    page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/api/v1/claims')),
    page.locator('form.ei-apply button[type=submit]').click(),
  ]);
  assert.deepEqual(JSON.parse(req.postData()), { person_id: ppl.choi.id, separation_reason: 'contract_expiry', report_date: day(-65),
    bank_account: { bank_code: '004', account_number: '123456-01-234567', holder_name: '최민수' } });
  await page.waitForURL(new RegExp(`/benefits/${ppl.choi.id}/claims/[0-9a-f-]{36}$`));
  await settled(page);
  claimId = page.url().split('/').pop();
  const token = await s.login('kim.counsellor', PW);
  const c = await apiOk(s, 'GET', `/api/v1/claims/${claimId}`, undefined, token);
  assert.equal(c.status, 'active');
  assert.match(await main().textContent(), /신청이 접수되어 수급자격이 인정되었습니다/);
  assert.equal(digits(await page.locator('.ei-claim-facts div', { hasText: '구직급여 일액' }).locator('dd').textContent()), c.daily_amount);
  assert.equal(await page.locator('.ei-claim-facts div', { hasText: '소정급여일수' }).locator('dd').textContent(), `${c.payable_days}일`);
  assert.match(await page.locator('.ei-claim-facts').textContent(), /계약기간 만료/);
  // Rounds 1 and 2 are past their recognition day: both can be evaluated.
  assert.deepEqual(await page.locator('form.ei-evaluate').evaluateAll((fs) => fs.map((f) => f.dataset.round)), ['1', '2']);
  // The person's page lists the claim now and offers no second filing.
  await page.getByRole('link', { name: '대상자의 구직급여' }).click();
  await settled(page, '최민수 · 구직급여');
  assert.equal(await page.locator('ul.ei-claims > li').count(), 1);
  assert.match(await page.locator('ul.ei-claims').textContent(), /지급 중/);
  assert.equal(await page.locator('details.ei-file').count(), 0);
  await page.locator('ul.ei-claims a').click();
  await settled(page);
});

test('rounds: the counsellor records an activity, evaluates round 1 and overrides round 2 with a reason', async () => {
  const diary = page.locator('form.ei-activity-form');
  await diary.locator('input[name=date]').fill(day(-45));
  await diary.locator('select[name=type]').selectOption('counselling');
  await diary.locator('button[type=submit]').click();
  await page.getByText('구직활동을 기록했습니다.').waitFor();
  await settled(page);
  assert.match(await page.locator('table.ei-diary tbody tr').first().textContent(), /취업 상담.*2차/);

  await page.locator('form.ei-evaluate[data-round="1"] button').click();
  await page.getByText('1차 실업이 인정되었습니다.').waitFor();
  await settled(page);
  assert.match(await page.locator('table.ei-rounds tr[data-round="1"]').textContent(), /인정/);
  assert.equal(await page.locator('form.ei-evaluate').count(), 1);

  await page.locator('summary', { hasText: '실업인정 결과 직접 결정' }).click();
  const ov = page.locator('form.ei-override');
  await ov.locator('select[name=round]').selectOption('2');
  await ov.locator('select[name=recognized]').selectOption('false');
  await ov.locator('button[type=submit]').click();
  await ov.locator('textarea[name=reason][aria-invalid=true]').waitFor(); // the reason is required
  await ov.locator('textarea[name=reason]').fill('실업인정일 미출석');
  await ov.locator('button[type=submit]').click();
  await page.getByText('2차 결과를 저장했습니다.').waitFor();
  await settled(page);
  const r2 = await page.locator('table.ei-rounds tr[data-round="2"]').textContent();
  assert.match(r2, /불인정/);
  assert.match(r2, /담당자 판단 사유: 실업인정일 미출석/);
  assert.deepEqual(page.problems, []);
});

test('sanctions: the counsellor proposes; the decision is left to a supervisor', async () => {
  const f = page.locator('form.ei-propose');
  await f.locator('select[name=type]').selectOption('refusal_job');
  await f.locator('input[name=date]').fill(day(-30));
  await f.locator('textarea[name=reason]').fill('적합한 일자리 제안을 거부');
  await f.locator('button[type=submit]').click();
  await page.getByText('급여 제한을 제안했습니다 (지급 정지 14일)').waitFor();
  await settled(page);
  const item = page.locator('article.ei-sanction');
  assert.equal(await item.count(), 1);
  assert.match(await item.textContent(), /정당한 사유 없는 취업 거부.*승인 대기/s);
  assert.match(await item.textContent(), /14일/);
  assert.equal(await item.locator('form').count(), 0, 'no decision form for a counsellor');
  assert.match(await item.textContent(), /관리자\(제안자 외\)가 결정합니다/);
  await logout(page);
});

test('the office work lists show the sanction waiting for a supervisor and link to the claim', async () => {
  await login(page, 'seo.supervisor');
  await page.goto('/benefits');
  await settled(page);
  const list = page.locator('section[aria-labelledby=q-sanctions]');
  await list.waitFor();
  assert.match(await list.textContent(), /최 민수.*승인 대기/s);
  await list.locator('a', { hasText: '최 민수' }).click();
  await page.waitForURL((u) => u.pathname === claimPath());
  await settled(page);
  assert.equal(await page.locator('article.ei-sanction').count(), 1);
  await logout(page);
});

test('a supervisor approves it; deciding their own proposal is refused with a clear message', async () => {
  await login(page, 'han.supervisor');
  await page.goto(claimPath());
  await settled(page);
  const first = page.locator('article.ei-sanction[data-status=proposed]');
  await first.locator('select[name=approve]').selectOption('true');
  await first.locator('textarea[name=reason]').fill('제안된 일자리가 적합함');
  await first.locator('button[type=submit]').click();
  await page.getByText('결정을 저장했습니다.').waitFor();
  await settled(page);
  assert.match(await page.locator('article.ei-sanction').first().textContent(), /적용 중.*제안된 일자리가 적합함/s);

  const f = page.locator('form.ei-propose');
  await f.locator('select[name=type]').selectOption('missed_appointment');
  await f.locator('input[name=date]').fill(day(-20));
  await f.locator('textarea[name=reason]').fill('상담 일정 불참');
  await f.locator('button[type=submit]').click();
  await page.getByText('급여 제한을 제안했습니다').waitFor();
  await settled(page);
  const own = page.locator('article.ei-sanction[data-status=proposed]');
  await own.locator('select[name=approve]').selectOption('true');
  await own.locator('textarea[name=reason]').fill('승인');
  await own.locator('button[type=submit]').click();
  const alert = own.locator('[role=alert]');
  await alert.waitFor();
  assert.equal(await alert.locator('.notice-title').textContent(), '직접 제안한 급여 제한은 승인할 수 없습니다. 다른 관리자가 결정합니다.');
  assert.equal(await own.getAttribute('data-status'), 'proposed');
  await logout(page);
});

test('the approved sanction is appealed (counsellor) and revoked (supervisor)', async () => {
  await login(page, 'kim.counsellor');
  await page.goto(claimPath());
  await settled(page);
  const approved = page.locator('article.ei-sanction[data-status=approved]');
  await approved.locator('textarea[name=reason]').fill('통근 왕복 3시간 초과');
  await approved.locator('button[type=submit]').click();
  await page.getByText('이의신청이 접수되었습니다.').waitFor();
  await settled(page);
  assert.match(await page.locator('article.ei-sanction[data-status=appealed]').textContent(), /이의신청 중.*통근 왕복 3시간 초과/s);
  await logout(page);

  await login(page, 'seo.supervisor');
  await page.goto(claimPath());
  await settled(page);
  const appealed = page.locator('article.ei-sanction[data-status=appealed]');
  await appealed.locator('select[name=upheld]').selectOption('false');
  await appealed.locator('textarea[name=reason]').fill('통근 거리 인정');
  await appealed.locator('button[type=submit]').click();
  await page.getByText('이의신청 결정을 저장했습니다.').waitFor();
  await settled(page);
  assert.match(await page.locator('article.ei-sanction').first().textContent(), /취소됨.*통근 거리 인정/s);
  // The supervisor may decide the other proposal (made by han, not seo).
  assert.equal(await page.locator('article.ei-sanction[data-status=proposed] form[data-step=decision]').count(), 1);
  assert.deepEqual(page.problems, []);
  await logout(page);
});

test('fraud: approved with a levy, the order to pay back is shown with the payments', async () => {
  const out = join(s.dir, 'bank.csv');
  const r = s.cli('ei', 'pay-batch', '--date', day(0), '--out', out);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  await login(page, 'kim.counsellor');
  await page.goto(claimPath());
  await settled(page);
  assert.equal(await page.locator('table.ei-payments tbody tr').count(), 1, 'round 1 paid, round 2 not recognised');
  const f = page.locator('form.ei-propose');
  await f.locator('select[name=type]').selectOption('fraud');
  await f.locator('input[name=date]').fill(day(-60));
  await f.locator('textarea[name=reason]').fill('근무 사실 미신고');
  await f.locator('button[type=submit]').click();
  await page.getByText('급여 제한을 제안했습니다').waitFor();
  await logout(page);

  await login(page, 'seo.supervisor');
  await page.goto(claimPath());
  await settled(page);
  const fraud = page.locator('article.ei-sanction[data-status=proposed]', { hasText: '부정수급' });
  await fraud.locator('select[name=approve]').selectOption('true');
  await fraud.locator('input[name=levy_multiplier]').fill('9');
  await fraud.locator('textarea[name=reason]').fill('확인됨');
  await fraud.locator('button[type=submit]').click();
  await fraud.locator('input[name=levy_multiplier][aria-invalid=true]').waitFor(); // above the pack's maximum
  await fraud.locator('input[name=levy_multiplier]').fill('1');
  await fraud.locator('button[type=submit]').click();
  await page.getByText('결정을 저장했습니다.').waitFor();
  await settled(page);
  const token = await s.login('seo.supervisor', PW);
  const pays = await apiOk(s, 'GET', `/api/v1/claims/${claimId}/payments`, undefined, token);
  assert.equal(pays.recoveries.length, 1, JSON.stringify(pays.recoveries));
  const order = pays.recoveries[0];
  assert.ok(order.amount > 0 && order.levy === order.amount, JSON.stringify(order));
  const box = page.locator('.ei-recoveries li[data-kind=fraud]');
  const txt = await box.textContent();
  assert.match(txt, /부정수급 반환.*반환 대상/s);
  assert.equal(digits(await box.locator('div', { hasText: '추가징수액' }).locator('dd').textContent()), order.levy);
  assert.equal(digits(await box.locator('div', { hasText: '합계' }).locator('dd').textContent()), order.amount + order.levy);
  assert.match(await page.locator('article.ei-sanction', { hasText: '부정수급' }).textContent(), /적용 중/);
  assert.deepEqual(page.problems, []);
  await logout(page);
});

test('a person held by another office is refused; other staff roles have no benefit pages', async () => {
  await login(page, 'kim.counsellor');
  await page.goto(`/benefits/${ppl.jung.id}`);
  await settled(page);
  await page.locator('#refusal [role=alert]').waitFor();
  assert.match(await page.locator('#refusal').textContent(), /이 사람의 구직급여 정보를 볼 수 없습니다/);
  assert.equal(await page.locator('table.ei-employment').count(), 0);
  await logout(page);
  await login(page, 'lee.auditor');
  assert.equal(await page.locator('#site-nav a', { hasText: '구직급여' }).count(), 0);
  await page.goto('/benefits');
  await settled(page);
  assert.notEqual(await page.locator('main h1').textContent(), '구직급여 조회');
  await logout(page);
});

test('at 375 px the staff benefit pages do not scroll sideways', async () => {
  const phone = await newPage(browser, s, { width: 375, height: 740 });
  await login(phone, 'kim.counsellor');
  for (const path of ['/benefits', `/benefits/${ppl.choi.id}`, claimPath()]) {
    await phone.goto(path);
    await settled(phone);
    await phone.locator('main details').evaluateAll((ds) => ds.forEach((d) => { d.open = true; }));
    const { scroll } = await noHorizontalOverflow(phone);
    assert.ok(scroll <= 375, `${path}: scrollWidth ${scroll} > 375`);
    const small = await phone.evaluate(() => [...document.querySelectorAll('main button, main select, main input, main textarea, main .btn, main summary')]
      .filter((el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 && r.height < 44; })
      .map((el) => `${el.tagName}.${el.name || el.className}`));
    assert.deepEqual(small, [], `${path}: tap targets under 44 px`);
    assert.equal(await phone.locator('h1').count(), 1);
  }
  await phone.screenshot({ path: '/tmp/openpes-portal-ei-staff-claim.png', fullPage: true });
  assert.deepEqual(phone.problems, []);
  await phone.context().close();
});
