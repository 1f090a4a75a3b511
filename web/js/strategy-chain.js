// The strategy chain of the run builder and of the service form: up to five strategies (binpack, spread, random), each
// with its field, that can be added, removed and reordered. Spread fields are suggested from the
// cluster's attributes.

import { h, icon, replaceChildren } from './dom.js';

export const MAX_STRATEGIES = 5;

/** What a service's empty chain means (the text of a service's chain without a strategy). */
export const SERVICE_DEFAULT_TEXT = 'No strategy: the service spreads its tasks over Availability Zones, then over instances.';

/**
 * @param {HTMLElement} el
 * @param {{strategies: Array<{type: string, field?: string}>, fields: string[],
 *   onChange: (update: (current: Array) => Array) => void, listId?: string, emptyText?: string}} model
 *   `onChange` gets a function of the current chain, so events fired before the next render act
 *   on the chain as it is then. `listId` names the spread fields' datalist (unique per chain);
 *   `emptyText` says what happens without a strategy.
 */
export function renderChain(el, { strategies, fields, onChange, listId = 'spread-fields', emptyText = 'No strategy: RunTask places tasks at random.' }) {
  const change = (update) => onChange(update);
  const rows = strategies.map((strategy, index) => {
    const type = h('select', { class: 'chain__type', 'aria-label': `Strategy ${index + 1}: type`, 'data-testid': 'chain-type' },
      ['binpack', 'spread', 'random'].map((t) => h('option', { value: t, selected: t === strategy.type }, t)));
    type.addEventListener('change', () => change((list) => replace(list, index, defaultFor(type.value))));
    let field = null;
    if (strategy.type === 'binpack') {
      field = h('select', { class: 'chain__field', 'aria-label': `Strategy ${index + 1}: resource`, 'data-testid': 'chain-field' },
        ['memory', 'cpu'].map((f) => h('option', { value: f, selected: f === strategy.field }, f)));
      field.addEventListener('change', () => change((list) => replace(list, index, { type: 'binpack', field: field.value })));
    } else if (strategy.type === 'spread') {
      field = h('input', { class: 'chain__field', value: strategy.field ?? '', list: listId, spellcheck: 'false', 'aria-label': `Strategy ${index + 1}: field`, 'data-testid': 'chain-field' });
      field.addEventListener('change', () => change((list) => replace(list, index, { type: 'spread', field: field.value.trim() })));
    } else {
      field = h('span', { class: 'chain__none muted' }, 'no field');
    }
    const move = (delta, label, name) => {
      const b = h('button', { type: 'button', class: 'icon-button', 'aria-label': `${label} strategy ${index + 1}`, title: label, disabled: index + delta < 0 || index + delta >= strategies.length }, icon(name));
      b.addEventListener('click', () => change((list) => swap(list, index, index + delta)));
      return b;
    };
    const remove = h('button', { type: 'button', class: 'icon-button', 'aria-label': `Remove strategy ${index + 1}`, title: 'Remove' }, icon('close'));
    remove.addEventListener('click', () => change((list) => list.filter((_, i) => i !== index)));
    return h('li', { class: 'chain__row', 'data-testid': 'chain-row' },
      h('span', { class: 'chain__number', 'aria-hidden': 'true' }, String(index + 1)), type, field, move(-1, 'Move up', 'up'), move(1, 'Move down', 'down'), remove);
  });
  const add = h('button', { type: 'button', class: 'button button--small', 'data-testid': 'chain-add', disabled: strategies.length >= MAX_STRATEGIES }, '+ Add a strategy');
  add.addEventListener('click', () => change((list) => (list.length >= MAX_STRATEGIES ? list : [...list, defaultFor(list.length === 0 ? 'spread' : 'binpack')])));
  replaceChildren(el,
    strategies.length ? h('ol', { class: 'chain' }, rows) : h('p', { class: 'muted' }, emptyText),
    h('datalist', { id: listId }, fields.map((f) => h('option', { value: f }))),
    add,
    strategies.length >= MAX_STRATEGIES ? h('p', { class: 'hint' }, 'AWS allows at most 5 strategies.') : null);
}

function defaultFor(type) {
  if (type === 'binpack') return { type, field: 'memory' };
  if (type === 'spread') return { type, field: 'attribute:ecs.availability-zone' };
  return { type: 'random' };
}

function replace(list, index, item) {
  return list.map((x, i) => (i === index ? item : x));
}

function swap(list, a, b) {
  if (b < 0 || b >= list.length || a >= list.length) return list;
  const out = [...list];
  [out[a], out[b]] = [out[b], out[a]];
  return out;
}

/** Spread fields a user may want: instanceId, host and every attribute of the cluster. */
export function spreadFields(scenario) {
  const names = new Set();
  for (const instance of scenario?.instances ?? []) for (const name of Object.keys(instance.attributes ?? {})) names.add(name);
  const preferred = ['ecs.availability-zone', 'ecs.instance-type'];
  const rest = [...names].filter((n) => !preferred.includes(n)).sort();
  return ['attribute:ecs.availability-zone', 'instanceId', 'attribute:ecs.instance-type', 'host', ...rest.map((n) => `attribute:${n}`)];
}
