// views/jobs/index.js - the job-market (WorkNet) module of the portal (see js/modules.js for the
// contract and docs/portal/jobs.md for its pages).
import * as search from './search.js';
import * as seeker from './seeker.js';
import * as employer from './employer.js';
import * as vetting from './vetting.js';

const isCitizen = (a) => a?.kind === 'citizen';
const isEmployer = (a) => a?.kind === 'employer';
const mayVet = (a) => a?.kind === 'staff' && ['counsellor', 'supervisor', 'admin'].includes(a.role);
const ID = '([0-9a-fA-F-]{36})';

export const routes = [
  { re: /^\/jobs$/, view: search.search, who: null },
  { re: /^\/jobs\/recommended$/, view: seeker.recommended, who: isCitizen },
  { re: /^\/jobs\/applications$/, view: seeker.applications, who: isCitizen },
  { re: /^\/jobs\/visibility$/, view: seeker.visibility, who: isCitizen },
  { re: /^\/jobs\/vetting$/, view: vetting.queue, who: mayVet },
  { re: new RegExp(`^/jobs/${ID}$`), view: search.vacancy, who: null },
  { re: /^\/employer$/, view: employer.home, who: isEmployer },
  { re: /^\/employer\/vacancies\/new$/, view: employer.postVacancy, who: isEmployer },
  { re: new RegExp(`^/employer/vacancies/${ID}$`), view: employer.ownVacancy, who: isEmployer },
];

export function nav(a) {
  if (!a) return [['/jobs', 'jobs.nav.search']];
  if (isCitizen(a)) return [['/jobs', 'jobs.nav.search'], ['/jobs/recommended', 'jobs.nav.recommended'], ['/jobs/applications', 'jobs.nav.applications'], ['/jobs/visibility', 'jobs.nav.visibility']];
  if (isEmployer(a)) return [['/employer', 'jobs.nav.employer'], ['/employer/vacancies/new', 'jobs.nav.post'], ['/jobs', 'jobs.nav.search']];
  if (mayVet(a)) return [['/jobs/vetting', 'jobs.nav.vetting'], ['/jobs', 'jobs.nav.search']];
  return [['/jobs', 'jobs.nav.search']];
}

// Employer accounts start on their vacancies; everyone else keeps the core start page.
export function home(a) { return isEmployer(a) ? '/employer' : null; }
