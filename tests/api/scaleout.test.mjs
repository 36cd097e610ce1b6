// scaleout.test.mjs - two server processes on one database (the scale-out model: stateless API
// processes sharing the store).  Concurrent reads and writes through both must leave one intact
// audit hash chain with a record for every access, and sessions issued by one must work on the other.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Server, BIN, ROOT } from './lib.mjs';

const PW = 'correct-horse-42';

async function second(s) {
  const portFile = join(s.dir, 'port2');
  const proc = spawn(BIN, ['--db', s.db, '--keys', s.keys, '--log-level', 'warn', 'serve', '--port', '0',
    '--port-file', portFile, '--web', join(ROOT, 'web')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr.on('data', (d) => { err += d; });
  for (let i = 0; i < 200 && !existsSync(portFile); i++) await new Promise((r) => setTimeout(r, 25));
  const port = Number(readFileSync(portFile, 'utf8').trim());
  const exited = new Promise((res) => proc.on('exit', (code, sig) => res({ code, sig })));
  return { base: `http://127.0.0.1:${port}`, stop: async () => { proc.kill('SIGTERM'); const r = await exited; return { ...r, err }; } };
}

test('two processes share sessions and one intact audit chain', async () => {
  const s = new Server();
  s.cliOk('office', 'add', '--code', 'SEOUL-01', '--name', 'Seoul Job Centre', '--kind', 'job_centre', '--region', 'KR-11');
  s.cliOk('user', 'add', '--username', 'kim.c', '--password', PW, '--kind', 'staff', '--role', 'counsellor', '--office', 'SEOUL-01', '--name', 'Kim');
  await s.start();
  const b = await second(s);
  try {
    const tok = await s.login('kim.c', PW);
    const auth = { Authorization: `Bearer ${tok}`, 'Content-Type': 'application/json' };
    // Create people through both processes at once, then read them through both at once.
    const bases = [s.base, b.base];
    const created = await Promise.all(Array.from({ length: 24 }, (_, i) => {
      const day = String(1 + (i % 28)).padStart(2, '0');
      const nid = `8501${day}-1${String(100000 + i).slice(1)}${i % 10}`;
      return fetch(bases[i % 2] + '/api/v1/persons', { method: 'POST', headers: auth, body: JSON.stringify({
        national_id: nid, given_name: `민준${i}`, family_name: '김', birth_date: `1985-01-${day}`,
        address: { line: 'x', postal_code: '06000', region_code: 'KR-11' } }) }).then(async (r) => ({ status: r.status, body: await r.json() }));
    }));
    for (const c of created) assert.equal(c.status, 201, JSON.stringify(c.body));
    const ids = created.map((c) => c.body.id);
    const reads = await Promise.all(Array.from({ length: 120 }, (_, i) =>
      fetch(bases[i % 2] + `/api/v1/persons/${ids[i % ids.length]}`, { headers: auth }).then((r) => r.status)));
    assert.deepEqual([...new Set(reads)], [200], 'the session issued by one process works on the other');
  } finally {
    const r = await b.stop();
    assert.ok(r.code === 0 || r.sig === 'SIGTERM', `second server exited cleanly: ${r.code} ${r.sig} ${r.err}`);
    await s.stop(true);
  }
  const v = s.cli('audit', 'verify');
  assert.equal(v.status, 0, v.stdout + v.stderr);
  const n = Number((v.stdout.match(/intact: (\d+) records/) || [])[1]);
  assert.ok(n >= 24 + 120, `a record for every create and read: ${n}`);
  await s.stop();
});
