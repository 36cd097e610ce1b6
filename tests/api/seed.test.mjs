// seed.test.mjs - `openpes seed`: the demo data set and deterministic synthetic people.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Server, assertError } from './lib.mjs';

// Rows of the printed accounts table: "  username  password  kind  role  office  what for".
function parseAccounts(text) {
  const lines = text.split('\n');
  const head = lines.findIndex((l) => /^\s+username\s+password\s+kind/.test(l));
  assert.ok(head >= 0, 'accounts table header printed:\n' + text);
  const rows = [];
  for (const l of lines.slice(head + 1)) {
    if (!l.trim()) break;
    const [username, password, kind, role, office] = l.trim().split(/\s+/);
    rows.push({ username, password, kind, role, office });
  }
  return rows;
}

test('seed --demo: the printed accounts log in, the counsellor reads a registered person', async () => {
  const s = new Server();
  try {
    const out = s.cliOk('seed', '--demo');
    assert.match(out, /demo data loaded in .*: 6 offices, 11 accounts, 202 people/);
    const accounts = parseAccounts(out);
    assert.equal(accounts.length, 11);
    for (const role of ['counsellor', 'welfare_officer', 'supervisor', 'analyst', 'admin', 'auditor'])
      assert.ok(accounts.some((a) => a.kind === 'staff' && a.role === role), `a ${role} account`);
    assert.ok(accounts.some((a) => a.kind === 'employer'));
    assert.ok(accounts.some((a) => a.kind === 'citizen'));

    // --print-accounts shows the same table; a second --demo is refused and changes nothing.
    assert.deepEqual(parseAccounts(s.cliOk('seed', '--print-accounts')), accounts);
    const again = s.cli('seed', '--demo');
    assert.notEqual(again.status, 0);
    assert.match(again.stderr, /already holds the demo data/);

    await s.start();
    const tokens = {};
    for (const a of accounts) tokens[a.username] = await s.login(a.username, a.password);

    const found = await s.post('/api/v1/persons/search', { national_id: '950314-1042150' }, { token: tokens.counsellor });
    assert.equal(found.status, 200, found.text);
    assert.equal(found.body.items.length, 1);
    const id = found.body.items[0].id;

    const r = await s.get(`/api/v1/persons/${id}`, { token: tokens.counsellor });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.family_name, '김');
    assert.equal(r.body.given_name, '민준');
    assert.equal(r.body.birth_date, '1995-03-14');
    assert.equal(r.body.sex, 'male');
    assert.equal(r.body.national_id_masked, '950314-1******');
    assert.equal(r.body.address.region_code, 'KR-11');
    assert.ok(r.body.work_history.length >= 1);
    assert.equal(r.body.registration.status, 'active');
    assert.equal(r.body.registration.office.code, 'SEOUL-GANGNAM');

    // The counsellor at another office is refused; the analyst sees no personal data.
    assertError(assert, await s.get(`/api/v1/persons/${id}`, { token: tokens.counsellor2 }), 403, 'access.denied');
    const analyst = await s.get(`/api/v1/persons/${id}`, { token: tokens.analyst });
    assert.equal(analyst.status, 403, analyst.text);
  } finally {
    await s.stop();
  }
});

// The people a seed produced, as an authorised supervisor sees them (national ids masked).
async function seededPeople(s, offices) {
  const tokens = {};
  for (let k = 1; k <= offices; k++) {
    const code = `SYN-0${k}`;
    s.cliOk('user', 'add', '--username', `sup${k}`, '--password', 'seed-test-pass-1', '--kind', 'staff',
      '--role', 'supervisor', '--office', code);
  }
  await s.start();
  for (let k = 1; k <= offices; k++) tokens[`SYN-0${k}`] = await s.login(`sup${k}`, 'seed-test-pass-1');
  const lines = readFileSync(join(s.dir, 'ids.tsv'), 'utf8').trim().split('\n');
  const people = [];
  for (const line of lines) {
    const [id, office] = line.split('\t');
    const r = await s.get(`/api/v1/persons/${id}`, { token: tokens[office] });
    assert.equal(r.status, 200, r.text);
    const p = r.body;
    people.push([p.national_id_masked, p.family_name, p.given_name, p.birth_date, p.sex, p.nationality,
      p.address.region_code, p.education.level, JSON.stringify(p.work_history)].join('|'));
  }
  return people;
}

test('seed --persons 500 --seed 7 gives the same people in two databases', async () => {
  const a = new Server();
  const b = new Server();
  try {
    for (const s of [a, b]) {
      const out = s.cliOk('seed', '--persons', '500', '--seed', '7', '--ids-file', join(s.dir, 'ids.tsv'));
      assert.match(out, /seeded 500 people \(\d+ registered as job seekers at 4 offices\) in [\d.]+ s: \d+ people\/s/);
    }
    const pa = await seededPeople(a, 4);
    const pb = await seededPeople(b, 4);
    assert.equal(pa.length, 500);
    assert.deepEqual(pa, pb);
    assert.equal(new Set(pa).size, 500, 'people are distinct');
    // Another seed gives other people.
    const c = a.cli('seed', '--persons', '5', '--seed', '8', '--ids-file', join(a.dir, 'ids8.tsv'));
    assert.equal(c.status, 0, c.stderr);
    // Seeding the same seed into the same database again is refused (the national ids exist).
    const d = a.cli('seed', '--persons', '5', '--seed', '7');
    assert.notEqual(d.status, 0);
    assert.match(d.stderr, /another --seed/);
  } finally {
    await a.stop();
    await b.stop();
  }
});

test('seed --vacancies: deterministic published vacancies that search finds; serve loads ISCO-08', async () => {
  const s = new Server();
  try {
    const out = s.cliOk('seed', '--vacancies', '40', '--seed', '3');
    assert.match(out, /seeded 40 vacancies/);
    await s.start();
    const r = await s.get('/api/v1/vacancies?page_size=50');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.total, 40, r.text.slice(0, 300));
    const occ = await s.get('/api/v1/occupations?q=2512');
    assert.equal(occ.status, 200, occ.text);
    assert.ok(occ.body.items.some((o) => o.code === '2512'), occ.text.slice(0, 300));
    assertUsage(s);
  } finally {
    await s.stop();
  }
});

function assertUsage(s) {
  const bad = s.cli('seed', '--vacancies', '0');
  assert.notEqual(bad.status, 0, 'zero vacancies is refused');
}
