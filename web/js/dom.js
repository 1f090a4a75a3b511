// Small DOM helpers. Text always goes in through textContent: scenario data and expressions are
// user input, so nothing here ever parses HTML.

/**
 * Creates an element: `h('span', {class: 'x', dataset: {a: '1'}, onclick: fn}, 'text', child)`.
 * Attributes with `null`/`undefined`/`false` values are skipped; `true` sets an empty attribute.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') el.className = value;
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (name === 'style' && typeof value === 'object') {
      for (const [prop, v] of Object.entries(value)) el.style.setProperty(prop, String(v));
    } else if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value);
    } else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

/** A labelled form field: `<label class="field"><span class="field__label">label</span>…controls</label>`. */
export function field(label, ...controls) {
  return h('label', { class: 'field' }, h('span', { class: 'field__label' }, label), ...controls);
}

/** Whether `el` has the focus, in the document or in the shadow root it lives in. */
export function focused(el) {
  return Boolean(el) && el.getRootNode().activeElement === el;
}

/** Appends strings (as text) and nodes, flattening arrays and skipping null/false. */
export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Replaces all children of `parent`. */
export function replaceChildren(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

/**
 * Text with `backtick` spans as <code> elements (the core's messages quote code that way).
 * Returns an array of nodes.
 */
export function richText(message) {
  const parts = String(message ?? '').split('`');
  // An odd number of backticks leaves the last one unpaired: keep it literally.
  if (parts.length % 2 === 0) {
    parts[parts.length - 2] += '`' + parts.pop();
  }
  return parts.map((part, i) => (i % 2 === 1 ? h('code', {}, part) : document.createTextNode(part)));
}

/** An inline SVG icon from a small built-in set (decorative: aria-hidden). */
export function icon(name) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('class', `icon icon--${name}`);
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  for (const d of ICONS[name] ?? []) {
    const path = document.createElementNS(ns, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}

const ICONS = {
  check: ['M3 8.5l3.2 3L13 4.5'],
  cross: ['M4 4l8 8', 'M12 4l-8 8'],
  error: ['M8 1.5a6.5 6.5 0 1 0 0 13a6.5 6.5 0 1 0 0-13z', 'M8 4.5v4.2', 'M8 11.2v.3'],
  warning: ['M8 1.8L15 14H1z', 'M8 6v3.8', 'M8 11.8v.3'],
  info: ['M8 1.5a6.5 6.5 0 1 0 0 13a6.5 6.5 0 1 0 0-13z', 'M8 7v4.5', 'M8 4.5v.3'],
  close: ['M4 4l8 8', 'M12 4l-8 8'],
  fix: ['M2.5 13.5l6-6', 'M9.5 2.5l1 2.2 2.2 1-2.2 1-1 2.2-1-2.2-2.2-1 2.2-1z'],
  plug: ['M5 1.5v3.5', 'M11 1.5v3.5', 'M3.5 5h9v2.5a4.5 4.5 0 0 1-9 0z', 'M8 12v2.5', 'M2 2l12 12'],
  gpu: ['M2 4.5h12v7H2z', 'M5 7h2v2H5z', 'M9 7h2v2H9z', 'M4 11.5v2', 'M12 11.5v2'],
  minus: ['M4 8h8'],
  pin: ['M8 14.5s-4.5-4.2-4.5-7.5a4.5 4.5 0 0 1 9 0c0 3.3-4.5 7.5-4.5 7.5z', 'M8 5.2a1.8 1.8 0 1 0 0 3.6a1.8 1.8 0 1 0 0-3.6z'],
  play: ['M5 3.5v9l7-4.5z'],
  pause: ['M5.5 3.5v9', 'M10.5 3.5v9'],
  prev: ['M10.5 3.5L6 8l4.5 4.5'],
  next: ['M5.5 3.5L10 8l-4.5 4.5'],
  first: ['M4 3.5v9', 'M12 3.5L7.5 8l4.5 4.5'],
  last: ['M12 3.5v9', 'M4 3.5L8.5 8L4 12.5'],
  undo: ['M5.5 3.5L2.5 6.5l3 3', 'M2.5 6.5h7a4 4 0 0 1 0 8H6'],
  reset: ['M2.5 8a5.5 5.5 0 1 0 1.7-4', 'M2.5 2v3.5H6'],
  dice: ['M2.5 2.5h11v11h-11z', 'M5.5 5.5v.01', 'M10.5 5.5v.01', 'M8 8v.01', 'M5.5 10.5v.01', 'M10.5 10.5v.01'],
  run: ['M4 3l9 5-9 5z'],
  chevron: ['M4 6l4 4 4-4'],
  up: ['M4 10l4-4 4 4'],
  down: ['M4 6l4 4 4-4'],
  copy: ['M5.5 5.5h8v8h-8z', 'M10.5 5.5v-3h-8v8h3'],
  share: ['M11.5 2.5a2 2 0 1 0 0 4a2 2 0 1 0 0-4z', 'M4.5 6a2 2 0 1 0 0 4a2 2 0 1 0 0-4z', 'M11.5 9.5a2 2 0 1 0 0 4a2 2 0 1 0 0-4z', 'M6.3 7l3.4-2', 'M6.3 9l3.4 2'],
};
