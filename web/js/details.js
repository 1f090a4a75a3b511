// The details panel of the selected instance: how the current expression evaluates on it (the
// truth table, one row per clause), its facts, attributes and tasks.

import { h, icon, replaceChildren } from './dom.js';
import { abbreviate, gpuUsage, groupColor, shortId, typeOf, usage, zoneOf } from './format.js';
import { truthTable } from './truth-table.js';

/**
 * @param {HTMLElement} panel
 * @param {{scenario: object, arn: string|null, match: object|null, text: string,
 *   expression: 'empty'|'error'|'ok'|'failed', onClose: () => void, extra?: HTMLElement|null}} model
 *   `extra`: a section shown first (during a placement run: the instance's checks for the current task)
 */
export function renderDetails(panel, { scenario, arn, match, text, expression, onClose, extra = null }) {
  const instance = arn ? (scenario.instances ?? []).find((i) => i.containerInstanceArn === arn) : null;
  panel.dataset.selected = instance ? 'true' : 'false';
  if (!instance) {
    replaceChildren(panel,
      h('h2', { class: 'card__title', id: 'details-heading' }, 'Instance details'),
      h('p', { class: 'details__empty' },
        'Select an instance (click it, or focus it and press Enter) to see its attributes and how the expression evaluates on it, clause by clause.'));
    return;
  }

  const close = h('button', { type: 'button', class: 'icon-button details__close', 'aria-label': 'Close the details' }, icon('close'));
  close.addEventListener('click', onClose);

  replaceChildren(panel,
    h('div', { class: 'details__header' },
      h('h2', { class: 'card__title', id: 'details-heading' },
        h('span', { class: 'details__ec2' }, instance.ec2InstanceId || abbreviate(shortId(arn))),
        h('span', { class: 'details__type' }, typeOf(instance) ?? '')),
      close),
    extra,
    truthSection(match, text, expression),
    factsSection(scenario, instance),
    attributesSection(instance),
    tasksSection(scenario, instance));
}

function truthSection(match, text, expression) {
  const section = h('section', { class: 'details__section', 'aria-labelledby': 'truth-heading' },
    h('h3', { class: 'details__subtitle', id: 'truth-heading' }, 'Expression on this instance'));
  if (expression === 'empty') {
    section.append(h('p', { class: 'muted' }, 'Type an expression to see how it evaluates here.'));
    return section;
  }
  if (expression !== 'ok' || !match) {
    section.append(h('p', { class: 'muted' },
      expression === 'failed'
        ? 'The expression could not be evaluated (see the message at the top of the page).'
        : 'The expression has errors: fix them to see how it evaluates here.'));
    return section;
  }
  section.append(h('p', { class: `verdict verdict--${match.matched}` },
    icon(match.matched ? 'check' : 'cross'),
    match.matched ? 'Matches the expression' : 'Does not match the expression'));
  section.append(truthTable(match.clauses, text));
  return section;
}

function factsSection(scenario, instance) {
  const cpu = usage(instance, 'cpu');
  const memory = usage(instance, 'memory');
  const gpus = gpuUsage(instance);
  const facts = [
    ['Container instance', h('code', { class: 'wrap' }, instance.containerInstanceArn)],
    ['Availability Zone', zoneOf(instance) ?? '—'],
    ['Status', `${instance.status ?? 'ACTIVE'}${instance.agentConnected === false ? ' · agent disconnected' : ''}`],
    ['Agent version', instance.agentVersion || '—'],
    ['Registered at', instance.registeredAt || '—'],
    ['CPU', `${cpu.used} / ${cpu.registered} CPU units used`],
    ['Memory', `${memory.used} / ${memory.registered} MiB used`],
    gpus.total > 0 ? ['GPUs', `${gpus.used} / ${gpus.total} in use`] : null,
    ['Ports in use', (instance.remainingResources?.ports ?? []).join(', ') || '—'],
  ].filter(Boolean);
  return h('section', { class: 'details__section', 'aria-labelledby': 'facts-heading' },
    h('h3', { class: 'details__subtitle', id: 'facts-heading' }, 'Instance'),
    h('dl', { class: 'facts' }, facts.map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])));
}

function attributesSection(instance) {
  const entries = Object.entries(instance.attributes ?? {}).sort(([a], [b]) => a.localeCompare(b, 'en'));
  const section = h('section', { class: 'details__section', 'aria-labelledby': 'attributes-heading' },
    h('h3', { class: 'details__subtitle', id: 'attributes-heading' }, `Attributes (${entries.length})`));
  if (entries.length === 0) {
    section.append(h('p', { class: 'muted' }, 'No attributes.'));
    return section;
  }
  section.append(h('div', { class: 'table-scroll' },
    h('table', { class: 'attributes' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Value'))),
      h('tbody', {}, entries.map(([name, value]) => h('tr', {},
        h('td', {}, h('code', {}, breakable(name))),
        h('td', {}, value === null || value === undefined
          ? h('span', { class: 'muted' }, 'no value')
          : h('code', {}, value))))))));
  return section;
}

function tasksSection(scenario, instance) {
  const tasks = (scenario.tasks ?? []).filter((t) => t.containerInstanceArn === instance.containerInstanceArn);
  const untracked = instance.untrackedRunningTasks ?? 0;
  const section = h('section', { class: 'details__section', 'aria-labelledby': 'tasks-heading' },
    h('h3', { class: 'details__subtitle', id: 'tasks-heading' }, `Tasks (${tasks.length + untracked})`));
  if (tasks.length === 0 && untracked === 0) {
    section.append(h('p', { class: 'muted' }, 'No tasks.'));
    return section;
  }
  if (tasks.length > 0) {
    section.append(h('ul', { class: 'task-list' }, tasks.map((t) =>
      h('li', { class: 'task-list__item' },
        h('span', { class: 'swatch', style: { '--c': groupColor(t.group) }, 'aria-hidden': 'true' }),
        h('span', { class: 'task-list__group' }, t.group || '(no group)'),
        h('span', { class: 'task-list__meta' },
          `${t.cpu ?? 0} CPU · ${t.memory ?? 0} MiB`,
          t.ports?.length ? ` · ports ${t.ports.join(', ')}` : '',
          (t.desiredStatus ?? 'RUNNING') !== 'RUNNING' ? ` · ${t.lastStatus ?? ''} → ${t.desiredStatus}` : ''),
        h('code', { class: 'task-list__id', title: t.taskArn }, abbreviate(shortId(t.taskArn)))))));
  }
  if (untracked > 0) {
    section.append(h('p', { class: 'muted' },
      `${untracked} more running task${untracked === 1 ? '' : 's'} without details (import describe-tasks output to see them).`));
  }
  return section;
}

/** A dotted name with line-break opportunities after the dots (`com.amazonaws.ecs…`). */
function breakable(name) {
  return String(name).split(/(?<=\.)/).flatMap((part, i) => (i === 0 ? [part] : [h('wbr'), part]));
}
