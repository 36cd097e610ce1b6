// dci_helpers.mjs - a tiny DCI client for the tests: JCS, the contract's Ed25519 + BLAKE2b-512
// signature profile, envelopes, tokens and direct SQL on the test database.
import crypto from 'node:crypto';

export function jcs(v) {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return '[' + v.map(jcs).join(',') + ']';
  return '{' + Object.keys(v).filter((k) => v[k] !== undefined).sort().map((k) => JSON.stringify(k) + ':' + jcs(v[k])).join(',') + '}';
}

export function signingString(header, message, created, expires) {
  const d = crypto.createHash('blake2b512').update(jcs({ header, message })).digest('base64');
  return `(created): ${created}\n(expires): ${expires}\ndigest: BLAKE-512=${d}`;
}

export function sign(header, message, sender, kid, privateKey, { created, expires } = {}) {
  const now = Math.floor(Date.now() / 1000);
  created ??= now; expires ??= now + 300;
  const sig = crypto.sign(null, Buffer.from(signingString(header, message, created, expires)), privateKey).toString('base64');
  return `keyId="${sender}|${kid}|ed25519",algorithm="ed25519",created="${created}",expires="${expires}",headers="(created) (expires) digest",signature="${sig}"`;
}

export function verify(body, jwks) {
  const m = /keyId="([^|]*)\|([^|]*)\|ed25519".*created="(\d+)",expires="(\d+)".*signature="([^"]+)"/.exec(body.signature || '');
  if (!m) return false;
  const jwk = jwks.keys.find((k) => k.kid === m[2]);
  if (!jwk) return false;
  const key = crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' });
  return crypto.verify(null, Buffer.from(signingString(body.header, body.message, m[3], m[4])), key, Buffer.from(m[5], 'base64'));
}

export function keypair(kid) {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  return { kid, privateKey, jwks: { keys: [{ kty: 'OKP', crv: 'Ed25519', kid, x: jwk.x }] } };
}

let seq = 0;
export const mid = () => `msg-${process.pid}-${Date.now()}-${++seq}`;
export const nowTs = () => new Date().toISOString();

export function envelope(sender, message, { action = 'search', header = {}, key } = {}) {
  const h = { version: '1.0.0', message_id: mid(), message_ts: nowTs(), action, sender_id: sender, total_count: 1, ...header };
  const body = { header: h, message };
  if (key) body.signature = sign(h, message, sender, key.kid, key.privateKey);
  return body;
}

export function searchMsg(items, txn = 'txn-' + mid()) {
  return {
    transaction_id: txn,
    search_request: items.map((criteria, i) => ({ reference_id: `ref-${i + 1}`, timestamp: nowTs(), search_criteria: criteria })),
  };
}

export async function token(s, id, secret, scope) {
  const form = { grant_type: 'client_credentials', client_id: id, client_secret: secret };
  if (scope) form.scope = scope;
  const r = await s.req('POST', '/oauth2/client/token', { form });
  if (r.status !== 200) throw new Error('token: ' + r.text);
  return r.body.access_token;
}

// Run SQL on the server's database (SQLite file or PostgreSQL URL); returns stdout rows.
export function sql(s, stmt) {
  return s.sql(stmt).split('\n').filter(Boolean);
}
