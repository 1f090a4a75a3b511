// One service of the Services tab: its counts, steadiness, task definition, strategies and newest
// events, and its controls — a desired-count slider (applied when released) with a number field, a
// strategy chain to change, Delete. Each control writes the `aws ecs update-service` or
// `delete-service` command the console would run.

import { h } from './dom.js';
import { strategyLabel } from './placement-words.js';
import { quoteWord } from './report-text.js';
import { SERVICE_DEFAULT_TEXT, renderChain } from './strategy-chain.js';

/**
 * @param {object} service a `ServiceView` of the core's cluster view
 * @param {{run: (commands: string) => Promise, busy: boolean, instances: number, fields: string[]}} context
 *   `instances`: the cluster's instance count (the slider reaches at least that far)
 */
export function serviceItem(service, { run, busy, instances, fields }) {
  const daemon = service.schedulingStrategy === 'DAEMON';
  const active = service.status === 'ACTIVE';
  const command = (...words) => ['aws', 'ecs', ...words].map(quoteWord).join(' ');
  const update = (...words) => run(command('update-service', '--service', service.serviceName, ...words));
  const remove = h('button', { type: 'button', class: 'button button--small button--danger', 'data-testid': 'service-delete', disabled: busy }, 'Delete');
  remove.addEventListener('click', () => run(command('delete-service', '--service', service.serviceName, '--force')));
  return h('li', { class: 'service', 'data-testid': 'service', dataset: { name: service.serviceName, steady: String(service.steady) } },
    h('div', { class: 'service__head' },
      h('strong', { class: 'service__name' }, service.serviceName),
      h('span', { class: `badge badge--${service.status.toLowerCase()}`, 'data-testid': 'service-status' }, service.status),
      h('span', { class: 'service__counts' }, countsText(service, daemon))),
    h('p', { class: 'service__meta' }, `task definition ${shortDefinition(service.taskDefinition)} · `, chainText(service, daemon)),
    active && !daemon ? desiredCount(service, { update, busy, instances }) : null,
    active && !daemon ? strategyEditor(service, { update, busy, fields }) : null,
    active ? h('div', { class: 'toolbar' }, remove) : null,
    events(service));
}

function countsText(service, daemon) {
  const counts = daemon ? `DAEMON · ${service.runningCount} running` : `${service.runningCount} of ${service.desiredCount} running`;
  if (service.steady) return `${counts} · steady`;
  return service.drainingCount ? `${counts} · ${service.drainingCount} on draining instances` : `${counts} · not steady`;
}

function chainText(service, daemon) {
  if (daemon) return 'one task on each instance';
  const chain = service.placementStrategy.map(strategyLabel).join(' → ');
  return chain || 'default placement (zones, then instances)';
}

/** A slider (applied on release) and a number field with Set, for counts past the slider. */
function desiredCount(service, { update, busy, instances }) {
  const name = service.serviceName;
  const max = Math.max(10, instances, service.desiredCount * 2);
  const slider = h('input', { type: 'range', class: 'service__slider', min: '0', max: String(max), value: String(service.desiredCount), disabled: busy, 'aria-label': `Desired count of ${name} (slider)`, 'data-testid': 'service-slider' });
  const count = h('input', { type: 'number', min: '0', value: String(service.desiredCount), disabled: busy, 'aria-label': `Desired count of ${name}`, 'data-testid': 'service-count' });
  const apply = h('button', { type: 'button', class: 'button button--small', 'data-testid': 'service-apply', disabled: busy }, 'Set');
  const set = (value) => {
    const desired = Math.max(0, Math.floor(Number(value) || 0));
    if (desired !== service.desiredCount) update('--desired-count', String(desired));
  };
  slider.addEventListener('input', () => { count.value = slider.value; });
  slider.addEventListener('change', () => set(slider.value));
  apply.addEventListener('click', () => set(count.value));
  return h('div', { class: 'service__count' }, h('span', { class: 'field__label' }, 'Desired count'), slider, count, apply);
}

/** The service's chain to change: Update replaces it (an empty chain clears it, as AWS's `[]`). */
function strategyEditor(service, { update, busy, fields }) {
  let strategies = service.placementStrategy.map((s) => (s.field ? { type: s.type, field: s.field } : { type: s.type }));
  const chain = h('div', { class: 'chain-builder' });
  const apply = h('button', { type: 'button', class: 'button button--small', 'data-testid': 'service-strategies-apply', disabled: busy }, 'Update the strategies');
  apply.addEventListener('click', () => update('--placement-strategy', JSON.stringify(strategies)));
  const draw = () => renderChain(chain, {
    strategies, fields, listId: `spread-fields-${service.serviceName}`,
    emptyText: SERVICE_DEFAULT_TEXT,
    onChange: (change) => {
      strategies = change(strategies);
      draw();
    },
  });
  draw();
  return h('details', { class: 'service__strategies', 'data-testid': 'service-strategies' },
    h('summary', {}, 'Change the placement strategies'),
    h('p', { class: 'hint' }, 'They apply to the service\u2019s next placements and scale-ins; running tasks stay where they are.'),
    chain, apply);
}

function events(service) {
  if (!service.events.length) return null;
  return h('details', { class: 'service__events' }, h('summary', {}, `Events (${service.events.length})`),
    h('ul', {}, service.events.slice(0, 10).map((e) => h('li', {}, h('time', { class: 'muted' }, String(e.createdAt)), ' ', e.message))));
}

/** `family:revision` of a task definition ARN (the ARN itself when it is not one). */
function shortDefinition(arn) {
  const at = arn.indexOf(':task-definition/');
  return at < 0 ? arn : arn.slice(at + ':task-definition/'.length);
}
