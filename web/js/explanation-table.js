// Every instance's checks and strategy figures for the task on show, as a matrix: one row per
// instance, a column per cluster check and constraint (passed, or the figures of the failure) and
// one per strategy step (the instance's value, kept or dropped). The funnel says what happened;
// this table shows every number behind it.

import { h, icon, replaceChildren, richText } from './dom.js';
import { displayName, shortId } from './format.js';
import { strategyLabel } from './placement-words.js';

/**
 * @param {HTMLElement} el
 * @param {{task: object|null, call: object|null}} explanation the core's explanation of one task
 */
export function renderExplanationTable(el, { task, call }) {
  if (!task) {
    replaceChildren(el, h('p', { class: 'muted' }, 'Explaining this task…'));
    return;
  }
  const checks = [];
  for (const instance of task.instances) {
    for (const finding of instance.findings) if (!checks.some((c) => c.check === finding.check)) checks.push(finding);
  }
  // Cluster checks first, then the constraints (the funnel's order; the core marks which is which).
  checks.sort((a, b) => Number(a.constraint) - Number(b.constraint));
  const header = h('tr', {},
    h('th', { scope: 'col' }, 'Instance'),
    checks.map((c) => h('th', { scope: 'col', title: c.reason }, c.title)),
    task.steps.map((s) => h('th', { scope: 'col' }, h('code', {}, strategyLabel(s.strategy)), h('span', { class: 'muted' }, ` ${s.kept} kept`))));
  const rows = task.instances.map((instance) => {
    const chosen = instance.fate?.kind === 'chosen';
    return h('tr', { class: chosen ? 'is-chosen' : '', 'data-testid': 'explain-row', dataset: { fate: instance.fate?.kind ?? '' } },
      h('th', { scope: 'row' }, chosen ? icon('pin') : null, displayName(instance), h('span', { class: 'muted' }, ` ${instance.instanceType ?? ''} ${instance.availabilityZone ?? ''}`)),
      checks.map((c) => {
        const finding = instance.findings.find((f) => f.check === c.check);
        if (!finding) return h('td', { class: 'muted' }, '—');
        return h('td', { class: finding.passed ? 'cell--ok' : 'cell--fail', title: finding.detail.replace(/`/g, '') },
          icon(finding.passed ? 'check' : 'cross'),
          finding.passed ? h('span', { class: 'visually-hidden' }, 'passed') : h('span', { class: 'cell__detail' }, richText(finding.detail)));
      }),
      task.steps.map((step) => {
        const candidate = step.candidates.find((c) => c.containerInstanceArn === instance.containerInstanceArn);
        if (!candidate) return h('td', { class: 'muted' }, '—');
        return h('td', { class: candidate.kept ? 'cell--ok' : 'cell--out' }, candidate.kept ? 'kept ' : 'out ', candidate.label);
      }));
  });
  const skipped = (call?.skipped ?? []).map((s) => shortId(s.containerInstanceArn));
  replaceChildren(el,
    h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': `Checks and strategy figures of task ${task.attempt}` },
      h('table', { class: 'explain', 'data-testid': 'explain-table' },
        h('caption', { class: 'visually-hidden' }, `Checks and strategy figures of task ${task.attempt}`),
        h('thead', {}, header), h('tbody', {}, rows))),
    skipped.length ? h('p', { class: 'muted' }, `Not considered: ${skipped.join(', ')}.`) : null);
}
