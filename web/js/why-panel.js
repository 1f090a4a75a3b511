// "Why here?": the explanation of one placement step (one attempted task of a RunTask command),
// from the core's PlacementExplanation:
//   - the request: task group, what each task reserves, constraints with their origin, strategies;
//   - the decision: where the task went and what decided, or why it was not placed (with the
//     AWS `failures` of the response);
//   - the checks matrix (à la kube-scheduler-simulator): one row per candidate instance, one
//     column per check, each cell a pass mark or the AWS reason with its figures; memberOf cells
//     expand into the clause-by-clause truth table;
//   - the strategy chain: each strategy's candidates with the figure it ranked by, and which it kept.

import { h, icon, replaceChildren, richText } from './dom.js';
import { abbreviate, plural, shortId } from './format.js';
import {
  CHECK_REASONS, CHECK_TITLES, checkColumns, instanceIndex, instanceName, instanceVerdicts, reasonText,
} from './run-model.js';
import { truthTable } from './truth-table.js';

/** Per-panel UI state that survives re-renders: expanded truth tables, the figures toggle. */
const panels = new WeakMap();

/**
 * @param {HTMLElement} panel
 * @param {{step: object, total: number, scenario: object, selected: string|null,
 *   onSelect: (arn: string) => void}} model `scenario`: the cluster shown for this step
 */
export function renderWhy(panel, { step, total, scenario, selected, onSelect }) {
  let ui = panels.get(panel);
  if (!ui) {
    ui = { expanded: new Set(), figures: false, lastSelected: null };
    panels.set(panel, ui);
  }
  if (!step) {
    replaceChildren(panel, h('h2', { class: 'card__title', id: 'why-heading' }, 'Why here?'),
      h('p', { class: 'muted' }, 'Run a `run-task` command to see, task by task, why each task went where it did.'));
    return;
  }
  const { command, task } = step;
  const { explanation, report } = command;
  const instances = instanceIndex(scenario);
  const verdicts = instanceVerdicts(step);
  // A newly selected instance (a click on its bin) gets its memberOf clauses opened once.
  if (selected !== ui.lastSelected) {
    ui.lastSelected = selected;
    if (selected) ui.expanded.add(selected);
  }

  panel.dataset.step = String(step.index + 1);
  panel.dataset.placed = String(step.placed);
  replaceChildren(panel,
    h('div', { class: 'why__top' },
      h('h2', { class: 'card__title', id: 'why-heading' }, 'Why here?'),
      h('p', { class: 'why__where', 'data-testid': 'why-where' },
        `Task ${task.attempt} of ${command.count} of the RunTask on line ${report.line}`,
        total > command.count ? ` · step ${step.index + 1} of ${total} of this run` : '')),
    requestSection(explanation),
    decisionSection(step, instances),
    checksSection(step, verdicts, instances, ui, selected, onSelect, () => renderWhy(panel, { step, total, scenario, selected, onSelect })),
    chainSection(step, instances));
}

// ---------------------------------------------------------------- request

/** "128 CPU units · 128 MiB · 1 GPU · host ports 80/tcp · 1 ENI" */
export function describeReservation(reservation) {
  const r = reservation ?? {};
  const parts = [`${r.cpu ?? 0} CPU units`, `${r.memory ?? 0} MiB`];
  if (r.gpus > 0) parts.push(plural(r.gpus, 'GPU'));
  const ports = [...(r.ports ?? []).map((p) => `${p}/tcp`), ...(r.portsUdp ?? []).map((p) => `${p}/udp`)];
  if (ports.length) parts.push(`host port${ports.length === 1 ? '' : 's'} ${ports.join(' ')}`);
  if (r.dynamicPorts > 0) parts.push(plural(r.dynamicPorts, 'dynamic host port'));
  if (r.eni) parts.push('1 ENI');
  return parts.join(' · ');
}

function requestSection(explanation) {
  const rows = [
    ['Task group', h('code', {}, explanation.group)],
    ['Each task reserves', [describeReservation(explanation.reservation),
      h('span', { class: 'muted' }, ` (${explanation.networkMode} network mode)`)]],
  ];
  if (explanation.requiredAttributes?.length) {
    rows.push(['Required attributes', h('ul', { class: 'inline-list' },
      explanation.requiredAttributes.map((a) => h('li', {}, h('code', {}, a))))]);
  }
  rows.push(['Constraints', explanation.constraints?.length
    ? h('ul', { class: 'plain-list' }, explanation.constraints.map((c) => h('li', { 'data-testid': 'why-constraint' },
      h('span', { class: 'why__kind' }, c.kind),
      c.expression ? [' ', h('code', { class: 'wrap-code' }, c.expression)] : null,
      h('span', { class: 'origin' }, c.origin === 'taskDefinition' ? 'from the task definition' : 'from the request'))))
    : h('span', { class: 'muted' }, 'none')]);
  rows.push(['Strategies', [
    explanation.strategies?.length
      ? h('span', { class: 'chain-inline' }, explanation.strategies.flatMap((s, i) => [
        i > 0 ? h('span', { class: 'chain-inline__arrow', 'aria-label': 'then' }, ' → ') : null,
        h('code', {}, s)]))
      : h('span', { class: 'muted' }, 'none'),
    explanation.strategyNote ? h('p', { class: 'why__note' }, richText(explanation.strategyNote)) : null]]);
  rows.push(['Seed', h('span', { title: 'Ties are broken by a random generator seeded with this number: the same cluster, seed and commands always give the same placements (decision D18).' },
    String(explanation.seed))]);
  if (explanation.skipped?.length) {
    rows.push(['Not considered', h('ul', { class: 'plain-list' }, explanation.skipped.map((s) =>
      h('li', { 'data-testid': 'why-skipped' }, h('code', {}, shortId(s.containerInstanceArn)), `: ${s.reason}`)))]);
  }
  return h('section', { class: 'why__section', 'aria-labelledby': 'why-request-heading' },
    h('h3', { class: 'details__subtitle', id: 'why-request-heading' }, 'The request'),
    h('dl', { class: 'facts why__request' }, rows.map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])));
}

// ---------------------------------------------------------------- decision

function describeInstance(arn, instances, task) {
  const row = task.instances?.find((i) => i.containerInstanceArn === arn);
  const instance = instances.get(arn);
  const type = row?.instanceType ?? instance?.attributes?.['ecs.instance-type'];
  const zone = row?.availabilityZone ?? instance?.attributes?.['ecs.availability-zone'];
  return [type, zone].filter(Boolean).join(' · ');
}

function decisionSection(step, instances) {
  const { task, command } = step;
  const section = h('section', {
    class: `why__decision why__decision--${step.placed ? 'placed' : 'failed'}`,
    'data-testid': 'why-decision',
    'aria-labelledby': 'why-decision-heading',
  });
  if (step.placed) {
    const where = describeInstance(task.placedOn, instances, task);
    section.append(
      h('h3', { class: 'why__verdict', id: 'why-decision-heading' }, icon('check'),
        h('span', {}, 'Placed on ', h('strong', { class: 'mono' }, instanceName(task.placedOn, instances)),
          where ? ` (${where})` : '')),
      h('p', { class: 'why__decided', 'data-testid': 'why-decided-by' }, 'Decided by ', h('strong', {}, task.decidedBy ?? '—')));
    if (task.tied?.length > 1) {
      section.append(h('p', { class: 'why__tied' },
        `Tied after the strategies: ${task.tied.map((a) => instanceName(a, instances)).join(', ')}; the seeded draw picked ${instanceName(task.placedOn, instances)}.`));
    }
    if (task.taskArn) {
      section.append(h('p', { class: 'why__task-id muted' }, 'New task ', h('code', { title: task.taskArn }, abbreviate(shortId(task.taskArn)))));
    }
  } else {
    section.append(
      h('h3', { class: 'why__verdict', id: 'why-decision-heading' }, icon('cross'),
        h('span', {}, 'Not placed: no instance passed every check')));
    const failures = command.report.response?.failures ?? [];
    if (failures.length) {
      const counts = new Map();
      for (const f of failures) counts.set(shortReason(f.reason), (counts.get(shortReason(f.reason)) ?? 0) + 1);
      const list = h('ul', { class: 'why__failures' }, failures.map((f) =>
        h('li', {},
          h('code', {}, f.arn ? instanceName(f.arn, instances) : '—'), ' ',
          h('strong', {}, f.reason),
          f.detail ? h('span', { class: 'muted' }, ` (${stripTicks(f.detail)})`) : null)));
      section.append(h('details', { class: 'why__failures-box', 'data-testid': 'why-failures', open: failures.length <= 3 ? true : null },
        h('summary', {}, `The response lists ${plural(failures.length, 'failure')}: `,
          [...counts].map(([reason, n]) => `${reason} ×${n}`).join(', ')),
        list));
    }
  }
  const last = step.taskIndex === command.count - 1;
  if (last) {
    for (const note of command.explanation.notes ?? []) section.append(h('p', { class: 'why__note' }, icon('info'), ' ', richText(note)));
  }
  return section;
}

function stripTicks(text) {
  return String(text ?? '').replace(/`/g, '');
}

// ---------------------------------------------------------------- checks matrix

function checksSection(step, verdicts, instances, ui, selected, onSelect, rerender) {
  const { task } = step;
  const columns = checkColumns(task);
  const rows = task.instances ?? [];
  const eligible = rows.filter((r) => r.eligible).length;
  const toggle = h('input', { type: 'checkbox', id: 'why-figures', checked: ui.figures ? true : null });
  toggle.addEventListener('change', () => {
    ui.figures = toggle.checked;
    table.classList.toggle('matrix--figures', ui.figures);
  });

  const body = [];
  for (const row of rows) {
    const arn = row.containerInstanceArn;
    const verdict = verdicts.get(arn) ?? { kind: row.eligible ? 'eligible' : 'ineligible' };
    const detailsId = `why-truth-${shortId(arn).replace(/[^A-Za-z0-9_-]/g, '_')}`;
    const expanded = ui.expanded.has(arn);
    const reasonCheck = (row.findings ?? []).find((f) => !f.passed)?.check ?? null;
    const cells = columns.map((check) => checkCell(check, row, { reason: check === reasonCheck, expanded, detailsId, onToggle: () => {
      if (ui.expanded.has(arn)) ui.expanded.delete(arn);
      else ui.expanded.add(arn);
      rerender();
    } }));
    const name = h('button', { type: 'button', class: 'matrix__instance', title: `Select ${instanceName(arn, instances)} in the cluster` },
      h('span', { class: 'matrix__head' }, verdictMark(verdict), h('span', { class: 'matrix__type' }, row.instanceType ?? '?')),
      h('span', { class: 'matrix__sub' },
        h('span', { class: 'matrix__id', title: arn }, abbreviate(shortId(arn))),
        row.availabilityZone ? h('span', { class: 'matrix__zone' }, row.availabilityZone) : null),
      verdict.kind === 'chosen' ? verdictLabel(verdict) : null);
    name.addEventListener('click', () => onSelect(arn));
    body.push(h('tr', {
      class: ['matrix__row', `matrix__row--${verdict.kind}`, arn === selected ? 'matrix__row--selected' : ''].join(' ').trim(),
      'data-testid': 'matrix-row',
      dataset: { arn, verdict: verdict.kind, eligible: String(row.eligible) },
      'aria-current': arn === selected ? 'true' : null,
    },
    h('th', { scope: 'row', class: 'matrix__name' }, name),
    cells));
    if (expanded && row.memberOf?.length) {
      body.push(h('tr', { class: 'matrix__truth', id: detailsId, 'data-testid': 'matrix-truth' },
        h('td', { colspan: String(columns.length + 1) },
          row.memberOf.map((m) => h('div', { class: 'matrix__truth-block' },
            h('p', { class: 'matrix__truth-title' },
              h('span', { class: `verdict verdict--${m.value}` }, icon(m.value ? 'check' : 'cross'), m.value ? 'holds' : 'is false'),
              ' on ', h('code', {}, row.ec2InstanceId || shortId(arn)), ': ', h('code', { class: 'wrap-code' }, m.expression)),
            truthTable(m.clauses, m.expression, {
              caption: `memberOf ${m.expression} on ${row.ec2InstanceId || shortId(arn)}, clause by clause`,
              testid: 'memberof-truth-row',
            }))))));
    }
  }

  const table = h('table', { class: `matrix${ui.figures ? ' matrix--figures' : ''}`, 'data-testid': 'why-matrix' },
    h('caption', { class: 'visually-hidden' }, `Checks of every container instance for task ${task.attempt}: a mark when the check passed, the AWS reason and its figures when it failed`),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Instance'),
      columns.map((c) => h('th', { scope: 'col', dataset: { check: c } }, camelBreaks(CHECK_TITLES[c] ?? c))))),
    h('tbody', {}, body));

  return h('section', { class: 'why__section', 'aria-labelledby': 'why-checks-heading' },
    h('div', { class: 'why__section-head' },
      h('h3', { class: 'details__subtitle', id: 'why-checks-heading' }, '1 · Checks'),
      h('p', { class: 'why__count' }, rows.length === 0
        ? 'No instance to check'
        : `${eligible} of ${plural(rows.length, 'instance')} ${eligible === 1 ? 'passes' : 'pass'} every check`),
      h('label', { class: 'toggle', for: 'why-figures' }, toggle, 'Figures of passed checks')),
    rows.length && eligible < rows.length
      ? h('p', { class: 'why__hint' }, 'Checks run in the order of the columns; an instance\'s AWS reason is its first failing check (shaded).')
      : null,
    rows.length ? h('div', { class: 'table-scroll matrix-scroll' }, table) : null);
}

/** The row's verdict as an icon with its words for screen readers and in the tooltip (never colour alone). */
function verdictMark(verdict) {
  const [name, text] = {
    chosen: ['pin', 'placed here'],
    eligible: ['check', verdict.droppedBy ? `eligible, dropped by ${verdict.droppedBy}` : verdict.tied ? 'eligible, tied, not drawn' : 'eligible'],
    skipped: ['minus', `not considered: ${verdict.reason}`],
  }[verdict.kind] ?? ['cross', `ineligible, AWS reason ${verdict.reason}`];
  return h('span', { class: `matrix__mark matrix__mark--${verdict.kind}`, title: text }, icon(name), h('span', { class: 'visually-hidden' }, `${text}: `));
}

function verdictLabel(verdict) {
  switch (verdict.kind) {
    case 'chosen':
      return h('span', { class: 'pill pill--chosen' }, icon('pin'), 'placed here');
    case 'eligible':
      return h('span', { class: 'pill pill--eligible', title: verdict.droppedBy ? `passed every check; dropped by ${verdict.droppedBy}` : verdict.tied ? 'passed every check; tied, not drawn' : 'passed every check' },
        icon('check'), 'eligible');
    case 'skipped':
      return h('span', { class: 'pill' }, 'skipped');
    default:
      return h('span', { class: 'pill pill--failed', title: `AWS reason: ${verdict.reason}` }, icon('cross'), 'ineligible',
        h('span', { class: 'visually-hidden' }, `, AWS reason ${verdict.reason}`));
  }
}

/** "MemberOf placement constraint unsatisfied." → "MemberOf" (the full reason goes in the title). */
export function shortReason(reason) {
  const text = reasonText(reason);
  return text.replace(/ placement constraint unsatisfied$/, '');
}

/** `distinctInstance` with a line-break opportunity before each capital (narrow columns). */
function camelBreaks(text) {
  return String(text).split(/(?=[A-Z])/).flatMap((part, i) => (i === 0 ? [part] : [h('wbr'), part]));
}

/** `RESOURCE:MEMORY` with a line-break opportunity after the colon (narrow columns). */
function breakAfterColon(text) {
  const [head, ...rest] = String(text).split(':');
  return rest.length ? [`${head}:`, h('wbr'), rest.join(':')] : text;
}

/** A finding's figures for a cell: a memberOf finding drops the quoted expression (it is in the header). */
function cellDetail(finding) {
  if (finding.check !== 'memberOf') return finding.detail;
  const rest = String(finding.detail ?? '').replace(/^`[^`]*`\s*/, '');
  return rest || finding.detail;
}

function checkCell(check, row, { reason, expanded, detailsId, onToggle }) {
  const findings = (row.findings ?? []).filter((f) => f.check === check);
  const label = CHECK_TITLES[check] ?? check;
  if (findings.length === 0) {
    return h('td', { class: 'matrix__cell matrix__cell--none', 'data-label': label, dataset: { check } },
      h('span', { 'aria-hidden': 'true' }, '—'), h('span', { class: 'visually-hidden' }, 'not checked'));
  }
  const passed = findings.every((f) => f.passed);
  const cell = h('td', {
    class: `matrix__cell matrix__cell--${passed ? 'pass' : 'fail'}${reason ? ' matrix__cell--reason' : ''}`,
    'data-label': label,
    dataset: { check, passed: String(passed) },
  });
  for (const finding of findings) {
    if (finding.passed) {
      cell.append(h('span', { class: 'mark mark--pass', title: stripTicks(finding.detail) }, icon('check'),
        h('span', { class: 'visually-hidden' }, 'passed: ')),
      h('span', { class: 'cell__detail cell__detail--pass' }, richText(cellDetail(finding))));
    } else {
      cell.append(h('span', { class: 'mark mark--fail', title: CHECK_REASONS[check] ?? check }, icon('cross'), h('wbr'),
        h('span', { class: 'cell__reason' }, breakAfterColon(shortReason(CHECK_REASONS[check] ?? check)))),
      h('span', { class: 'cell__detail', title: stripTicks(finding.detail) }, richText(cellDetail(finding))));
    }
  }
  if (check === 'memberOf' && row.memberOf?.length) {
    const button = h('button', {
      type: 'button',
      class: 'link-button',
      'aria-expanded': String(expanded),
      'aria-controls': expanded ? detailsId : null,
      'data-testid': 'memberof-toggle',
    }, expanded ? 'Hide clauses' : 'Clauses');
    button.addEventListener('click', onToggle);
    cell.append(button);
  }
  return cell;
}

// ---------------------------------------------------------------- strategy chain

function chainSection(step, instances) {
  const { task } = step;
  const section = h('section', { class: 'why__section', 'aria-labelledby': 'why-chain-heading' },
    h('div', { class: 'why__section-head' },
      h('h3', { class: 'details__subtitle', id: 'why-chain-heading' }, '2 · Strategies')));
  const steps = task.steps ?? [];
  if (steps.length === 0) {
    section.append(h('p', { class: 'muted why__empty' }, step.placed
      ? 'Only one instance passed every check: the strategies had nothing to choose from.'
      : 'No strategy ran: no instance passed every check.'));
    return section;
  }
  const rows = task.instances ?? [];
  const typeOf = (arn) => rows.find((r) => r.containerInstanceArn === arn)?.instanceType;
  section.append(h('ol', { class: 'chain' }, steps.map((s, i) => {
    const values = s.candidates.map((c) => Number(c.value) || 0);
    const max = Math.max(0, ...values);
    return h('li', { class: 'chain__step', 'data-testid': 'strategy-step', dataset: { strategy: s.strategy, kept: String(s.kept) } },
      h('p', { class: 'chain__head' },
        h('span', { class: 'chain__num', 'aria-hidden': 'true' }, String(i + 1)),
        h('code', { class: 'chain__strategy' }, s.strategy),
        h('span', { class: 'chain__count' }, `${plural(s.candidates.length, 'candidate')} → ${s.kept} kept`)),
      h('ul', { class: 'chain__candidates', 'aria-label': `Candidates of ${s.strategy}` }, s.candidates.map((c) => {
        const chosen = c.containerInstanceArn === task.placedOn && i === steps.length - 1;
        return h('li', {
          class: `candidate candidate--${c.kept ? 'kept' : 'dropped'}${chosen ? ' candidate--chosen' : ''}`,
          dataset: { arn: c.containerInstanceArn, kept: String(c.kept) },
        },
        h('span', { class: 'candidate__mark' }, icon(c.kept ? 'check' : 'minus'), h('span', { class: 'visually-hidden' }, c.kept ? 'kept: ' : 'dropped: ')),
        h('span', { class: 'candidate__name' },
          h('span', { class: 'candidate__id' }, instanceName(c.containerInstanceArn, instances)),
          typeOf(c.containerInstanceArn) ? h('span', { class: 'candidate__type' }, typeOf(c.containerInstanceArn)) : null),
        h('span', { class: 'candidate__label', style: { '--w': max > 0 ? `${Math.sqrt(Math.max(0, Number(c.value) || 0) / max) * 100}%` : '0%' } },
          h('span', {}, c.label)));
      })));
  })));
  return section;
}

/**
 * The checks of one instance for one step, for the details panel ("Task 3 on this instance").
 * @returns {HTMLElement|null}
 */
export function instanceChecks(step, arn, scenario) {
  if (!step) return null;
  const instances = instanceIndex(scenario);
  const verdict = instanceVerdicts(step).get(arn);
  const row = step.task.instances?.find((r) => r.containerInstanceArn === arn);
  const section = h('section', { class: 'details__section', 'aria-labelledby': 'task-checks-heading', 'data-testid': 'details-task-checks' },
    h('h3', { class: 'details__subtitle', id: 'task-checks-heading' }, `Task ${step.task.attempt} of the RunTask on line ${step.command.report.line}`));
  if (!verdict) {
    section.append(h('p', { class: 'muted' }, 'This instance was not a candidate for this task.'));
    return section;
  }
  section.append(h('p', { class: 'details__verdict' }, verdictLabel(verdict),
    verdict.kind === 'skipped' ? ` ${verdict.reason}` : null,
    verdict.kind === 'chosen' ? h('span', { class: 'muted' }, ` — decided by ${step.task.decidedBy ?? '—'}`) : null));
  if (row) {
    section.append(h('ul', { class: 'findings' }, (row.findings ?? []).map((f) =>
      h('li', { class: `finding finding--${f.passed ? 'pass' : 'fail'}` },
        icon(f.passed ? 'check' : 'cross'),
        h('span', { class: 'finding__check' }, CHECK_TITLES[f.check] ?? f.check),
        h('span', { class: 'finding__detail' }, f.passed ? null : h('strong', {}, `${CHECK_REASONS[f.check] ?? ''} `), richText(f.detail))))));
    for (const m of row.memberOf ?? []) {
      section.append(h('p', { class: 'matrix__truth-title' }, 'memberOf ', h('code', { class: 'wrap-code' }, m.expression)),
        truthTable(m.clauses, m.expression, { caption: `memberOf ${m.expression}, clause by clause`, testid: 'memberof-truth-row' }));
    }
  }
  return section;
}
