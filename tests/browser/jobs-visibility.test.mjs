// jobs-visibility.test.mjs - a job seeker decides whether employers may find them and what they see.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, startWorld, login, makeCitizen, nid, settled, noHorizontalOverflow } from './helpers.mjs';

let s, browser, citizen;
before(async () => {
  s = await startWorld();
  citizen = await makeCitizen(s, {
    username: 'findable.seeker', display_name: '한결', person: {
      national_id: nid('1991-03-03', 1, 4242), family_name: '한', given_name: '결', birth_date: '1991-03-03',
      contact: { email: 'gyeol@example.com' }, address: { region_code: 'KR-11' } },
  });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await s?.stop();
});

test('turning on "employers may find me" with chosen fields, then off again', async () => {
  const page = await newPage(browser, s, { lang: 'en', width: 375, height: 800 });
  await login(page, 'findable.seeker');
  await page.goto('/jobs/visibility');
  await settled(page, 'Let employers find me');
  assert.equal(await page.locator('input[name=findable]').isChecked(), false, 'off by default');
  const o = await noHorizontalOverflow(page);
  assert.ok(o.scroll <= o.client, 'fits a phone');
  await page.locator('input[name=findable]').check();
  await page.getByLabel('Contact details').check();
  await page.getByLabel('Skills').uncheck();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Employers can now find you.').waitFor();
  let v = (await s.req('GET', '/api/v1/me/visibility', { token: citizen.token })).body;
  assert.equal(v.findable, true);
  assert.ok(v.fields.includes('contact') && !v.fields.includes('skills'), JSON.stringify(v.fields));
  await page.locator('input[name=findable]').uncheck();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Employers cannot find you.').waitFor();
  v = (await s.req('GET', '/api/v1/me/visibility', { token: citizen.token })).body;
  assert.equal(v.findable, false);
  await page.close();
});
