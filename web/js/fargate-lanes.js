// Tasks on AWS Fargate, drawn below the instance bins: one lane per Availability Zone of the
// cluster's subnets, a chip per task in its group's colour. Fargate tasks run on no container
// instance, so they have no bin; a chip opens why the task runs in its zone — the counts the core
// recorded when it chose the zone (the group's tasks per zone before it, and whether the seeded
// draw broke a tie), never figures the page works out itself. The lanes are DOM in both bin
// drawings (the canvas of large clusters included); a lane shows at most MAX_CHIPS chips and says
// how many more run there.

import { h, replaceChildren } from './dom.js';
import { abbreviate, groupColor, plural, shortId } from './format.js';
import { SEMANTICS_URL } from './placement-words.js';

/** Chips per lane; the others are counted ("+ 140 more"). */
export const MAX_CHIPS = 60;

/**
 * @param {HTMLElement} container
 * @param {{lanes: Array<{availabilityZone: string, tasks: Array<object>}>, selected: string|null,
 *   onSelect: (taskArn: string|null) => void, onStop: (taskArn: string) => void}} model
 */
export function renderFargateLanes(container, model) {
  const lanes = model.lanes ?? [];
  const key = JSON.stringify([lanes, model.selected]);
  if (container.dataset.key === key) return;
  container.dataset.key = key;
  container.hidden = lanes.length === 0;
  if (lanes.length === 0) {
    replaceChildren(container);
    return;
  }
  const running = lanes.reduce((n, lane) => n + lane.tasks.filter((t) => !t.stopping).length, 0);
  const selected = lanes.flatMap((lane) => lane.tasks.map((task) => ({ task, zone: lane.availabilityZone })))
    .find(({ task }) => task.taskArn === model.selected) ?? null;
  replaceChildren(container,
    h('div', { class: 'fargate__head' },
      h('h3', { class: 'fargate__title', id: 'fargate-title' }, 'Fargate'),
      h('span', { class: 'muted' }, `${plural(running, 'task')} on capacity AWS manages, no container instance`)),
    h('div', { class: 'fargate__lanes' }, lanes.map((lane) => laneSection(lane, model))),
    selected ? whyPanel(selected.task, selected.zone, model.onSelect, model.onStop) : null);
}

function laneSection(lane, model) {
  const shown = lane.tasks.slice(0, MAX_CHIPS);
  const more = lane.tasks.length - shown.length;
  const count = plural(lane.tasks.filter((t) => !t.stopping).length, 'task');
  return h('section', { class: 'fargate__lane', 'data-testid': 'fargate-lane', dataset: { zone: lane.availabilityZone, tasks: String(lane.tasks.length) }, 'aria-label': `Fargate in ${lane.availabilityZone}: ${count}` },
    h('h4', { class: 'fargate__zone' }, h('span', {}, lane.availabilityZone), h('span', { class: 'zone__count' }, count)),
    h('div', { class: 'fargate__chips' },
      shown.map((task) => chip(task, lane.availabilityZone, model)),
      more > 0 ? h('span', { class: 'fargate__more' }, `+ ${more} more`) : null,
      lane.tasks.length === 0 ? h('span', { class: 'muted fargate__empty' }, 'no task') : null));
}

function chip(task, zone, model) {
  const pressed = task.taskArn === model.selected;
  const button = h('button', {
    type: 'button',
    class: `fargate__chip${task.stopping ? ' fargate__chip--stopping' : ''}`,
    'data-testid': 'fargate-task',
    'aria-pressed': String(pressed),
    title: `${task.group} · ${task.cpu} CPU · ${task.memory} MiB · ${zone}`,
    style: { '--c': groupColor(task.group) },
    dataset: { arn: task.taskArn },
  },
  h('span', { class: 'swatch', 'aria-hidden': 'true' }),
  h('span', { class: 'fargate__chip-id' }, abbreviate(shortId(task.taskArn), 4, 4)),
  h('span', { class: 'visually-hidden' }, ` ${task.group}, why it runs in ${zone}`));
  button.addEventListener('click', () => model.onSelect(pressed ? null : task.taskArn));
  return button;
}

/** Why the task runs in its zone, from the choice the core recorded. */
function whyPanel(task, zone, onSelect, onStop) {
  const close = h('button', { type: 'button', class: 'button button--small' }, 'Close');
  close.addEventListener('click', () => onSelect(null));
  const stop = task.stopping ? null : h('button', { type: 'button', class: 'button button--small', 'data-testid': 'fargate-stop-task' }, 'Stop');
  stop?.addEventListener('click', () => onStop(task.taskArn));
  const placement = task.placement;
  return h('section', { class: 'fargate__why', 'data-testid': 'fargate-why', 'aria-labelledby': 'fargate-why-title' },
    h('div', { class: 'fargate__why-head' },
      h('h4', { id: 'fargate-why-title' }, `Task ${abbreviate(shortId(task.taskArn))} runs in ${zone}`),
      h('span', { class: 'toolbar' }, stop, close)),
    placement ? reasons(placement, zone) : h('p', { class: 'muted' }, 'The scenario does not record how this task\u2019s zone was chosen.'),
    h('dl', { class: 'facts' },
      h('dt', {}, 'Task group'), h('dd', {}, task.group),
      h('dt', {}, 'Size'), h('dd', {}, `${task.cpu} CPU units · ${task.memory} MiB`),
      h('dt', {}, 'Subnet'), h('dd', {}, h('code', {}, task.subnetId || '—')),
      h('dt', {}, 'Capacity provider'), h('dd', {}, task.capacityProviderName),
      h('dt', {}, 'Platform version'), h('dd', {}, task.platformVersion)),
    h('p', { class: 'funnel__foot' },
      'AWS documents that Fargate spreads tasks across Availability Zones, not how; the playground puts each task in the zone of its subnets with the fewest running Fargate tasks of its group and breaks ties with the seeded draw. ',
      h('a', { href: SEMANTICS_URL, target: '_blank', rel: 'noopener' }, 'How the playground decides where AWS is silent')));
}

function reasons(placement, zone) {
  const tied = placement.tied ?? [];
  const fewest = placement.zones.find((z) => z.zone === zone)?.tasks ?? 0;
  const decided = placement.drawn
    ? `${tied.length} zones had the fewest (${plural(fewest, 'task')}): ${tied.join(', ')}; the seeded draw chose ${zone}.`
    : `${zone} had the fewest (${plural(fewest, 'task')}).`;
  return [
    h('p', {}, `Fargate runs the task on no container instance, in an Availability Zone of its subnets. Tasks of ${placement.group} running in each zone before it started:`),
    h('ul', { class: 'fargate__counts', 'data-testid': 'fargate-why-counts' }, placement.zones.map((z) => h('li', { class: z.zone === zone ? 'fargate__count--chosen' : '' },
      h('span', {}, z.zone), h('strong', {}, String(z.tasks))))),
    h('p', { 'data-testid': 'fargate-why-decision' }, decided),
  ];
}
