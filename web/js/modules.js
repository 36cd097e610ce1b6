// modules.js - the portal's feature modules.  Each module (web/js/views/<name>/index.js) exports
//   routes:   [{ re, view, who }] like app.js's own table (who: null = public, else a predicate
//             on the account);
//   nav(a):   [[href, messageKey], ...] added to the navigation for account a (may be empty);
//   home(a):  optional start path for account a (the first module that returns one wins);
// and brings its messages in web/i18n/<name>.<lang>.json (loaded with the core catalogues) and
// its styles in web/<name>.css (linked from index.html).
import * as jobs from './views/jobs/index.js';
import * as ei from './views/ei/index.js';

export const MODULES = ['jobs', 'ei'];
export const modules = [jobs, ei];
