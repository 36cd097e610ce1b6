// lib.mjs - start a real openpes server on a free port against a fresh database and talk to it.
//
// Backend: OPENPES_TEST_DB=postgres (with OPENPES_TEST_PG_ADMIN=postgres://.../postgres) creates a
// new PostgreSQL database per server; anything else uses a new SQLite file.  OPENPES_BIN selects
// the binary (default build/openpes; the sanitizer run uses build-san/openpes).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = process.env.OPENPES_BIN || join(ROOT, 'build', 'openpes');

function newDatabase(dir) {
  if (process.env.OPENPES_TEST_DB === 'postgres') {
    const admin = process.env.OPENPES_TEST_PG_ADMIN;
    if (!admin) throw new Error('OPENPES_TEST_PG_ADMIN is required for OPENPES_TEST_DB=postgres');
    // OPENPES_TEST_RUN (scripts/test-all.sh) tags one run's databases: the run drops only its own
    const run = /^[a-z0-9]{1,12}$/.test(process.env.OPENPES_TEST_RUN || '') ? process.env.OPENPES_TEST_RUN + '_' : '';
    const name = 'api_' + run + randomBytes(6).toString('hex');
    const r = spawnSync('psql', [admin, '-qAtc', `CREATE DATABASE ${name}`], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error('createdb failed: ' + r.stderr);
    return admin.replace(/\/[^/]*$/, '/' + name);
  }
  return join(dir, 'openpes.db');
}

export class Server {
  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'openpes-api-'));
    this.db = newDatabase(this.dir);
    this.keys = join(this.dir, 'keys.json');
    this.logs = [];
  }

  // Run a CLI command against this server's database; returns {status, stdout, stderr}.
  cli(...args) {
    const r = spawnSync(BIN, ['--db', this.db, '--keys', this.keys, '--log-level', 'warn', ...args], {
      encoding: 'utf8', timeout: 120000,
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  // Run SQL on the server's database (PostgreSQL URL, or the SQLite file with its audit log file
  // attached as "audit", as the server does); returns stdout.  SQLite waits up to 10 s for the
  // server's own writers (its worker and committer) instead of failing with "database is locked".
  sql(stmt) {
    const pg = process.env.OPENPES_TEST_DB === 'postgres';
    const r = pg
      ? spawnSync('psql', [this.db, '-qAtc', stmt], { encoding: 'utf8' })
      : spawnSync('sqlite3', ['-cmd', '.timeout 10000', '-cmd', `ATTACH '${this.db}.audit' AS audit`, this.db, stmt], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error('sql failed: ' + r.stderr);
    return r.stdout;
  }

  cliOk(...args) {
    const r = this.cli(...args);
    if (r.status !== 0) throw new Error(`openpes ${args.join(' ')} failed (${r.status}): ${r.stderr}${r.stdout}`);
    return r.stdout;
  }

  async start(extra = []) {
    const portFile = join(this.dir, 'port');
    rmSync(portFile, { force: true }); // a restart must not read the previous run's port
    this.port = undefined;
    this.proc = spawn(BIN, ['--db', this.db, '--keys', this.keys, 'serve', '--port', '0', '--port-file', portFile,
      '--web', join(ROOT, 'web'), ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (d) => { for (const l of d.toString().split('\n')) if (l) this.logs.push(l); };
    this.proc.stdout.on('data', collect);
    this.proc.stderr.on('data', collect);
    this.exited = new Promise((res) => this.proc.on('exit', (code, sig) => res({ code, sig })));
    for (let i = 0; i < 200; i++) {
      if (existsSync(portFile)) {
        const p = readFileSync(portFile, 'utf8').trim();
        if (p) { this.port = Number(p); break; }
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    if (!this.port) throw new Error('server did not start:\n' + this.logs.join('\n'));
    this.base = `http://127.0.0.1:${this.port}`;
    return this;
  }

  // Stop the server; keep=true leaves the database for CLI checks (a later stop() removes it).
  async stop(keep = false) {
    if (this.proc && this.proc.exitCode === null && this.proc.signalCode === null) {
      this.proc.kill('SIGTERM');
      const r = await this.exited;
      if (r.code !== 0 && r.sig !== 'SIGTERM') throw new Error(`server exited with ${r.code}/${r.sig}:\n${this.logs.slice(-30).join('\n')}`);
    }
    if (!keep) rmSync(this.dir, { recursive: true, force: true });
  }

  // fetch wrapper: returns {status, headers, body (parsed JSON when possible), text}.
  async req(method, path, { token, body, headers = {}, form, raw } = {}) {
    const h = { ...headers };
    if (token) h.Authorization = `Bearer ${token}`;
    let payload;
    if (form) { h['Content-Type'] = 'application/x-www-form-urlencoded'; payload = new URLSearchParams(form).toString(); }
    else if (raw !== undefined) { payload = raw; }
    else if (body !== undefined) { h['Content-Type'] ??= 'application/json'; payload = typeof body === 'string' ? body : JSON.stringify(body); }
    const r = await fetch(this.base + path, { method, headers: h, body: payload, redirect: 'manual' });
    const text = await r.text();
    let json;
    try { json = JSON.parse(text); } catch { json = undefined; }
    return { status: r.status, headers: r.headers, body: json, text };
  }

  get(path, opts) { return this.req('GET', path, opts); }
  post(path, body, opts = {}) { return this.req('POST', path, { ...opts, body }); }
  patch(path, body, opts = {}) { return this.req('PATCH', path, { ...opts, body }); }

  async login(username, password) {
    const r = await this.post('/api/v1/auth/login', { username, password, mode: 'bearer' });
    if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.text}`);
    return r.body.token;
  }
}

// Assert the structured error shape and code.
export function assertError(assert, r, status, code) {
  assert.equal(r.status, status, `expected HTTP ${status}, got ${r.status}: ${r.text}`);
  assert.ok(r.body && r.body.error, 'error envelope present: ' + r.text);
  for (const k of ['code', 'message', 'detail', 'hint']) assert.equal(typeof r.body.error[k], 'string', `error.${k} is a string`);
  if (code) assert.equal(r.body.error.code, code, r.text);
}
