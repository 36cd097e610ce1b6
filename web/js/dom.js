// dom.js - build elements without innerHTML (user data never becomes markup).

// h('a', {href: '/me', class: 'x', onclick: fn}, 'text', child, [more])
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of [children].flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

// A definition list from [label, value] pairs; pairs whose value is absent are skipped
// (data minimisation: fields the viewer may not see are not in the JSON at all).
export function dl(pairs, cls = 'facts') {
  const el = h('dl', { class: cls });
  for (const [label, value] of pairs) {
    if (value === undefined || value === null || value === '' || (Array.isArray(value) && !value.length)) continue;
    el.append(h('div', {}, h('dt', {}, label), h('dd', {}, value)));
  }
  return el.children.length ? el : null;
}

// Read a dotted path ("address.postal_code") from an object.
export function getPath(obj, path) {
  return path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

export function setPath(obj, path, value) {
  const keys = path.split('.');
  let o = obj;
  for (const k of keys.slice(0, -1)) o = o[k] ??= {};
  o[keys.at(-1)] = value;
}

let uid = 0;
export const nextId = (p = 'id') => `${p}-${++uid}`;

// A table cell that stacks as "label: value" on phones (the label comes from data-label).
export const cell = (label, ...content) => h('td', { 'data-label': label }, h('div', {}, ...content));
