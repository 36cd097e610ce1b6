// views/ei/index.js - the ei module of the portal (see js/modules.js for the contract):
// unemployment benefit (구직급여) pages for citizens and for counsellors/supervisors.
// docs/portal/ei.md lists the pages and the API they use.
import * as citizen from './citizen.js';
import * as staff from './staff.js';

// Local predicates: app.js is still being evaluated when this table is built.
const isCitizen = (a) => a?.kind === 'citizen';
const isEiStaff = (a) => a?.kind === 'staff' && (a.role === 'counsellor' || a.role === 'supervisor');

const ID = '([0-9A-Za-z-]{8,64})';
export const routes = [
  { re: /^\/me\/benefits$/, view: citizen.myBenefits, who: isCitizen },
  { re: new RegExp(`^/me/benefits/${ID}$`), view: citizen.myClaim, who: isCitizen },
  { re: /^\/benefits$/, view: staff.lookup, who: isEiStaff },
  { re: new RegExp(`^/benefits/${ID}$`), view: staff.person, who: isEiStaff },
  { re: new RegExp(`^/benefits/${ID}/claims/${ID}$`), view: staff.claim, who: isEiStaff },
];

export function nav(a) {
  if (isCitizen(a)) return [['/me/benefits', 'ei.nav.benefits']];
  if (isEiStaff(a)) return [['/benefits', 'ei.nav.lookup']];
  return [];
}

export function home() { return null; }
