// referrals.test.mjs - referrals between offices (docs/REFERRALS.md) over HTTP on the demo data:
// create, the receiving office's inbox, every transition, refusals (other office, wrong role,
// citizen write, the other side's move, illegal move, stale version, every bad-input class with
// nothing written), a referral to a partner agency, case-team reads, the citizen's read-only view,
// the audit records, and a DCI subscriber receiving a signed referral_updated notify within a second.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { Server, assertError } from './lib.mjs';
import { envelope, token, verify, mid, nowTs } from './dci_helpers.mjs';

const PW = 'demo-pass-2026';
const SECRET = 'partner-secret-0123456789';
const HAEUN = '030211-4045129'; // 정하은, KR-11, not registered: the welfare office refers her to the job centre
let s, recv, jwks, ptok;
const tok = {};
const acct = {};
const pid = {};
const got = [];
const wait = (ms) => new Promise((r) => setTimeout(r, ms));

const q1 = (stmt) => s.sql(stmt).trim();
const counts = () => q1('SELECT (SELECT COUNT(*) FROM referrals) || \'/\' || (SELECT COUNT(*) FROM referral_history) || \'/\' ||' +
  ' (SELECT COUNT(*) FROM events WHERE type = \'referral.updated\')');
const call = (method, path, who, opts = {}) => s.req(method, path, { ...opts, token: who && tok[who] });
const get = (path, who, opts) => call('GET', path, who, opts);
const post = (path, who, body, opts = {}) => call('POST', path, who, { ...opts, body });
const refer = (who, person, body, opts) => post(`/api/v1/persons/${person}/referrals`, who, body, opts);
const move = (who, rid, body, opts) => post(`/api/v1/referrals/${rid}/transitions`, who, body, opts);

async function moved(who, rid, to, extra = {}) {
  const r = await move(who, rid, { to, ...extra });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.status, to);
  return r.body;
}

before(async () => {
  recv = http.createServer((req, res) => {
    let b = '';
    req.on('data', (d) => { b += d; });
    req.on('end', () => {
      got.push({ path: req.url, body: JSON.parse(b), at: Date.now() });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: { ack_status: 'ACK', timestamp: new Date().toISOString(), correlation_id: 'x' } }));
    });
  });
  await new Promise((r) => recv.listen(0, '127.0.0.1', r));
  s = new Server();
  s.cliOk('seed', '--demo');
  s.cliOk('client', 'add', '--id', 'sr-ref', '--secret', SECRET, '--scopes', 'registry.subscribe registry.search');
  s.cliOk('partner', 'add', '--client', 'sr-ref', '--sig-mode', 'off');
  s.cliOk('partner', 'agreement', 'add', '--client', 'sr-ref', '--purposes', 'welfare_referral', '--fields', 'member_identifier employment_status',
    '--attributes', 'UIN region employment_status', '--legal-basis', 'MoU Art. 3', '--valid-from', '2020-01-01');
  await s.start();
  for (const u of ['counsellor', 'counsellor2', 'welfare', 'supervisor', 'auditor', 'analyst', 'citizen', 'citizen3']) {
    const r = await s.post('/api/v1/auth/login', { username: u, password: PW, mode: 'bearer' });
    assert.equal(r.status, 200, r.text);
    tok[u] = r.body.token;
    acct[u] = r.body.account.id;
  }
  pid.haeun = q1("SELECT id FROM persons WHERE family_name = '정' AND given_name = '하은'");
  pid.minjun = q1("SELECT id FROM persons WHERE family_name = '김' AND given_name = '민준'");
  pid.jihoon = q1("SELECT id FROM persons WHERE family_name = '박' AND given_name = '지훈'");
  jwks = (await s.get('/.well-known/jwks.json')).body;
  ptok = await token(s, 'sr-ref', SECRET);
});
after(async () => { await s.stop(); recv.close(); });

test('the demo data holds two referrals: one sent to the job centre, one received by the welfare office', async () => {
  const inbox = (await get('/api/v1/referrals?status=sent', 'counsellor')).body.items;
  const yoon = inbox.filter((x) => x.person.family_name === '윤' && x.person.given_name === '상호');
  assert.equal(yoon.length, 1, JSON.stringify(inbox));
  assert.equal(yoon[0].from_office.code, 'SEOUL-WELFARE');
  assert.equal(yoon[0].purpose, 'welfare_referral');
  const recd = (await get('/api/v1/referrals?status=received', 'welfare')).body.items;
  assert.equal(recd.length, 1);
  assert.equal(recd[0].person.family_name, '이');
  assert.equal(recd[0].version, 2);
});

const BODY = { to_office: 'SEOUL-GANGNAM', type: 'employment_support', reason: 'looking for work after the livelihood benefit review' };

test('a welfare officer refers a person to the job centre; it lands in the job centre\'s inbox', async () => {
  const r = await refer('welfare', pid.haeun, { ...BODY, consent_ref: 'consent-2026-0042' });
  assert.equal(r.status, 201, r.text);
  const ref = r.body;
  assert.equal(r.headers.get('location'), `/api/v1/referrals/${ref.id}`);
  assert.match(ref.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(ref.status, 'sent');
  assert.equal(ref.version, 1);
  assert.equal(ref.from_office.code, 'SEOUL-WELFARE');
  assert.equal(ref.to_office.code, 'SEOUL-GANGNAM');
  assert.equal(ref.to_agency, null);
  assert.equal(ref.sender_id, acct.welfare);
  assert.equal(ref.purpose, 'welfare_referral');
  assert.match(ref.legal_basis, /Social Security Benefits Act/);
  assert.equal(ref.consent_ref, 'consent-2026-0042');
  assert.equal(ref.outcome, null);
  assert.deepEqual(ref.next, [{ to: 'received', by: 'receiver' }, { to: 'withdrawn', by: 'sender' }]);
  assert.deepEqual(Object.keys(ref.person).sort(), ['email', 'family_name', 'given_name', 'id', 'phone']);
  assert.deepEqual(ref.history.map((h) => [h.from, h.to]), [[null, 'sent']]);
  // the receiving office's inbox (default: own office, received); the sender's out box
  const inbox = await get('/api/v1/referrals', 'counsellor');
  assert.equal(inbox.status, 200, inbox.text);
  assert.ok(inbox.body.items.some((x) => x.id === ref.id));
  assert.equal(inbox.body.items.find((x) => x.id === ref.id).history, undefined, 'lists carry no history');
  const sent = await get('/api/v1/referrals?box=out&status=sent', 'welfare');
  assert.ok(sent.body.items.some((x) => x.id === ref.id));
  assert.equal((await get('/api/v1/referrals?status=received', 'counsellor')).body.items.some((x) => x.id === ref.id), false);
  assert.equal((await get('/api/v1/referrals', 'counsellor2')).body.items.some((x) => x.id === ref.id), false);
  // the person's referrals, as the supervisor of the receiving office
  const list = await get(`/api/v1/persons/${pid.haeun}/referrals`, 'supervisor');
  assert.equal(list.status, 200, list.text);
  assert.deepEqual(list.body.items.map((x) => x.id), [ref.id]);
  // the event: ids and states only, no reason or consent reference
  const ev = JSON.parse(q1(`SELECT payload FROM events WHERE type = 'referral.updated' AND subject = '${pid.haeun}' ORDER BY id LIMIT 1`));
  assert.deepEqual(Object.keys(ev).sort(), ['from_office_id', 'person_id', 'previous_status', 'referral_id', 'status', 'to_agency',
    'to_office_id', 'type', 'version']);
  assert.equal(ev.status, 'sent');
});

test('inbox paging: limit and next_offset', async () => {
  for (const type of ['training', 'welfare_assessment', 'other']) {
    const r = await refer('welfare', pid.minjun, { ...BODY, type });
    assert.equal(r.status, 201, r.text);
  }
  const p1 = await get('/api/v1/referrals?limit=2', 'counsellor');
  assert.equal(p1.body.items.length, 2);
  assert.equal(p1.body.next_offset, 2);
  const p2 = await get('/api/v1/referrals?limit=2&offset=2', 'counsellor');
  assert.ok(p2.body.items.length >= 1);
  assert.equal(new Set([...p1.body.items, ...p2.body.items].map((x) => x.id)).size, p1.body.items.length + p2.body.items.length);
  assert.ok(p1.body.items[0].created_at >= p1.body.items[1].created_at, 'newest first');
  assertError(assert, await get('/api/v1/referrals?limit=0', 'counsellor'), 400, 'request.bad_query');
  assertError(assert, await get('/api/v1/referrals?status=lost', 'counsellor'), 400, 'request.bad_query');
  assertError(assert, await get('/api/v1/referrals?box=sideways', 'counsellor'), 400, 'request.bad_query');
});

test('every transition: received → accepted → in_progress → completed, with version and history', async () => {
  const ref = (await refer('welfare', pid.haeun, { ...BODY, type: 'training' })).body;
  let r = await moved('counsellor', ref.id, 'received', { version: 1, note: 'appointment on Monday' });
  assert.equal(r.version, 2);
  r = await moved('supervisor', ref.id, 'accepted');
  r = await moved('counsellor', ref.id, 'in_progress');
  assert.equal(r.closed_at, null);
  r = await moved('counsellor', ref.id, 'completed', { outcome: 'training_started', note: 'enrolled in welding course' });
  assert.deepEqual(r.outcome, { code: 'training_started', note: 'enrolled in welding course' });
  assert.equal(r.version, 5);
  assert.ok(r.closed_at);
  assert.deepEqual(r.next, []);
  assert.deepEqual(r.history.map((h) => h.to), ['sent', 'received', 'accepted', 'in_progress', 'completed']);
  assert.equal(r.history[1].note, 'appointment on Monday');
  assert.equal(r.history[1].actor_id, acct.counsellor);
  // the final state moves nowhere: 409 naming that
  const again = await move('counsellor', ref.id, { to: 'closed', outcome: 'other' });
  assertError(assert, again, 409, 'resource.conflict');
  assert.match(again.body.error.hint, /final/);
  assert.equal(q1(`SELECT COUNT(*) FROM events WHERE type = 'referral.updated' AND payload LIKE '%${ref.id}%'`), '5');
});

test('rejected, closed (from accepted and from in_progress) and withdrawn', async () => {
  const a = (await refer('welfare', pid.haeun, { ...BODY, type: 'welfare_assessment', to_office: 'SEOUL-GANGNAM' })).body;
  await moved('counsellor', a.id, 'received');
  const rej = await moved('counsellor', a.id, 'rejected', { outcome: 'not_eligible', note: 'already in a programme' });
  assert.deepEqual(rej.outcome, { code: 'not_eligible', note: 'already in a programme' });
  const b = (await refer('welfare', pid.haeun, { ...BODY, type: 'welfare_assessment' })).body; // the first is final: a new one is allowed
  await moved('counsellor', b.id, 'received');
  await moved('counsellor', b.id, 'accepted');
  assert.equal((await moved('counsellor', b.id, 'closed', { outcome: 'no_contact' })).outcome.code, 'no_contact');
  const c = (await refer('welfare', pid.haeun, { ...BODY, type: 'welfare_assessment' })).body;
  for (const to of ['received', 'accepted', 'in_progress']) await moved('counsellor', c.id, to);
  assert.equal((await moved('counsellor', c.id, 'closed', { outcome: 'moved_away' })).status, 'closed');
  const d = (await refer('welfare', pid.haeun, { ...BODY, type: 'welfare_assessment' })).body;
  const w = await moved('welfare', d.id, 'withdrawn', { note: 'sent by mistake' });
  assert.equal(w.outcome, null);
  const e = (await refer('welfare', pid.haeun, { ...BODY, type: 'welfare_assessment' })).body;
  await moved('counsellor', e.id, 'received');
  assert.equal((await moved('welfare', e.id, 'withdrawn')).status, 'withdrawn');
});

test('refusals: the other side\'s move (audited), another office, wrong role, citizen write', async () => {
  const ref = (await refer('welfare', pid.haeun, { ...BODY, type: 'other', reason: 'refusal checks' })).body;
  const before = counts();
  // the receiver may not withdraw; the sender may not receive or accept
  let r = await move('counsellor', ref.id, { to: 'withdrawn' });
  assertError(assert, r, 403, 'access.denied');
  assert.match(r.body.error.detail, /only the sending office/);
  r = await move('welfare', ref.id, { to: 'received' });
  assertError(assert, r, 403, 'access.denied');
  assert.match(r.body.error.detail, /only the receiving office/);
  // a counsellor of another office can neither read nor move it, nor list the other office's inbox
  assertError(assert, await get(`/api/v1/referrals/${ref.id}`, 'counsellor2'), 403, 'access.denied');
  assertError(assert, await move('counsellor2', ref.id, { to: 'received' }), 403, 'access.denied');
  assertError(assert, await get('/api/v1/referrals?office=SEOUL-GANGNAM', 'counsellor2'), 403, 'access.denied');
  assert.equal((await get(`/api/v1/persons/${pid.haeun}/referrals`, 'counsellor2')).body.items.length, 0);
  // nor can it refer a person it does not serve
  assertError(assert, await refer('counsellor2', pid.haeun, { ...BODY, to_office: 'SEOUL-WELFARE' }), 403, 'access.denied');
  // roles without referrals
  assertError(assert, await refer('auditor', pid.haeun, BODY), 403);
  assertError(assert, await get('/api/v1/referrals', 'analyst'), 403);
  assertError(assert, await get(`/api/v1/referrals/${ref.id}`, 'auditor'), 403);
  // citizens write nothing, not even on their own referral
  assertError(assert, await move('citizen3', ref.id, { to: 'withdrawn' }), 403);
  assertError(assert, await refer('citizen3', pid.haeun, BODY), 403);
  // a purpose that does not cover referrals (the role may use it)
  r = await get(`/api/v1/referrals/${ref.id}`, 'counsellor', { headers: { 'X-Purpose': 'benefit_administration' } });
  assertError(assert, r, 403, 'access.denied');
  assert.match(r.body.error.detail, /does not cover referrals/);
  assert.equal(counts(), before, 'nothing written');
  assert.equal((await get(`/api/v1/referrals/${ref.id}`, 'welfare')).body.status, 'sent');
  await moved('welfare', ref.id, 'withdrawn'); // a later test sends the same kind again
});

test('illegal move: 409 with a hint naming the allowed ones; stale version: 409', async () => {
  const ref = (await refer('welfare', pid.haeun, { ...BODY, type: 'other', reason: 'conflict checks' })).body;
  const before = counts();
  let r = await move('counsellor', ref.id, { to: 'accepted' });
  assertError(assert, r, 409, 'resource.conflict');
  assert.match(r.body.error.detail, /from "sent" to "accepted"/);
  assert.equal(r.body.error.hint, 'from "sent" a referral may move to: received (receiver), withdrawn (sender)');
  r = await move('counsellor', ref.id, { to: 'completed', outcome: 'employed' });
  assertError(assert, r, 409, 'resource.conflict');
  await moved('counsellor', ref.id, 'received', { version: 1 });
  const mid1 = counts();
  r = await move('counsellor', ref.id, { to: 'accepted', version: 1 });
  assertError(assert, r, 409, 'resource.conflict');
  assert.match(r.body.error.detail, /version 2, not 1/);
  assert.equal(counts(), mid1, 'a stale version writes nothing');
  assert.notEqual(before, mid1);
  await moved('welfare', ref.id, 'withdrawn');
});

test('bad input, each class: structured errors and nothing written', async () => {
  const ref = (await refer('welfare', pid.haeun, { ...BODY, type: 'other', reason: 'bad input checks' })).body;
  const before = counts();
  const cases = [
    [await s.req('POST', `/api/v1/persons/${pid.haeun}/referrals`, { token: tok.welfare, body: '{"type":', headers: { 'Content-Type': 'application/json' } }), 400, 'request.malformed_json'],
    [await refer('welfare', pid.haeun, { ...BODY, priority: 'high' }), 422, 'validation.unknown_field'],
    [await refer('welfare', pid.haeun, { ...BODY, type: undefined }), 422, 'validation.failed', 'type'],
    [await refer('welfare', pid.haeun, { ...BODY, type: 'housing' }), 422, 'validation.failed', 'type'],
    [await refer('welfare', pid.haeun, { ...BODY, type: 7 }), 422, 'validation.failed', 'type'],
    [await refer('welfare', pid.haeun, { ...BODY, reason: 'x'.repeat(2001) }), 422, 'validation.failed', 'reason'],
    [await refer('welfare', pid.haeun, { ...BODY, reason: '   ' }), 422, 'validation.failed', 'reason'],
    [await refer('welfare', pid.haeun, { ...BODY, reason: 'bell\u0007' }), 422, 'validation.failed', 'reason'],
    [await refer('welfare', pid.haeun, { ...BODY, to_agency: 'sr-ref' }), 422, 'validation.failed', 'to_agency'],
    [await refer('welfare', pid.haeun, { type: 'other', reason: 'nowhere' }), 422, 'validation.failed', 'to_office'],
    [await refer('welfare', pid.haeun, { ...BODY, to_office: 'NOWHERE' }), 422, 'validation.failed', 'to_office'],
    [await refer('welfare', pid.haeun, { ...BODY, to_office: 'MOEL' }), 422, 'validation.failed', 'to_office'],
    [await refer('welfare', pid.haeun, { ...BODY, to_office: 'SEOUL-WELFARE' }), 422, 'validation.failed', 'to_office'],
    [await refer('welfare', pid.haeun, { ...BODY, to_office: undefined, to_agency: 'no-such-agency' }), 422, 'validation.failed', 'to_agency'],
    [await refer('welfare', pid.haeun, { ...BODY, consent_ref: 'c'.repeat(65) }), 422, 'validation.failed', 'consent_ref'],
    [await refer('welfare', pid.haeun, { ...BODY, type: 'other', reason: 'bad input checks' }), 409, 'resource.duplicate'],
    [await refer('welfare', '00000000-0000-7000-8000-000000000000', BODY), 404, 'resource.not_found'],
    [await refer('welfare', 'not-a-uuid', BODY), 404, 'resource.not_found'],
    [await move('counsellor', ref.id, {}), 422, 'validation.failed', 'to'],
    [await move('counsellor', ref.id, { to: 'lost' }), 422, 'validation.failed', 'to'],
    [await move('counsellor', ref.id, { to: 'received', outcome: 'employed' }), 422, 'validation.failed', 'outcome'],
    [await move('counsellor', ref.id, { to: 'received', version: 'one' }), 422, 'validation.failed', 'version'],
    [await move('counsellor', ref.id, { to: 'received', note: 'n'.repeat(1001) }), 422, 'validation.failed', 'note'],
    [await move('counsellor', ref.id, { to: 'received', extra: 1 }), 422, 'validation.unknown_field'],
    [await move('counsellor', '00000000-0000-7000-8000-000000000000', { to: 'received' }), 404, 'resource.not_found'],
  ];
  for (const [r, status, code, field] of cases) {
    assertError(assert, r, status, code);
    if (field) assert.equal(r.body.error.field, field, r.text);
  }
  // outcome missing or not the target state's code
  await moved('counsellor', ref.id, 'received');
  const mid1 = counts();
  let r = await move('counsellor', ref.id, { to: 'rejected' });
  assertError(assert, r, 422, 'validation.failed');
  assert.match(r.body.error.hint, /not_eligible/);
  assertError(assert, await move('counsellor', ref.id, { to: 'rejected', outcome: 'employed' }), 422, 'validation.failed');
  assert.equal(counts(), mid1, 'nothing written');
  assert.notEqual(before, mid1);
  await moved('welfare', ref.id, 'withdrawn');
});

test('idempotent create and transition with Idempotency-Key', async () => {
  const h = { headers: { 'Idempotency-Key': 'ref-create-1' } };
  const body = { to_office: 'BUSAN', type: 'employment_support', reason: 'moving to Busan next month' };
  const a = await refer('counsellor', pid.minjun, body, h);
  const b = await refer('counsellor', pid.minjun, body, h);
  assert.equal(a.status, 201, a.text);
  assert.equal(b.status, 201, b.text);
  assert.equal(a.body.id, b.body.id);
  assert.equal(q1(`SELECT COUNT(*) FROM referrals WHERE id = '${a.body.id}'`), '1');
  const m = { headers: { 'Idempotency-Key': 'ref-move-1' } };
  const x = await move('counsellor2', a.body.id, { to: 'received' }, m);
  const y = await move('counsellor2', a.body.id, { to: 'received' }, m);
  assert.equal(x.status, 200, x.text);
  assert.equal(y.status, 200, y.text);
  assert.equal(y.body.version, 2);
});

test('case team members read but do not act; the person\'s registration office is not a party', async () => {
  // 김민준: registered at SEOUL-GANGNAM, the welfare officer is on his case team (demo data)
  const ref = (await refer('counsellor', pid.minjun, { to_office: 'BUSAN', type: 'training', reason: 'course in Busan' })).body;
  assert.equal((await get(`/api/v1/referrals/${ref.id}`, 'welfare')).status, 200);
  assertError(assert, await move('welfare', ref.id, { to: 'withdrawn' }), 403, 'access.denied');
  assert.equal((await get(`/api/v1/referrals/${ref.id}`, 'counsellor2')).status, 200, 'the receiving office reads');
  // 박지훈 (BUSAN): the Seoul counsellor does not serve him
  assertError(assert, await refer('counsellor', pid.jihoon, { to_office: 'SEOUL-WELFARE', type: 'other', reason: 'x' }), 403, 'access.denied');
});

test('a referral to a partner agency: the sending office records the agency\'s answers', async () => {
  const r = await refer('welfare', pid.haeun, { to_agency: 'sr-ref', type: 'welfare_assessment', reason: 'housing support assessment' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.to_office, null);
  assert.equal(r.body.to_agency, 'sr-ref');
  await moved('welfare', r.body.id, 'received');
  await moved('welfare', r.body.id, 'accepted');
  assertError(assert, await get(`/api/v1/referrals/${r.body.id}`, 'counsellor'), 403, 'access.denied');
});

test('the citizen sees their own referrals, read-only, without staff identities', async () => {
  const me = await get('/api/v1/me/referrals', 'citizen3');
  assert.equal(me.status, 200, me.text);
  assert.ok(me.body.items.length >= 5);
  for (const x of me.body.items) {
    assert.equal(x.person_id, pid.haeun);
    assert.equal(x.sender_id, undefined);
  }
  const one = await get(`/api/v1/referrals/${me.body.items[0].id}`, 'citizen3');
  assert.equal(one.status, 200, one.text);
  assert.ok(one.body.history.length >= 1);
  for (const h of one.body.history) assert.equal(h.actor_id, undefined);
  // another citizen sees none of them
  assert.equal((await get('/api/v1/me/referrals', 'citizen')).body.items.every((x) => x.person_id === pid.minjun), true);
  assertError(assert, await get(`/api/v1/referrals/${me.body.items[0].id}`, 'citizen'), 403, 'access.denied');
});

test('audit: creates, moves, reads and refusals are in the audit log', async () => {
  const ref = (await refer('welfare', pid.haeun, { ...BODY, type: 'other', reason: 'audit checks' })).body;
  await moved('counsellor', ref.id, 'received');
  await get(`/api/v1/referrals/${ref.id}`, 'supervisor');
  await move('counsellor2', ref.id, { to: 'accepted' }); // another office
  await move('counsellor', ref.id, { to: 'withdrawn' }); // the receiver doing the sender's move
  const a = await get(`/api/v1/audit?person_id=${pid.haeun}&limit=500`, 'auditor');
  assert.equal(a.status, 200, a.text);
  const mine = a.body.items.filter((x) => x.resource_type === 'referral' && x.resource_id === ref.id);
  const has = (action, outcome, actor) => mine.some((x) => x.action === action && x.outcome === outcome && x.actor_id === actor);
  assert.ok(has('CREATE', 'allow', acct.welfare), 'create');
  assert.ok(has('UPDATE', 'allow', acct.counsellor), 'transition');
  assert.ok(has('READ', 'allow', acct.supervisor), 'read');
  assert.ok(has('UPDATE', 'deny', acct.counsellor2), 'refused transition (another office)');
  const side = mine.find((x) => x.action === 'UPDATE' && x.outcome === 'deny' && x.actor_id === acct.counsellor);
  assert.match(side?.detail ?? '', /only the sending office/, 'refused transition (the other side) with its reason');
  const c = mine.find((x) => x.action === 'CREATE');
  assert.equal(c.purpose, 'welfare_referral');
  assert.match(c.legal_basis, /Social Security Benefits Act/);
  assert.ok(a.body.items.some((x) => x.resource_type === 'referral' && x.action === 'SEARCH'), 'lists audit what they return');
  await moved('welfare', ref.id, 'withdrawn');
});

test('a DCI subscriber gets a signed referral_updated notify within a second of a transition, in order', async () => {
  const url = `http://127.0.0.1:${recv.address().port}`;
  // earlier tests' events of the person are handled first (a subscription sees only later ones)
  for (let i = 0; i < 400 && q1(`SELECT COUNT(*) FROM events WHERE subject = '${pid.haeun}' AND status = 'pending'`) !== '0'; i++) await wait(25);
  const msg = {
    transaction_id: 'sub-' + mid(),
    subscribe_request: [{ reference_id: 'r1', timestamp: nowTs(), subscribe_criteria: { reg_type: 'ns:org:RegistryType:ESS', notify_record_type: 'Member',
      reg_event_type: 'referral_updated', authorize: { purpose: { code: 'welfare_referral' } },
      filter: [{ seq_num: 1, expression1: { attribute_name: 'UIN', operator: 'eq', attribute_value: HAEUN } }] } }],
  };
  const r = await s.post('/registry/subscribe', envelope('sr-ref', msg, { action: 'subscribe', header: { sender_uri: `${url}/registry/on-subscribe` } }), { token: ptok });
  assert.equal(r.status, 200, r.text);
  let cb;
  for (let i = 0; i < 400 && !cb; i++, await wait(20)) cb = got.find((c) => c.path === '/registry/on-subscribe');
  assert.ok(cb, 'on-subscribe arrived');
  const code = cb.body.message.subscribe_response[0].subscriptions[0].code;
  const notifies = () => got.filter((c) => c.path === '/registry/notify' && c.body.message.notify_event[0].data.subscription_code === code);
  const ref = (await refer('welfare', pid.haeun, { ...BODY, type: 'other', reason: 'dci notify checks' })).body;
  const t0 = Date.now();
  await moved('counsellor', ref.id, 'received');
  let n;
  for (let i = 0; i < 300 && notifies().length < 2; i++) await wait(10);
  assert.equal(notifies().length, 2, 'one notify for the create, one for the transition');
  n = notifies()[1];
  assert.ok(n.at - t0 < 1000, `notify after ${n.at - t0} ms`);
  assert.ok(verify(n.body, jwks), 'notify is signed');
  assert.equal(n.body.header.action, 'notify');
  const ev = n.body.message.notify_event[0];
  assert.equal(ev.data.reg_event_type, 'referral_updated');
  assert.deepEqual(Object.keys(ev.data.reg_records[0]).sort(), ['@type', 'employment_status', 'member_identifier']);
  // in order per person: the event ids grow with the deliveries
  const ids = notifies().map((x) => Number(x.body.message.notify_event[0].reference_id.slice(4)));
  assert.ok(ids[0] < ids[1], JSON.stringify(ids));
  // someone outside the filter gives nothing
  await refer('welfare', pid.minjun, { ...BODY, type: 'employment_support', reason: 'outside the filter' });
  await wait(300);
  assert.equal(notifies().length, 2);
});

test('a counsellor declares the welfare_referral purpose for a referral to the welfare office', async () => {
  const r = await refer('counsellor', pid.minjun, { to_office: 'SEOUL-WELFARE', type: 'welfare_assessment', reason: 'income support assessment' },
    { headers: { 'X-Purpose': 'welfare_referral' } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.purpose, 'welfare_referral');
  assert.match(r.body.legal_basis, /Social Security Benefits Act/);
  await moved('counsellor', r.body.id, 'withdrawn');
});

test('the routes are in the OpenAPI document', async () => {
  const o = await s.get('/api/v1/openapi.json');
  for (const p of ['/api/v1/persons/{id}/referrals', '/api/v1/referrals', '/api/v1/referrals/{rid}', '/api/v1/referrals/{rid}/transitions', '/api/v1/me/referrals'])
    assert.ok(o.body.paths[p], p);
});
