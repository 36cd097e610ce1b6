// views/ei/index.js - the ei module of the portal (see js/modules.js for the contract).
export const routes = [];
export function nav() { return []; }
export function home() { return null; }
