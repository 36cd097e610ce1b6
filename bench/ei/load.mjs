// load.mjs - employment-detection load against a running openpes.
//   node load.mjs BASE TOKEN NIDS_FILE batch N         one x-ndjson batch of N job starts: lines/s
//   node load.mjs BASE TOKEN NIDS_FILE steady RATE SECS  open-loop single registrations at RATE/s:
//                                                        latency request -> committed suspension + event
// Each person is used once (a second start for the same person is a replay, not a suspension).
import { readFileSync } from 'node:fs';
import http from 'node:http';

const [base, token, file, mode, a, b] = process.argv.slice(2);
const nids = readFileSync(file, 'utf8').trim().split('\n');
let next = 0;
const today = new Date().toISOString().slice(0, 10);
const reg = (nid) => JSON.stringify({ national_id: nid, employer_brn: '2223344444', start_date: today, employer_name: 'Bench' });
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function post(body, ct) {
  return new Promise((resolve, reject) => {
    const u = new URL(base + '/api/v1/insurance/registrations');
    const rq = http.request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', agent,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': ct, 'Content-Length': Buffer.byteLength(body) } }, (rs) => {
      let t = '';
      rs.on('data', (d) => { t += d; });
      rs.on('end', () => resolve({ status: rs.statusCode, text: t }));
    });
    rq.on('error', reject);
    rq.end(body);
  });
}

if (mode === 'batch') {
  const n = Number(a);
  const body = nids.slice(0, n).map(reg).join('\n');
  const t0 = process.hrtime.bigint();
  const r = await post(body, 'application/x-ndjson');
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const j = JSON.parse(r.text);
  console.log(JSON.stringify({ mode, lines: n, created: j.created, rejected: j.rejected, seconds: +s.toFixed(3), per_second: Math.round(n / s) }));
} else {
  const rate = Number(a), secs = Number(b), total = rate * secs;
  next = Number(process.env.OFFSET || 0);
  const lat = [];
  let errors = 0, sent = 0;
  const t0 = performance.now();
  await new Promise((done) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate));
      while (sent < due) {
        const nid = nids[next++ % nids.length];
        sent++;
        const s0 = performance.now();
        post(reg(nid), 'application/json').then((r) => {
          if (r.status !== 201) errors++;
          lat.push(performance.now() - s0);
          if (lat.length === total) done();
        }, () => { errors++; lat.push(NaN); if (lat.length === total) done(); });
      }
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
  const el = (performance.now() - t0) / 1000;
  lat.sort((x, y) => x - y);
  const q = (p) => +lat[Math.min(lat.length - 1, Math.floor(p * lat.length))].toFixed(2);
  console.log(JSON.stringify({ mode, rate, seconds: +el.toFixed(2), requests: total, achieved_per_second: Math.round(total / el), errors, p50_ms: q(0.5), p90_ms: q(0.9), p99_ms: q(0.99), max_ms: q(1 - 1e-9) }));
}
agent.destroy();
