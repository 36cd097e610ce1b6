// dci_schema.mjs - validates what our DCI server sends against the official OpenAPI schemas:
// every reply of a registry endpoint (by path and HTTP status) and every callback body it POSTs
// (on-search, on-subscribe, on-unsubscribe, txn/on-status, notify), plus the requests our DCI
// client sends to other registries.
//
// The specs are unchanged copies in dci-specs/ (see its README).  Where they are wrong or contradict
// each other, shared/dci/DCI-DIGEST.md lists the defect; each one we meet is fixed below by one named
// patch (PATCHES), applied to the loaded document, never by turning checks off wholesale.  Our own
// clarifications (contracts/dci-ess.md) that go beyond the specs are patches too, named as such.
//
//   import { checkResponse, checkCallback, checkRequest, watchServer } from './dci_schema.mjs';
//   watchServer(s)                      // every s.req() on a DCI path is validated; throws on a violation
//   checkCallback('/x/on-search', body) // -> [] or a list of "where: what" strings
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import yaml from 'js-yaml';

const DIR = join(dirname(fileURLToPath(import.meta.url)), 'dci-specs');
const load = (f) => yaml.load(readFileSync(join(DIR, f), 'utf8'));
const core = load('registry_core_api_v1.0.0.yaml');
const ibr = load('ibr_api_v1.0.0_openspp-fixed.yaml');

// JSON pointer without the leading "#/" (segments escaped as in $ref: ~1 for /, ~0 for ~).
const ptr = (doc, path) => path.split('/').map((k) => k.replaceAll('~1', '/').replaceAll('~0', '~')).reduce((o, k) => {
  if (!o || !(k in o)) throw new Error('dci_schema: no ' + path);
  return o[k];
}, doc);
const resp = (doc, path, code) => ptr(doc, `paths/${path}/post/responses/${code}`);

// CD.EMP.03 enrolment status (contracts/dci-ess.md "Enrollment check"; DCI-DIGEST.md 1.8).
const CD_EMP_03 = ['Active', 'Deceased', 'Exited', 'Suspended', 'Inactive', 'Reinstated', 'Awaiting Renewal'];
const RESPONSE_REF = { $ref: '#/components/responses/Response' };

// Each patch: what, where the digest (or the contract) says so, and the change.
export const PATCHES = [
  { id: 'reg-records-array', source: 'DCI-DIGEST.md 1.7 and 6.8 (3); contract: "reg_records array"',
    what: 'core types SearchResponse/NotifyEventRequest data.reg_records as one object (RegistryRecord); social, CRVS and OpenSPP use an array of records',
    apply() {
      const arr = { type: 'array', items: { $ref: '#/components/schemas/RegistryRecord' } };
      ptr(core, 'components/schemas/SearchResponse/properties/search_response/items/properties/data/properties').reg_records = arr;
      ptr(core, 'components/schemas/NotifyEventRequest/properties/notify_event/items/properties/data/properties').reg_records = arr;
    } },
  { id: 'subscription-info-required', source: 'DCI-DIGEST.md 1.7 (SubscriptionInfo) and 6.8 (5)',
    what: 'core SubscriptionInfo requires fields it does not define (subscription_code, subscribe_criteria) and has a stray required under notify_record_type; social-fixed requires code, status, timestamp',
    apply() {
      const s = ptr(core, 'components/schemas/SubscriptionInfo');
      s.required = ['code', 'status', 'timestamp'];
      delete s.properties.notify_record_type.required;
    } },
  { id: 'unsubscribe-response-timestamp', source: 'DCI-DIGEST.md 1.7 (UnSubscribeResponse) and 6.8 (1)',
    what: 'core UnSubscribeResponse spells the property "timesatmp" while requiring "timestamp"',
    apply() {
      const p = ptr(core, 'components/schemas/UnSubscribeResponse/properties');
      p.timestamp = p.timesatmp;
      delete p.timesatmp;
    } },
  { id: 'unsubscribe-request-typos', source: 'DCI-DIGEST.md 1.7 (UnSubscribeRequest) and 6.8 (1)',
    what: 'core UnSubscribeRequest spells "timesstamp" and requires "sunscription_codes"',
    apply() {
      const s = ptr(core, 'components/schemas/UnSubscribeRequest');
      if (s.properties.timesstamp) { s.properties.timestamp = s.properties.timesstamp; delete s.properties.timesstamp; }
      s.required = s.required.map((k) => (k === 'sunscription_codes' ? 'subscription_codes' : k === 'timesstamp' ? 'timestamp' : k));
    } },
  { id: 'txn-status-attribute-value', source: 'DCI-DIGEST.md 1.7 (TxnStatusRequest) and 6.8 (2), upstream issue #46',
    what: 'core TxnStatusRequest.attribute_value is a oneOf whose branches all accept a plain string; social uses anyOf',
    apply() {
      const r = ptr(core, 'components/schemas/TxnStatusRequest/properties/txnstatus_request/properties/attribute_value');
      r.anyOf = r.oneOf;
      delete r.oneOf;
    } },
  { id: 'txn-status-response-type', source: 'DCI-DIGEST.md 1.7 (TxnStatusResponse): core and social disagree',
    what: 'core names txn_type after the callback (on-search, on-subscribe, on-unsubscribe), social after the request (search, subscribe, ...); we echo the request\'s txn_type (TxnStatusRequest enum), so both are accepted',
    apply() {
      const t = ptr(core, 'components/schemas/TxnStatusResponse/properties/txnstatus_response/properties/txn_type');
      t.enum = [...t.enum, ...ptr(core, 'components/schemas/TxnStatusRequest/properties/txnstatus_request/properties/txn_type/enum')];
    } },
  { id: 'enrolled-envelope', source: 'DCI-DIGEST.md 1.5 and 1.8 (sync/enrolled mirrors sync/search)',
    what: 'IBR /registry/sync/enrolled points its default reply at the message schema (EnrolledResponse) instead of an envelope; the reply is {signature, header (callback header), message: EnrolledResponse} like sync/search',
    apply() {
      const paths = ibr.paths['/registry/sync/enrolled'].post.responses;
      paths.default = { description: 'enrollment status (patched: envelope)', content: { 'application/json': { schema: {
        type: 'object', required: ['header', 'message'], properties: {
          signature: { $ref: '#/components/schemas/MsgSignature' },
          header: { allOf: [{ $ref: '#/components/schemas/MsgCallbackHeader_V1.0.0' }, { properties: { action: { enum: ['on-search'] } } }] },
          message: { type: 'object', oneOf: [{ $ref: '#/components/schemas/EnrolledResponse' }, { $ref: '#/components/schemas/EncryptedMessage' }] } } } } } };
    } },
  { id: 'sync-err-reply', source: 'contract dci-ess.md "Envelope rules" (invalid requests: HTTP 200 ERR); DCI-DIGEST.md 7 (5, 7, 8)',
    what: 'the sync endpoints declare only the result envelope as their default reply, but a request that fails the envelope checks is answered synchronously with the Response (ERR) envelope',
    apply() {
      for (const [doc, p] of [[core, '~1registry~1sync~1search'], [core, '~1registry~1sync~1txn~1status'], [ibr, '~1registry~1sync~1enrolled']]) {
        const r = resp(doc, p, 'default');
        const declared = r.content['application/json'].schema;
        const err = { allOf: [{ $ref: '#/components/responses/Response/content/application~1json/schema' },
          { properties: { message: { properties: { ack_status: { enum: ['ERR'] } }, required: ['error'] } } }] };
        r.content['application/json'].schema = { oneOf: [declared, err] };
      }
    } },
  { id: 'enrolled-status-codes', source: 'DCI-DIGEST.md 1.8; contract dci-ess.md "Enrollment check" (CD.EMP.03)',
    what: 'IBR allows enrolled_status yes|no; the ESS profile answers with the CD.EMP.03 enrolment status code list',
    apply() {
      const e = ptr(ibr, 'components/schemas/EnrolledResponse/properties/enrolled_response/items/properties/enrolled_status');
      e.enum = [...e.enum, ...CD_EMP_03];
    } },
  { id: 'notify-reply', source: 'DCI-DIGEST.md 1.5 (notes) and 6.8',
    what: 'core /registry/notify declares HttpErrorResponse as its default reply; every other endpoint (and social-fixed) uses Response',
    apply() { resp(core, '~1registry~1notify', 'default').$ref = RESPONSE_REF.$ref; } },
];
for (const p of PATCHES) p.apply();

const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
addFormats(ajv);
// core PersonId writes a regular expression where a format name belongs; as a format it means nothing.
ajv.addFormat('^[a-zA-Z0-9.-]+@[a-zA-Z0-9.-]+$', true);
ajv.addSchema(core, 'core');
ajv.addSchema(ibr, 'ibr');

const cache = new Map();
function compile(ref) {
  if (!cache.has(ref)) cache.set(ref, ajv.compile({ $ref: ref }));
  return cache.get(ref);
}
const esc = (p) => p.replaceAll('~', '~0').replaceAll('/', '~1');
function run(ref, body) {
  const v = compile(ref);
  if (v(body)) return [];
  return v.errors.map((e) => `${e.instancePath || '/'}: ${e.message}${e.params && Object.keys(e.params).length ? ' ' + JSON.stringify(e.params) : ''}`);
}

// Our paths (both families) -> [spec key, spec path].
const SERVER_PATHS = {
  search: ['core', '/registry/search'], 'sync/search': ['core', '/registry/sync/search'],
  subscribe: ['core', '/registry/subscribe'], unsubscribe: ['core', '/registry/unsubscribe'],
  'txn/status': ['core', '/registry/txn/status'], 'sync/txn/status': ['core', '/registry/sync/txn/status'],
  'sync/check-enrollment': ['ibr', '/registry/sync/enrolled'], 'sync/enrolled': ['ibr', '/registry/sync/enrolled'],
  'on-search': ['core', '/registry/on-search'], 'on-subscribe': ['core', '/registry/on-subscribe'],
  'on-unsubscribe': ['core', '/registry/on-unsubscribe'], 'txn/on-status': ['core', '/registry/txn/on-status'],
  notify: ['core', '/registry/notify'],
};
const CALLBACKS = ['on-search', 'on-subscribe', 'on-unsubscribe', 'txn/on-status', 'notify'];
const DOCS = { core, ibr };

export function specPath(path) {
  const m = /^\/(?:registry|ess)\/([a-z/-]+?)\/?(?:\?.*)?$/.exec(path);
  return m ? SERVER_PATHS[m[1]] : undefined;
}

// The reply of one of our registry endpoints: [] when valid (or not a DCI spec path), else errors.
export function checkResponse(path, status, body) {
  const sp = specPath(path);
  if (!sp) return [];
  const [key, p] = sp;
  const responses = DOCS[key].paths[p].post.responses;
  const code = String(status) in responses ? String(status) : 'default';
  let r = responses[code];
  let base = `${key}#/paths/${esc(p)}/post/responses/${code}`;
  if (r.$ref) { base = `${key}${r.$ref}`; r = ptr(DOCS[key], r.$ref.slice(2)); }
  if (body === undefined) return [`HTTP ${status}: the body is not JSON`];
  return run(`${base}/content/application~1json/schema`, body).map((e) => `${path} HTTP ${status} ${e}`);
}

// A callback we POSTed, by the receiving URL's path (the last segments name the callback).
export function checkCallback(url, body) {
  const path = new URL(url, 'http://x').pathname;
  const kind = CALLBACKS.find((k) => path.endsWith('/' + k));
  if (!kind) return [`${path}: not a DCI callback path`];
  return run(`core#/paths/${esc('/registry/' + kind)}/post/requestBody/content/application~1json/schema`, body)
    .map((e) => `callback ${kind} ${e}`);
}

// A request our DCI client sent to another registry (path as on their side).
export function checkRequest(path, body) {
  const sp = specPath(path);
  if (!sp) return [`${path}: not a DCI request path`];
  const [key, p] = sp;
  return run(`${key}#/paths/${esc(p)}/post/requestBody/content/application~1json/schema`, body).map((e) => `request ${p} ${e}`);
}

// Wrap a lib.mjs Server so that every DCI reply it receives is validated; a violation throws (the
// test fails at the call that got the reply).  Counts what was checked in s.dciChecked.
export function watchServer(s) {
  const req = s.req.bind(s);
  s.dciChecked = 0;
  s.req = async (method, path, opts) => {
    const r = await req(method, path, opts);
    if (method === 'POST' && specPath(path)) {
      s.dciChecked++;
      const errs = checkResponse(path, r.status, r.body);
      if (errs.length) throw new Error(`DCI reply does not match the OpenAPI schema:\n  ${errs.join('\n  ')}\nbody: ${r.text.slice(0, 2000)}`);
    }
    return r;
  };
  return s;
}

// What the test receivers (callback servers, the stub registry) found invalid: they cannot throw
// into a test, so they record here and each test file checks after every test (afterEach).
export const violations = [];
export function record(errs) { violations.push(...errs); return errs; }
export function assertNoViolations() {
  if (violations.length) {
    const v = violations.splice(0);
    throw new Error(`DCI messages do not match the OpenAPI schemas:\n  ${v.join('\n  ')}`);
  }
}
