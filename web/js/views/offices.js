// offices.js - the list of job centres for choosing where to register (GET /api/v1/offices is the
// public office directory); null means the list could not be loaded: ask for the office code.
import { api } from '../api.js';
import { session } from '../app.js';

const cache = new Map(); // per account: what one account may list another may not
export async function loadOffices() {
  const key = session.account?.id || 'anonymous';
  if (cache.has(key)) return cache.get(key);
  let list = null;
  try {
    const r = await api('GET', '/offices');
    list = (Array.isArray(r) ? r : r.items || r.offices || []).filter((o) => !o.kind || o.kind === 'job_centre');
    if (!list.length) list = null;
  } catch { list = null; }
  cache.set(key, list);
  return list;
}
