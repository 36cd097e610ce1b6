// dci_stub.mjs - a small social registry / IBR speaking DCI, for the client tests: a token endpoint
// (form-encoded client credentials), signed sync search and enrolled answers, async search with an
// ACK and a signed on-search callback.  It verifies our request signatures with our JWKS.
// Knobs: revokeTokens(), mode ('ok' | 'badsig' | 'slow'), calls (what it saw).
import http from 'node:http';
import { keypair, sign, verify, mid, nowTs } from './dci_helpers.mjs';
import { checkRequest, checkResponse, record } from './dci_schema.mjs';

export async function startStub({ id = 'sr-stub', clientId = 'openpes', secret = 'stub-secret', people = {}, ourJwks } = {}) {
  const key = keypair('stub-k1');
  const st = { key, mode: 'ok', calls: [], tokens: new Set(), tokenRequests: 0, people, ourJwks, id };
  const reply = (res, code, body) => { res.writeHead(code, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(body)); };
  const signed = (action, message, receiver) => {
    const header = { version: '1.0.0', message_id: mid(), message_ts: nowTs(), action, status: 'succ', total_count: 1, completed_count: 1, sender_id: id, receiver_id: receiver };
    const body = { header, message, signature: sign(header, message, id, key.kid, key.privateKey) };
    if (st.mode === 'badsig') body.message = { ...message, tampered: true };
    return body;
  };
  const record = (uin) => people[uin];
  const srMessage = (m, corr) => {
    const it = m.search_request[0];
    const rec = record(it.search_criteria.query.value);
    return { transaction_id: m.transaction_id, correlation_id: corr, search_response: [{ reference_id: it.reference_id, timestamp: nowTs(), status: 'succ',
      data: { version: '1.0.0', reg_type: 'ns:org:RegistryType:Social', reg_record_type: 'SRPerson', reg_records: rec ? [rec.sr] : [] } }] };
  };
  st.server = http.createServer((req, res) => {
    let b = '';
    req.on('data', (d) => { b += d; });
    req.on('end', async () => {
      if (req.url === '/oauth2/client/token') {
        st.tokenRequests++;
        const f = new URLSearchParams(b);
        if (req.headers['content-type'] !== 'application/x-www-form-urlencoded' || f.get('grant_type') !== 'client_credentials' ||
            f.get('client_id') !== clientId || f.get('client_secret') !== secret) return reply(res, 401, { error: 'invalid_client' });
        const t = 'tok-' + mid();
        st.tokens.add(t);
        return reply(res, 200, { access_token: t, token_type: 'bearer', expires_in: 3600 });
      }
      const auth = (req.headers.authorization || '').replace(/^Bearer /, '');
      if (!st.tokens.has(auth)) return reply(res, 401, { errors: [{ code: 'err.request.unauthorized', message: 'bad token' }] });
      let body;
      try { body = JSON.parse(b); } catch { return reply(res, 400, {}); }
      const sigOk = st.ourJwks ? verify(body, st.ourJwks) : null;
      st.calls.push({ path: req.url, body, sigOk });
      record(checkRequest(req.url, body)); // our client's requests against the OpenAPI schemas (dci_schema.mjs)
      if (st.mode === 'slow') await new Promise((r) => setTimeout(r, 3000));
      if (st.ourJwks && !sigOk) return reply(res, 200, { message: { ack_status: 'ERR', timestamp: nowTs(), correlation_id: 'x', error: { code: 'err.signature.invalid', message: 'bad' } } });
      const m = body.message;
      if (req.url === '/registry/sync/search') return reply(res, 200, signed('on-search', srMessage(m), body.header.sender_id));
      if (req.url === '/registry/sync/enrolled') {
        const it = m.enrolled_criteria[0];
        const rec = record(it.query.person_identifier.eq);
        const items = rec?.ibr?.length ? rec.ibr.map((p) => ({ reference_id: it.reference_id, timestamp: nowTs(), status: 'succ', enrolled_status: p.status, programme_identifier: p.programme }))
          : [{ reference_id: it.reference_id, timestamp: nowTs(), status: 'succ', enrolled_status: 'Inactive', status_reason_message: 'person not found' }];
        return reply(res, 200, signed('on-search', { transaction_id: m.transaction_id, enrolled_response: items }, body.header.sender_id));
      }
      if (req.url === '/registry/search') {
        const corr = 'corr-' + mid();
        reply(res, 200, { message: { ack_status: 'ACK', timestamp: nowTs(), correlation_id: corr } });
        setTimeout(async () => {
          const cb = signed('on-search', srMessage(m, corr), body.header.sender_id);
          const r = await fetch(body.header.sender_uri, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(cb) });
          st.callbackAnswer = await r.json();
          record(checkResponse('/registry/on-search', r.status, st.callbackAnswer)); // our receiver's answer
        }, 100);
        return;
      }
      reply(res, 404, {});
    });
  });
  await new Promise((r) => st.server.listen(0, '127.0.0.1', r));
  st.url = `http://127.0.0.1:${st.server.address().port}`;
  st.revokeTokens = () => st.tokens.clear();
  st.close = () => new Promise((r) => st.server.close(r));
  return st;
}
