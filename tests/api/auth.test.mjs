// auth.test.mjs - identity end to end: password login (bearer and cookie), sessions, CSRF, expiry,
// logout, sign-up, the OAuth2 client credentials endpoint, and the admin API's role checks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Server, assertError } from './lib.mjs';

const PW = 'correct-horse-42';
const SECRET = 'partner-secret-0123456789';
let s;

before(async () => {
  s = new Server();
  s.cliOk('office', 'add', '--code', 'SEOUL-01', '--name', 'Seoul Job Centre', '--name-ko', '서울고용센터',
    '--kind', 'job_centre', '--region', 'KR-11');
  s.cliOk('user', 'add', '--username', 'kim.counsellor', '--password', PW, '--kind', 'staff', '--role', 'counsellor',
    '--office', 'SEOUL-01', '--name', 'Kim');
  s.cliOk('user', 'add', '--username', 'park.admin', '--password', PW, '--kind', 'staff', '--role', 'admin',
    '--office', 'SEOUL-01', '--name', 'Park');
  s.cliOk('user', 'add', '--username', 'lee.citizen', '--password', PW, '--kind', 'citizen', '--name', 'Lee', '--locale', 'en');
  s.cliOk('client', 'add', '--id', 'dci-registry', '--secret', SECRET, '--scopes', 'registry.search registry.subscribe',
    '--name', 'Social registry');
  await s.start();
});
after(async () => { await s.stop(); });

const cookieOf = (r) => (r.headers.get('set-cookie') || '').match(/openpes_session=([^;]*)/)?.[1];

test('CLI refuses bad input with a clear message and a non-zero exit', () => {
  let r = s.cli('user', 'add', '--username', 'no.office', '--password', PW, '--kind', 'staff', '--role', 'counsellor');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /staff accounts need an office/);
  r = s.cli('user', 'add', '--username', 'kim.counsellor', '--password', PW, '--kind', 'citizen');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /already exists|is taken/);
  r = s.cli('office', 'add', '--code', 'X-1', '--name', 'X', '--kind', 'job_centre', '--region', 'Seoul');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /region code "Seoul" is not valid/);
  r = s.cli('user', 'add', '--username', 'typo', '--pasword', PW, '--kind', 'citizen');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown option "--pasword"/);
  assert.match(s.cliOk('user', 'list'), /kim\.counsellor\s+staff\s+counsellor\s+SEOUL-01/);
  assert.match(s.cliOk('office', 'list'), /SEOUL-01\s+job_centre\s+KR-11/);
});

test('bearer login returns a token and the account; /auth/session echoes it', async () => {
  const r = await s.post('/api/v1/auth/login', { username: 'kim.counsellor', password: PW });
  assert.equal(r.status, 200, r.text);
  assert.match(r.body.token, /^ops_[A-Za-z0-9_-]{43}$/);
  assert.equal(r.body.token_type, 'Bearer');
  assert.ok(Date.parse(r.body.expires_at) > Date.now());
  const a = r.body.account;
  assert.equal(a.username, 'kim.counsellor');
  assert.equal(a.kind, 'staff');
  assert.equal(a.role, 'counsellor');
  assert.deepEqual(Object.keys(a.office).sort(), ['code', 'id', 'kind', 'name', 'name_ko', 'region_code']);
  assert.equal(a.office.code, 'SEOUL-01');
  assert.equal(a.office.name_ko, '서울고용센터');
  assert.equal(a.office.region_code, 'KR-11');
  assert.equal(a.person_id, null);
  assert.equal(r.headers.get('set-cookie'), null, 'bearer mode sets no cookie');
  assert.equal(r.headers.get('cache-control'), 'no-store');

  const me = await s.get('/api/v1/auth/session', { token: r.body.token });
  assert.equal(me.status, 200, me.text);
  assert.deepEqual(me.body.account, a);
  assert.equal(me.body.expires_at, r.body.expires_at);
  assert.equal(me.body.csrf_token, undefined);
});

test('user names match case-insensitively', async () => {
  const r = await s.post('/api/v1/auth/login', { username: 'Kim.Counsellor', password: PW });
  assert.equal(r.status, 200, r.text);
});

test('wrong password and unknown user fail the same way', async () => {
  const wrong = await s.post('/api/v1/auth/login', { username: 'kim.counsellor', password: PW + 'x' });
  const unknown = await s.post('/api/v1/auth/login', { username: 'nobody.here', password: PW });
  assertError(assert, wrong, 401, 'auth.invalid_credentials');
  assertError(assert, unknown, 401, 'auth.invalid_credentials');
  assert.deepEqual(wrong.body.error, unknown.body.error);
});

test('login input is validated: malformed JSON, content type, unknown field, size, mode', async () => {
  assertError(assert, await s.post('/api/v1/auth/login', '{"username": "kim.counsellor",'), 400, 'request.malformed_json');
  assertError(assert, await s.req('POST', '/api/v1/auth/login', { raw: `username=kim.counsellor&password=${PW}`,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }), 415, 'request.unsupported_media_type');
  const unk = await s.post('/api/v1/auth/login', { username: 'kim.counsellor', password: PW, remember: true });
  assertError(assert, unk, 422, 'validation.unknown_field');
  assert.equal(unk.body.error.field, 'remember');
  assertError(assert, await s.post('/api/v1/auth/login', { username: 'kim.counsellor', password: 'x'.repeat(20000) }),
    413, 'request.too_large');
  const mode = await s.post('/api/v1/auth/login', { username: 'kim.counsellor', password: PW, mode: 'session' });
  assertError(assert, mode, 422, 'validation.failed');
  assert.equal(mode.body.error.field, 'mode');
  const miss = await s.post('/api/v1/auth/login', { username: 'kim.counsellor' });
  assertError(assert, miss, 422, 'validation.failed');
  assert.equal(miss.body.error.field, 'password');
  assertError(assert, await s.post('/api/v1/auth/login', { username: 'kim.counsellor', password: 42 }), 422, 'validation.failed');
});

test('forged, malformed and foreign tokens are refused', async () => {
  const forged = 'ops_' + randomBytes(32).toString('base64url');
  assertError(assert, await s.get('/api/v1/auth/session', { token: forged }), 401, 'auth.token_invalid');
  assertError(assert, await s.get('/api/v1/auth/session', { token: 'opc_' + randomBytes(32).toString('base64url') }), 401, 'auth.token_invalid');
  assertError(assert, await s.get('/api/v1/auth/session', { token: 'not-a-token' }), 401, 'auth.token_invalid');
  assertError(assert, await s.get('/api/v1/auth/session', { headers: { Cookie: `openpes_session=${forged}` } }), 401, 'auth.token_invalid');
  assertError(assert, await s.get('/api/v1/auth/session'), 401, 'auth.required');
  // A bearer token is not accepted as a session cookie (it has no CSRF token).
  const tok = await s.login('kim.counsellor', PW);
  assertError(assert, await s.get('/api/v1/auth/session', { headers: { Cookie: `openpes_session=${tok}` } }), 401, 'auth.token_invalid');
  // Bad credentials on a public route are ignored: the caller is simply anonymous.
  assert.equal((await s.get('/api/v1/purposes', { token: forged })).status, 200);
});

test('logout revokes the session', async () => {
  const tok = await s.login('kim.counsellor', PW);
  assert.equal((await s.get('/api/v1/auth/session', { token: tok })).status, 200);
  const out = await s.post('/api/v1/auth/logout', undefined, { token: tok });
  assert.equal(out.status, 200, out.text);
  assert.match(out.headers.get('set-cookie'), /openpes_session=;.*Max-Age=0/);
  assertError(assert, await s.get('/api/v1/auth/session', { token: tok }), 401, 'auth.token_invalid');
  assertError(assert, await s.post('/api/v1/auth/logout', undefined, { token: tok }), 401, 'auth.token_invalid');
});

test('cookie login: HttpOnly SameSite cookie, CSRF token required for writes', async () => {
  const r = await s.post('/api/v1/auth/login', { username: 'park.admin', password: PW, mode: 'cookie' });
  assert.equal(r.status, 200, r.text);
  const sc = r.headers.get('set-cookie');
  assert.match(sc, /^openpes_session=ops_[A-Za-z0-9_-]{43};/);
  assert.match(sc, /; HttpOnly/);
  assert.match(sc, /; SameSite=Strict/);
  assert.match(sc, /; Path=\//);
  assert.doesNotMatch(sc, /Secure/, 'no Secure flag without --secure-cookies');
  assert.equal(r.body.token, undefined, 'the token is only in the cookie');
  assert.match(r.body.csrf_token, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(r.body.account.role, 'admin');
  const Cookie = `openpes_session=${cookieOf(r)}`;

  const me = await s.get('/api/v1/auth/session', { headers: { Cookie } });
  assert.equal(me.status, 200, me.text);
  assert.equal(me.body.csrf_token, r.body.csrf_token, 'a reloaded page can recover the CSRF token');
  assert.equal(me.body.via, 'cookie');

  const office = { code: 'BUSAN-01', name: 'Busan Job Centre', kind: 'job_centre', region_code: 'KR-26' };
  assertError(assert, await s.post('/api/v1/offices', office, { headers: { Cookie } }), 403, 'auth.csrf_failed');
  assertError(assert, await s.post('/api/v1/offices', office, { headers: { Cookie, 'X-CSRF-Token': 'wrong' } }), 403, 'auth.csrf_failed');
  const ok = await s.post('/api/v1/offices', office, { headers: { Cookie, 'X-CSRF-Token': r.body.csrf_token } });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.body.office.code, 'BUSAN-01');

  assertError(assert, await s.post('/api/v1/auth/logout', undefined, { headers: { Cookie } }), 403, 'auth.csrf_failed');
  const out = await s.post('/api/v1/auth/logout', undefined, { headers: { Cookie, 'X-CSRF-Token': r.body.csrf_token } });
  assert.equal(out.status, 200, out.text);
  assertError(assert, await s.get('/api/v1/auth/session', { headers: { Cookie } }), 401, 'auth.token_invalid');
});

test('a citizen may not call staff routes', async () => {
  const tok = await s.login('lee.citizen', PW);
  const me = await s.get('/api/v1/auth/session', { token: tok });
  assert.equal(me.body.account.kind, 'citizen');
  assert.equal(me.body.account.office, null);
  assert.equal(me.body.account.locale, 'en');
  assertError(assert, await s.get('/api/v1/audit?person_id=00000000-0000-7000-8000-000000000000', { token: tok }), 403, 'access.denied');
  assertError(assert, await s.get('/api/v1/accounts', { token: tok }), 403, 'access.denied');
  // The office directory is public (citizens pick the job centre they register at).
  const offices = await s.get('/api/v1/offices');
  assert.equal(offices.status, 200, offices.text);
  assert.ok(offices.body.items.length >= 1);
});

test('an endpoint without a body ignores a small one (logout with "{}")', async () => {
  const tok = await s.login('lee.citizen', PW);
  const r = await s.post('/api/v1/auth/logout', {}, { token: tok });
  assert.equal(r.status, 200, r.text);
  assertError(assert, await s.get('/api/v1/auth/session', { token: tok }), 401, 'auth.token_invalid');
});

test('signup creates a citizen account that can log in', async () => {
  const r = await s.post('/api/v1/auth/signup', { username: 'choi.minji', password: '안전한 비밀번호 열자', display_name: '최민지' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.account.kind, 'citizen');
  assert.equal(r.body.account.role, null);
  assert.equal(r.body.account.person_id, null);
  assert.equal(r.body.account.display_name, '최민지');
  assert.equal(r.body.account.locale, 'ko');
  const login = await s.post('/api/v1/auth/login', { username: 'choi.minji', password: '안전한 비밀번호 열자' });
  assert.equal(login.status, 200, login.text);
  assert.equal(login.body.account.id, r.body.account.id);

  assertError(assert, await s.post('/api/v1/auth/signup', { username: 'choi.minji', password: PW }), 409, 'resource.duplicate');
  const weak = await s.post('/api/v1/auth/signup', { username: 'weak.pw', password: 'short' });
  assertError(assert, weak, 422, 'validation.failed');
  assert.equal(weak.body.error.field, 'password');
  const name = await s.post('/api/v1/auth/signup', { username: 'Bad Name', password: PW });
  assertError(assert, name, 422, 'validation.failed');
  assert.equal(name.body.error.field, 'username');
  assertError(assert, await s.post('/api/v1/auth/signup', { username: 'role.try', password: PW, role: 'admin' }), 422, 'validation.unknown_field');
  const kind = await s.post('/api/v1/auth/signup', { username: 'kind.try', password: PW, kind: 'staff' });
  assertError(assert, kind, 422, 'validation.failed');
  assert.equal(kind.body.error.field, 'kind', 'only citizens and employers sign themselves up');
});

test('client credentials: form and Basic authentication, scopes', async () => {
  const r = await s.req('POST', '/oauth2/client/token', { form: { grant_type: 'client_credentials', client_id: 'dci-registry', client_secret: SECRET } });
  assert.equal(r.status, 200, r.text);
  assert.match(r.body.access_token, /^opc_[A-Za-z0-9_-]{43}$/);
  assert.equal(r.body.token_type, 'Bearer');
  assert.equal(r.body.expires_in, '3600');
  assert.equal(r.body.scope, 'registry.search registry.subscribe');
  assert.equal(r.headers.get('cache-control'), 'no-store');

  const basic = 'Basic ' + Buffer.from(`dci-registry:${SECRET}`).toString('base64');
  const narrowed = await s.req('POST', '/oauth2/client/token', { form: { grant_type: 'client_credentials', scope: 'registry.search' },
    headers: { Authorization: basic } });
  assert.equal(narrowed.status, 200, narrowed.text);
  assert.equal(narrowed.body.scope, 'registry.search');

  // The token authenticates a partner: user-only routes answer 403, not 401.
  assertError(assert, await s.get('/api/v1/auth/session', { token: r.body.access_token }), 403, 'access.denied');
});

test('client credentials errors follow RFC 6749 section 5.2', async () => {
  const tok = (form, headers = {}) => s.req('POST', '/oauth2/client/token', { form, headers });
  const oauthErr = (r, status, error) => {
    assert.equal(r.status, status, r.text);
    assert.equal(r.body.error, error, r.text);
    assert.equal(typeof r.body.error_description, 'string');
  };
  const base = { grant_type: 'client_credentials', client_id: 'dci-registry' };
  oauthErr(await tok({ ...base, client_secret: 'wrong-secret-0123456789' }), 401, 'invalid_client');
  oauthErr(await tok({ ...base, client_id: 'nobody', client_secret: SECRET }), 401, 'invalid_client');
  oauthErr(await tok({ grant_type: 'client_credentials' }), 401, 'invalid_client');
  const wrongBasic = await tok({ grant_type: 'client_credentials' }, { Authorization: 'Basic ' + Buffer.from('dci-registry:nope').toString('base64') });
  oauthErr(wrongBasic, 401, 'invalid_client');
  assert.match(wrongBasic.headers.get('www-authenticate'), /Basic/);
  oauthErr(await tok({ ...base, client_secret: SECRET, scope: 'registry.search disburse.disburse' }), 400, 'invalid_scope');
  oauthErr(await tok({ ...base, client_secret: SECRET, scope: 'registry' }), 400, 'invalid_scope');
  oauthErr(await tok({ ...base, client_secret: SECRET, grant_type: 'password' }), 400, 'unsupported_grant_type');
  oauthErr(await tok({ client_id: 'dci-registry', client_secret: SECRET }), 400, 'invalid_request');
  oauthErr(await s.req('POST', '/oauth2/client/token', { raw: `grant_type=client_credentials&client_id=dci-registry&client_id=x&client_secret=${SECRET}`,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }), 400, 'invalid_request');
  assertError(assert, await s.post('/oauth2/client/token', { grant_type: 'client_credentials' }), 415, 'request.unsupported_media_type');
});

test('admin API: admins manage offices and accounts; anyone may list offices', async () => {
  const admin = await s.login('park.admin', PW);
  const couns = await s.login('kim.counsellor', PW);

  const offices = await s.get('/api/v1/offices', { token: couns });
  assert.equal(offices.status, 200, offices.text);
  assert.ok(offices.body.items.some((o) => o.code === 'SEOUL-01' && o.region_code === 'KR-11'));

  const office = { code: 'DAEGU-01', name: 'Daegu Job Centre', name_ko: '대구고용센터', kind: 'job_centre', region_code: 'KR-27' };
  assertError(assert, await s.post('/api/v1/offices', office, { token: couns }), 403, 'access.denied');
  assertError(assert, await s.get('/api/v1/accounts', { token: couns }), 403, 'access.denied');
  assertError(assert, await s.post('/api/v1/accounts', {}, { token: couns }), 403, 'access.denied');
  assertError(assert, await s.post('/api/v1/offices', office), 401, 'auth.required');

  const created = await s.post('/api/v1/offices', office, { token: admin });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.body.office.name_ko, '대구고용센터');
  assertError(assert, await s.post('/api/v1/offices', office, { token: admin }), 409, 'resource.duplicate');
  const badRegion = await s.post('/api/v1/offices', { ...office, code: 'DAEGU-02', region_code: 'Daegu' }, { token: admin });
  assertError(assert, badRegion, 422, 'validation.failed');
  assert.equal(badRegion.body.error.field, 'region_code');
  assertError(assert, await s.post('/api/v1/offices', { ...office, code: 'DAEGU-03', kind: 'school' }, { token: admin }), 422, 'validation.failed');

  const acc = { username: 'jung.welfare', password: PW, kind: 'staff', role: 'welfare_officer', office: 'DAEGU-01', display_name: 'Jung' };
  const a = await s.post('/api/v1/accounts', acc, { token: admin });
  assert.equal(a.status, 201, a.text);
  assert.equal(a.body.account.office.code, 'DAEGU-01');
  assert.equal(a.body.account.role, 'welfare_officer');
  assert.equal(a.body.account.password, undefined);
  assertError(assert, await s.post('/api/v1/accounts', acc, { token: admin }), 409, 'resource.duplicate');
  const noOffice = await s.post('/api/v1/accounts', { ...acc, username: 'no.office', office: undefined }, { token: admin });
  assertError(assert, noOffice, 422, 'validation.failed');
  assert.equal(noOffice.body.error.field, 'office');
  const ghost = await s.post('/api/v1/accounts', { ...acc, username: 'ghost.office', office: 'NOWHERE' }, { token: admin });
  assertError(assert, ghost, 422, 'validation.failed');
  assert.equal(ghost.body.error.field, 'office');
  assertError(assert, await s.post('/api/v1/accounts', { ...acc, username: 'bad.role', role: 'king' }, { token: admin }), 422, 'validation.failed');
  assertError(assert, await s.post('/api/v1/accounts', { ...acc, username: 'a.citizen', kind: 'citizen', role: undefined, office: undefined },
    { token: admin }), 422, 'validation.failed');
  const emp = await s.post('/api/v1/accounts', { username: 'acme.hr', password: PW, kind: 'employer', display_name: 'ACME HR' }, { token: admin });
  assert.equal(emp.status, 201, emp.text);
  assertError(assert, await s.post('/api/v1/accounts', { username: 'acme.two', password: PW, kind: 'employer', role: 'admin' },
    { token: admin }), 422, 'validation.failed');

  const list = await s.get('/api/v1/accounts?office=DAEGU-01', { token: admin });
  assert.equal(list.status, 200, list.text);
  assert.deepEqual(list.body.items.map((x) => x.username), ['jung.welfare']);
  assert.equal(list.body.next, null);
  const page = await s.get('/api/v1/accounts?limit=1', { token: admin });
  assert.equal(page.body.items.length, 1);
  assert.equal(typeof page.body.next, 'string');
  const page2 = await s.get(`/api/v1/accounts?limit=1&after=${encodeURIComponent(page.body.next)}`, { token: admin });
  assert.ok(page2.body.items[0].username > page.body.items[0].username);
  const all = await s.get('/api/v1/accounts', { token: admin });
  assert.ok(all.body.items.every((x) => x.kind !== 'citizen'), 'citizen accounts are not listed');
  assertError(assert, await s.get('/api/v1/accounts?office=NOWHERE', { token: admin }), 400, 'request.bad_query');
  assertError(assert, await s.get('/api/v1/accounts?kind=citizen', { token: admin }), 400, 'request.bad_query');
});

test('expired sessions are refused, and a stale cookie does not block logging in again', async () => {
  const t = new Server();
  t.cliOk('user', 'add', '--username', 'short.lived', '--password', PW, '--kind', 'citizen');
  // 3 s: long enough for two argon2 sign-ins and a read on a loaded machine before it runs out.
  await t.start(['--session-ttl', '3']);
  try {
    const tok = await t.login('short.lived', PW);
    const c = await t.post('/api/v1/auth/login', { username: 'short.lived', password: PW, mode: 'cookie' });
    assert.match(c.headers.get('set-cookie'), /Max-Age=3(;|$)/);
    assert.equal((await t.get('/api/v1/auth/session', { token: tok })).status, 200);
    await new Promise((r) => setTimeout(r, 4000));
    assertError(assert, await t.get('/api/v1/auth/session', { token: tok }), 401, 'auth.token_expired');
    const Cookie = `openpes_session=${cookieOf(c)}`;
    assertError(assert, await t.get('/api/v1/auth/session', { headers: { Cookie } }), 401, 'auth.token_expired');
    const again = await t.post('/api/v1/auth/login', { username: 'short.lived', password: PW }, { headers: { Cookie } });
    assert.equal(again.status, 200, again.text);
  } finally {
    await t.stop();
  }
});

test('login is listed in the OpenAPI document with the auth tag', async () => {
  const r = await s.get('/api/v1/openapi.json');
  for (const p of ['/api/v1/auth/login', '/api/v1/auth/signup', '/oauth2/client/token'])
    assert.deepEqual(r.body.paths[p].post.tags, ['auth'], `${p} is documented under "auth"`);
  assert.equal(r.body.paths['/api/v1/auth/login'].post['x-writes'], true);
  assert.deepEqual(r.body.paths['/api/v1/accounts'].post.tags, ['admin']);
  assert.equal(r.body.paths['/api/v1/accounts'].post['x-idempotency-key'], false, 'bodies with passwords are not kept for replay');
});

test('failed sign-ins are throttled per name and address: 429 with Retry-After, then free again', async () => {
  s.cliOk('user', 'add', '--username', 'guess.target', '--password', PW, '--kind', 'citizen', '--name', 'Target');
  const login = (password, username = 'guess.target') => s.post('/api/v1/auth/login', { username, password, mode: 'bearer' });
  for (let i = 0; i < 5; i++) assertError(assert, await login('wrong-password-' + i), 401, 'auth.invalid_credentials');
  assertError(assert, await login('wrong-password-5'), 401, 'auth.invalid_credentials'); // the 6th failure locks for 2 s
  const locked = await login(PW);
  assertError(assert, locked, 429, 'request.rate_limited');
  assert.ok(Number(locked.headers.get('retry-after')) >= 1, 'Retry-After says when to come back');
  assert.match(locked.body.error.detail, /too many failed sign-ins/);
  // another account from the same address is not affected
  assert.equal((await login(PW, 'kim.counsellor')).status, 200);
  await new Promise((r) => setTimeout(r, 2200));
  assert.equal((await login(PW)).status, 200, 'free again after the lock, and the success clears the count');
  assertError(assert, await login('wrong-again'), 401, 'auth.invalid_credentials');
});

test('the OAuth2 token endpoint throttles a client that keeps failing', async () => {
  s.cliOk('client', 'add', '--id', 'guessed-client', '--secret', SECRET, '--scopes', 'registry.search', '--name', 'G');
  const token = (secret) => s.req('POST', '/oauth2/client/token', {
    form: { grant_type: 'client_credentials', client_id: 'guessed-client', client_secret: secret } });
  for (let i = 0; i < 6; i++) assert.equal((await token('bad-secret-' + i)).status, 401);
  const r = await token(SECRET);
  assert.equal(r.status, 429, r.text);
  assert.ok(Number(r.headers.get('retry-after')) >= 1);
});

test('an administrator locks an account: its sessions end, sign-in is refused until unlocked', async () => {
  s.cliOk('user', 'add', '--username', 'to.lock', '--password', PW, '--kind', 'citizen', '--name', 'Lock Me');
  const login = () => s.post('/api/v1/auth/login', { username: 'to.lock', password: PW, mode: 'bearer' });
  const tok = (await login()).body.token;
  assert.equal((await s.get('/api/v1/auth/session', { token: tok })).status, 200);
  const out = s.cliOk('user', 'disable', '--username', 'to.lock');
  assert.match(out, /disabled; 1 sessions ended/);
  await new Promise((r) => setTimeout(r, 2100)); // other processes' credential caches (2 s TTL)
  assertError(assert, await s.get('/api/v1/auth/session', { token: tok }), 401);
  assertError(assert, await login(), 401, 'auth.invalid_credentials');
  assert.equal(s.cli('user', 'disable', '--username', 'nobody.here').status, 1);
  s.cliOk('user', 'enable', '--username', 'to.lock');
  assert.equal((await login()).status, 200);
});

test('a locked partner client loses its tokens and gets no new ones', async () => {
  s.cliOk('client', 'add', '--id', 'to-lock', '--secret', SECRET, '--scopes', 'registry.search', '--name', 'L');
  const token = () => s.req('POST', '/oauth2/client/token', {
    form: { grant_type: 'client_credentials', client_id: 'to-lock', client_secret: SECRET } });
  const t = (await token()).body.access_token;
  assert.ok(t);
  assert.notEqual((await s.get('/registry/partner-info', { token: t })).status, 401, 'the token authenticates');
  assert.match(s.cliOk('client', 'disable', '--id', 'to-lock'), /disabled; 1 tokens ended/);
  await new Promise((r) => setTimeout(r, 2100));
  assert.equal((await s.get('/registry/partner-info', { token: t })).status, 401, 'and no longer');
  assert.equal((await token()).status, 401);
  s.cliOk('client', 'enable', '--id', 'to-lock');
  assert.equal((await token()).status, 200);
});

test('employers sign themselves up too; staff accounts cannot be self-made', async () => {
  const r = await s.post('/api/v1/auth/signup', { username: 'selfmade.employer', password: PW, display_name: 'Acme HR', kind: 'employer' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.account.kind, 'employer');
  assert.equal(r.body.account.employer_id ?? null, null, 'the business is registered (and verified) afterwards');
  assert.equal((await s.post('/api/v1/auth/login', { username: 'selfmade.employer', password: PW })).status, 200);
  const staff = await s.post('/api/v1/auth/signup', { username: 'self.made', password: PW, kind: 'staff' });
  assertError(assert, staff, 422, 'validation.failed');
  assert.equal(staff.body.error.field, 'kind');
});
