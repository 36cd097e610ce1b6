// dci_stub.mjs - a small social registry / IBR speaking DCI, for the client tests: a token endpoint
// (form-encoded client credentials), signed sync search and enrolled answers, async search with an
// ACK and a signed on-search callback.  It verifies our request signatures with our JWKS.
// Registry side of subscriptions: subscribe (ACK then a signed on-subscribe, or the signed
// on-subscribe inline when subMode is 'sync'), unsubscribe (ACK, on-unsubscribe), txn/status (ACK,
// txn-on-status) and sync/txn/status; notify(code, records, opts) POSTs a signed notify to the
// subscription's notify URI (sender_uri's on-subscribe -> notify).
// Knobs: revokeTokens(), mode ('ok' | 'badsig' | 'slow'), subMode ('ack' | 'sync' | 'silent': no
// on-subscribe callback), calls (what it saw), subs (its subscriptions), answers (our receivers' replies).
// Its JWKS is served at GET /jwks.json (jwksRequests counts the fetches; jwksDoc replaces the document);
// rotate(kid) signs with a new key from then on.
import http from 'node:http';
import { keypair, sign, verify, mid, nowTs } from './dci_helpers.mjs';
import { checkRequest, checkResponse, record } from './dci_schema.mjs';

export async function startStub({ id = 'sr-stub', clientId = 'openpes', secret = 'stub-secret', people = {}, ourJwks } = {}) {
  const key = keypair('stub-k1');
  const st = { key, mode: 'ok', subMode: 'ack', calls: [], tokens: new Set(), tokenRequests: 0, people, ourJwks, id, subs: new Map(), txns: new Map(), answers: [] };
  const reply = (res, code, body) => { res.writeHead(code, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(body)); };
  const signed = (action, message, receiver, total = 1) => {
    const header = { version: '1.0.0', message_id: mid(), message_ts: nowTs(), action, status: 'succ', total_count: total, completed_count: total, sender_id: id, receiver_id: receiver };
    const body = { header, message, signature: sign(header, message, id, st.key.kid, st.key.privateKey) };
    if (st.mode === 'badsig') body.message = { ...message, tampered: true };
    return body;
  };
  const record = (uin) => people[uin];
  // an IBR's async answer: Beneficiary records with their programmes
  const ibrMessage = (m, corr) => {
    const it = m.search_request[0];
    const rec = record(it.search_criteria.query.value);
    const recs = rec?.ibr?.length ? [{ '@type': 'Beneficiary', member: { member_identifier: it.search_criteria.query.value,
      programme_identifier: rec.ibr.map((p) => ({ programme: { programme_identifier: p.programme }, enrolment_status: p.status })) } }] : [];
    return { transaction_id: m.transaction_id, correlation_id: corr, search_response: [{ reference_id: it.reference_id, timestamp: nowTs(), status: 'succ',
      data: { version: '1.0.0', reg_type: 'ns:org:RegistryType:IBR', reg_record_type: 'Beneficiary', reg_records: recs } }] };
  };
  const srMessage = (m, corr) => {
    const it = m.search_request[0];
    if (it.search_criteria.reg_type === 'ns:org:RegistryType:IBR') return ibrMessage(m, corr);
    const rec = record(it.search_criteria.query.value);
    return { transaction_id: m.transaction_id, correlation_id: corr, search_response: [{ reference_id: it.reference_id, timestamp: nowTs(), status: 'succ',
      data: { version: '1.0.0', reg_type: 'ns:org:RegistryType:Social', reg_record_type: 'SRPerson', reg_records: rec ? [rec.sr] : [] } }] };
  };
  st.server = http.createServer((req, res) => {
    let b = '';
    req.on('data', (d) => { b += d; });
    req.on('end', async () => {
      if (req.method === 'GET' && req.url === '/jwks.json') {
        st.jwksRequests++;
        return reply(res, 200, st.jwksDoc || st.key.jwks);
      }
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
      // POST a signed callback to sender_uri; the receiver's answer is kept and checked against the schemas
      const callback = (uri, path, body) => setTimeout(async () => {
        const r = await fetch(uri, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
        const a = await r.json();
        st.answers.push({ path, answer: a });
        record(checkResponse(path, r.status, a));
      }, 100);
      if (req.url === '/registry/subscribe') {
        const corr = 'corr-' + mid();
        const subscribe_response = m.subscribe_request.map((it) => {
          const code = 'stub-sub-' + mid();
          st.subs.set(code, { code, criteria: it.subscribe_criteria, notifyUri: body.header.sender_uri.replace(/on-subscribe$/, 'notify'), status: 'subscribe' });
          return { reference_id: it.reference_id, timestamp: nowTs(), status: 'succ', subscriptions: [{ code, status: 'subscribe', timestamp: nowTs(), reg_event_type: it.subscribe_criteria.reg_event_type }] };
        });
        const msg = { transaction_id: m.transaction_id, correlation_id: corr, subscribe_response };
        st.txns.set(m.transaction_id, { txn_type: 'subscribe', corr, msg });
        if (st.subMode === 'sync') return reply(res, 200, signed('on-subscribe', msg, body.header.sender_id, subscribe_response.length));
        reply(res, 200, { message: { ack_status: 'ACK', timestamp: nowTs(), correlation_id: corr } });
        if (st.subMode !== 'silent') callback(body.header.sender_uri, '/registry/on-subscribe', signed('on-subscribe', msg, body.header.sender_id, subscribe_response.length));
        return;
      }
      if (req.url === '/registry/unsubscribe') {
        const corr = 'corr-' + mid();
        const known = m.subscription_codes.filter((c) => st.subs.has(c));
        known.forEach((c) => { st.subs.get(c).status = 'unsubscribe'; });
        const msg = { transaction_id: m.transaction_id, correlation_id: corr, timestamp: nowTs(), status: known.length === m.subscription_codes.length ? 'succ' : 'rjct',
          subscription_status: known.map((code) => ({ code, status: 'unsubscribe' })) };
        st.txns.set(m.transaction_id, { txn_type: 'unsubscribe', corr, msg });
        reply(res, 200, { message: { ack_status: 'ACK', timestamp: nowTs(), correlation_id: corr } });
        callback(body.header.sender_uri, '/registry/on-unsubscribe', signed('on-unsubscribe', msg, body.header.sender_id));
        return;
      }
      if (req.url === '/registry/txn/status' || req.url === '/registry/sync/txn/status') {
        const q = m.txnstatus_request;
        const t = [...st.txns.values()].find((x) => x.corr === q.attribute_value) || st.txns.get(q.attribute_value);
        const corr = 'corr-' + mid();
        const txnstatus_response = t ? { txn_type: q.txn_type, status: 'succ', txn_status: t.msg }
          : { txn_type: q.txn_type, status: 'rjct', status_reason_code: 'rjct.reference_id.invalid', txn_status: { transaction_id: '', correlation_id: corr, search_response: [] } };
        const msg = { transaction_id: m.transaction_id, correlation_id: corr, txnstatus_response };
        if (req.url === '/registry/sync/txn/status') return reply(res, 200, signed('txn-on-status', msg, body.header.sender_id));
        reply(res, 200, { message: { ack_status: 'ACK', timestamp: nowTs(), correlation_id: corr } });
        callback(body.header.sender_uri, '/registry/txn/on-status', signed('txn-on-status', msg, body.header.sender_id));
        return;
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
  st.jwksRequests = 0;
  st.rotate = (kid) => { st.key = keypair(kid); };
  // a signed notify for subscription code: one notify_event item per record; opts.ref (reference id
  // of the first item), opts.badsig (tamper after signing), opts.unsigned, opts.sender (header sender_id)
  st.notify = async (code, records, opts = {}) => {
    const sub = st.subs.get(code);
    const notify_event = records.map((rec, i) => ({ reference_id: (opts.ref || 'evt-' + mid()) + (i ? `-${i}` : ''), timestamp: nowTs(),
      data: { version: '1.0.0', reg_type: 'ns:org:RegistryType:Social', reg_event_type: sub.criteria.reg_event_type, subscription_code: opts.noCode ? undefined : code,
        reg_record_type: 'SRPerson', reg_records: [rec] } }));
    const message = { transaction_id: 'n-' + mid(), correlation_id: 'corr-' + mid(), notify_event };
    const header = { version: '1.0.0', message_id: opts.messageId || mid(), message_ts: nowTs(), action: 'notify', status: 'succ', total_count: records.length,
      completed_count: records.length, sender_id: opts.sender || id, receiver_id: 'openpes' };
    const body = { header, message, signature: sign(header, message, id, st.key.kid, st.key.privateKey) };
    if (opts.badsig) body.message = { ...message, tampered: true };
    if (opts.unsigned) delete body.signature;
    const r = await fetch(sub.notifyUri, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const answer = await r.json();
    record(checkResponse('/registry/notify', r.status, answer));
    return { status: r.status, body: answer, sent: body };
  };
  st.close = () => new Promise((r) => st.server.close(r));
  return st;
}
