// views/jobs/index.js - the jobs module of the portal (see js/modules.js for the contract).
export const routes = [];
export function nav() { return []; }
export function home() { return null; }
