// sign.mjs - signed DCI request bodies for the benchmark (the contract's Ed25519 + BLAKE2b-512 + JCS
// profile, implemented in tests/api/dci_helpers.mjs).
//   node bench/dci/sign.mjs keygen KEYFILE JWKSFILE             a partner key pair (PEM) and its JWKS
//   node bench/dci/sign.mjs bodies KEYFILE IDS SENDER N OUT     N sync-search bodies, one per line, each
//        with its own message_id and a random UIN from the seeder's ids file (third column);
//        signatures valid for an hour (created = now, expires = now + 3600).
import crypto from 'node:crypto';
import { readFileSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { sign } from '../../tests/api/dci_helpers.mjs';

const [cmd, ...a] = process.argv.slice(2);
const KID = 'bench-k1';
if (cmd === 'keygen') {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  writeFileSync(a[0], privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  writeFileSync(a[1], JSON.stringify({ keys: [{ kty: 'OKP', crv: 'Ed25519', kid: KID, x: publicKey.export({ format: 'jwk' }).x }] }));
} else if (cmd === 'bodies') {
  const [keyFile, idsFile, sender, n, out] = a;
  const key = crypto.createPrivateKey(readFileSync(keyFile));
  const uins = readFileSync(idsFile, 'utf8').split('\n').map((l) => l.split('\t')[2]).filter(Boolean);
  const now = Math.floor(Date.now() / 1000);
  const run = `${now}-${process.pid}`;
  const fd = openSync(out, 'w');
  let buf = '';
  for (let i = 0; i < Number(n); i++) {
    const id = `sig-${run}-${i}`;
    const ts = new Date().toISOString();
    const header = { version: '1.0.0', message_id: id, message_ts: ts, action: 'search', sender_id: sender, total_count: 1 };
    const message = { transaction_id: id, search_request: [{ reference_id: 'r1', timestamp: ts, search_criteria: {
      reg_type: 'ns:org:RegistryType:ESS', query_type: 'idtype-value', query: { type: 'UIN', value: uins[crypto.randomInt(uins.length)] } } }] };
    const signature = sign(header, message, sender, KID, key, { created: now, expires: now + 3600 });
    buf += JSON.stringify({ signature, header, message }) + '\n';
    if (buf.length > 1 << 20) { writeSync(fd, buf); buf = ''; }
  }
  writeSync(fd, buf);
  closeSync(fd);
} else {
  console.error('usage: sign.mjs keygen KEYFILE JWKSFILE | bodies KEYFILE IDS SENDER N OUT');
  process.exit(2);
}
