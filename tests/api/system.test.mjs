// system.test.mjs - probes, OpenAPI, metrics, correlation ids, bounds and error envelopes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Server, assertError } from './lib.mjs';

let s;
before(async () => { s = new Server(); await s.start(); });
after(async () => { await s.stop(); });

test('healthz and readyz answer', async () => {
  assert.equal((await s.get('/healthz')).status, 200);
  const r = await s.get('/readyz');
  assert.equal(r.status, 200);
  assert.ok(r.body.schema_version >= 3);
});

test('correlation id is honoured or generated and echoed', async () => {
  const a = await s.get('/healthz', { headers: { 'X-Correlation-ID': 'trace-123' } });
  assert.equal(a.headers.get('x-correlation-id'), 'trace-123');
  const b = await s.get('/healthz', { headers: { 'X-Correlation-ID': 'bad id with spaces' } });
  assert.match(b.headers.get('x-correlation-id'), /^[0-9a-f-]{36}$/);
  const line = s.logs.find((l) => l.includes('"correlation_id":"trace-123"'));
  assert.equal(line, undefined, 'health probes are not logged');
  await s.get('/api/v1/openapi.json', { headers: { 'X-Correlation-ID': 'trace-456' } });
  await new Promise((r) => setTimeout(r, 50));
  const logged = s.logs.map((l) => { try { return JSON.parse(l); } catch { return null; } }).filter(Boolean)
    .find((l) => l.correlation_id === 'trace-456');
  assert.ok(logged, 'request log has a JSON line with the correlation id');
  assert.equal(logged.route, '/api/v1/openapi.json');
  assert.equal(logged.status, 200);
});

test('openapi document is generated from the route table', async () => {
  const r = await s.get('/api/v1/openapi.json');
  assert.equal(r.status, 200);
  assert.equal(r.body.openapi, '3.0.3');
  assert.ok(r.body.paths['/healthz'].get);
  assert.ok(r.body.components.schemas.Error.properties.error.properties.code.enum.includes('validation.failed'));
});

test('unknown route and wrong method give structured errors', async () => {
  assertError(assert, await s.get('/api/v1/no-such-thing'), 404, 'route.not_found');
  assertError(assert, await s.req('DELETE', '/api/v1/openapi.json'), 405, 'route.method_not_allowed');
});

test('protected endpoint without credentials is 401', async () => {
  assertError(assert, await s.get('/api/v1/audit?person_id=00000000-0000-7000-8000-000000000000'), 401, 'auth.required');
});

test('oversized query string is refused', async () => {
  const r = await s.get('/api/v1/purposes?x=' + 'a'.repeat(5000));
  assertError(assert, r, 414, 'request.uri_too_long');
});

test('metrics expose per-route counters and histograms', async () => {
  await s.get('/api/v1/purposes');
  const r = await s.get('/metrics');
  assert.equal(r.status, 200);
  assert.match(r.text, /openpes_http_requests_total\{method="GET",route="\/api\/v1\/purposes",class="2xx_3xx"\} \d+/);
  assert.match(r.text, /openpes_http_request_duration_seconds_bucket\{method="GET",route="\/api\/v1\/purposes",le="\+Inf"\} \d+/);
});
