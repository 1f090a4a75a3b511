// The truth table of an expression on one instance: one row per clause (pre-order, indented by
// depth) with its value, the instance's actual value and the core's note. Shared by the details
// panel (the cluster query) and the placement explanation (memberOf constraints).

import { h, icon, richText } from './dom.js';
import { spanMapFor } from './spans.js';

/**
 * @param {Array<{span, depth, kind, value, actual?, note?}>} clauses spans are UTF-8 byte offsets into `text`
 * @param {string} text the expression the spans refer to
 * @param {{caption?: string, testid?: string}} options
 */
export function truthTable(clauses, text, { caption = 'Truth table: every sub-expression and its value on this instance', testid = 'truth-row' } = {}) {
  const map = spanMapFor(text);
  const rows = (clauses ?? []).map((clause) => {
    const value = Boolean(clause.value);
    return h('tr', { 'data-testid': testid, dataset: { value: String(value), depth: String(clause.depth ?? 0) } },
      h('td', { class: `truth__value truth__value--${value}` },
        icon(value ? 'check' : 'cross'), h('span', {}, value ? 'true' : 'false')),
      h('td', { class: 'truth__clause', style: { '--depth': clause.depth ?? 0 } },
        clause.kind === 'compare' ? null : h('span', { class: `truth__kind truth__kind--${clause.kind}` }, clause.kind),
        h('code', { class: 'truth__source' }, map.slice(clause.span)),
        clause.actual !== undefined && clause.actual !== null
          ? h('p', { class: 'truth__actual' }, 'instance has ', h('code', {}, clause.actual))
          : null,
        clause.note ? h('p', { class: 'truth__note' }, richText(clause.note)) : null));
  });
  return h('div', { class: 'table-scroll' },
    h('table', { class: 'truth' },
      h('caption', { class: 'visually-hidden' }, caption),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'Value'),
        h('th', { scope: 'col' }, 'Clause, and what the instance has'))),
      h('tbody', {}, rows)));
}
