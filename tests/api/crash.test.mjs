// crash.test.mjs - kill -9 during concurrent writes and reads: after a restart the audit chain is
// intact, every create that was answered 201 exists, and no person exists without the CREATE audit
// record written in the same transaction (nothing half-written), and every read that was answered
// has its READ record (the answer waits until the record is durable).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Server } from './lib.mjs';

const PW = 'correct-horse-42';

test('SIGKILL mid-traffic leaves consistent data', async () => {
  const s = new Server();
  s.cliOk('office', 'add', '--code', 'SEOUL-01', '--name', 'Seoul Job Centre', '--kind', 'job_centre', '--region', 'KR-11');
  s.cliOk('user', 'add', '--username', 'kim.c', '--password', PW, '--kind', 'staff', '--role', 'counsellor', '--office', 'SEOUL-01', '--name', 'Kim');
  s.cliOk('user', 'add', '--username', 'lee.a', '--password', PW, '--kind', 'staff', '--role', 'auditor', '--office', 'SEOUL-01', '--name', 'Lee');
  await s.start();
  const tok = await s.login('kim.c', PW);
  const answered = [];
  const reads = []; // [person id, correlation id] of answered reads
  const send = async (i) => {
    const day = String(1 + (i % 28)).padStart(2, '0');
    try {
      const r = await s.post('/api/v1/persons', {
        national_id: `8802${day}-2${String(100000 + i).slice(1)}${i % 10}`, given_name: `서연${i}`, family_name: '이',
        birth_date: `1988-02-${day}`, address: { line: 'x', postal_code: '06000', region_code: 'KR-11' },
      }, { token: tok });
      if (r.status === 201) {
        answered.push(r.body.id);
        await s.get(`/api/v1/persons/${r.body.id}`, { token: tok }).catch(() => {});
      }
    } catch { /* the connection died with the server */ }
  };
  // Reads of a person made before the traffic run until the kill, each with its own correlation id.
  const first = await s.post('/api/v1/persons', {
    national_id: '880215-2345671', given_name: '지우', family_name: '최', birth_date: '1988-02-15',
    address: { line: 'x', postal_code: '06000', region_code: 'KR-11' },
  }, { token: tok });
  assert.equal(first.status, 201, first.text);
  let killed = false;
  const reader = async (k) => {
    for (let j = 0; !killed; j++) {
      const cid = `crash-read-${k}-${j}`;
      const g = await s.get(`/api/v1/persons/${first.body.id}`, { token: tok, headers: { 'X-Correlation-ID': cid } }).catch(() => null);
      if (!g) break;
      if (g.status === 200) reads.push([first.body.id, cid]);
    }
  };
  const readers = Promise.all([0, 1, 2, 3].map(reader));
  const traffic = Promise.all(Array.from({ length: 200 }, (_, i) => new Promise((res) => setTimeout(() => send(i).then(res), i * 2))));
  await new Promise((r) => setTimeout(r, 150));
  s.proc.kill('SIGKILL');
  killed = true;
  await traffic;
  await readers;
  await s.exited;
  assert.ok(answered.length > 0, 'some creates were answered before the kill');

  const v = s.cli('audit', 'verify');
  assert.equal(v.status, 0, 'audit chain intact after SIGKILL: ' + v.stdout + v.stderr);
  await s.start();
  try {
    const aud = await s.login('lee.a', PW);
    const c = await s.login('kim.c', PW);
    for (const id of answered) {
      const r = await s.get(`/api/v1/persons/${id}`, { token: c });
      assert.equal(r.status, 200, `answered create ${id} survived`);
    }
    // Every person in the database has its CREATE record (same transaction): none half-written.
    const found = await s.post('/api/v1/persons/search', { name: '이', limit: 100 }, { token: c });
    assert.equal(found.status, 200, found.text);
    assert.ok(found.body.count >= Math.min(answered.length, 100));
    for (const p of found.body.items) {
      const log = await s.get(`/api/v1/audit?person_id=${p.id}`, { token: aud });
      assert.ok(log.body.items.some((x) => x.action === 'CREATE' && x.outcome === 'allow'), `CREATE audited for ${p.id}`);
    }
    assert.ok(reads.length > 0, 'some reads were answered before the kill');
    const audited = new Set();
    for (let before = ''; ;) { // newest first, paged by seq
      const log = await s.get(`/api/v1/audit?person_id=${first.body.id}&limit=500${before}`, { token: aud });
      assert.equal(log.status, 200, log.text);
      for (const x of log.body.items) if (x.action === 'READ') audited.add(x.correlation_id);
      if (log.body.items.length < 500) break;
      before = `&before=${log.body.items[log.body.items.length - 1].seq}`;
    }
    for (const [, cid] of reads) assert.ok(audited.has(cid), `answered read ${cid} audited`);
    console.log(`crash test: ${reads.length} reads answered before the kill, each audited`);
  } finally {
    await s.stop();
  }
});
