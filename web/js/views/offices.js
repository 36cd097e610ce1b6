// offices.js - the list of job centres for choosing where to register, when the API offers one
// to the caller; null means "ask for the office code instead".
import { api } from '../api.js';
import { session } from '../app.js';

const cache = new Map(); // per account: what one account may list another may not
export async function loadOffices() {
  // GET /api/v1/offices is for staff only; citizens type the office code.
  if (session.account?.kind !== 'staff') return null;
  const key = session.account.id;
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
