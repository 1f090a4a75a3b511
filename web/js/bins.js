// The cluster drawn as bins: one column per Availability Zone, one bin per container instance.
// A bin is a container being filled: two tubes (CPU, memory) stacked with one segment per task in
// its group's colour, the task just placed animated in. Text beside the tubes gives the type, the
// name, the figures, host ports, GPUs and task ENIs in use, DRAINING and a disconnected agent, and
// — during a run — how the instance fared for the task on show (chosen, dropped by a strategy and
// why, failed a check and why). Every figure comes from the core's cluster view.
//
// Keyed by instance ARN: a render rebuilds only the bins whose data changed. Large clusters use
// the compact canvas drawing (bins-canvas.js) instead.

import { h, icon, replaceChildren } from './dom.js';
import { displayName, groupColor, plural } from './format.js';

const NO_ZONE = '\u0000none';
const views = new WeakMap();

/**
 * @param {HTMLElement} container
 * @param {{view: {instances: Array, tasks: Array}, marks: Map<string, {state: string, text: string, detail?: string}>|null,
 *   newTask: string|null, matches: Map<string, boolean>|null, hideUnmatched: boolean, selected: string|null,
 *   onSelect: (arn: string) => void}} model
 */
export function renderBins(container, model) {
  let state = views.get(container);
  if (!state) {
    state = { bins: new Map(), zones: new Map(), onSelect: null };
    views.set(container, state);
    installEvents(container, state);
  }
  state.onSelect = model.onSelect;
  const tasksByInstance = groupTasks(model.view.tasks);
  const zones = byZone(model.view.instances);
  const sections = [];
  const keep = new Map();
  const keepZones = new Map();
  for (const [zone, instances] of zones) {
    const zoneView = state.zones.get(zone) ?? createZone(zone);
    keepZones.set(zone, zoneView);
    let shown = 0;
    let matched = 0;
    const bins = instances.map((instance) => {
      const arn = instance.containerInstanceArn;
      const bin = state.bins.get(arn) ?? createBin(arn);
      keep.set(arn, bin);
      const tasks = tasksByInstance.get(arn) ?? [];
      const match = model.matches ? model.matches.get(arn) ?? false : null;
      const hidden = model.hideUnmatched && match === false;
      if (!hidden) shown += 1;
      if (match) matched += 1;
      updateBin(bin, instance, tasks, {
        mark: model.marks?.get(arn) ?? null, newTask: model.newTask, match, hidden, selected: model.selected === arn,
      });
      return bin.el;
    });
    setChildren(zoneView.binsEl, bins);
    const count = model.matches ? `${matched} of ${instances.length} match` : plural(instances.length, 'instance');
    if (zoneView.countEl.textContent !== count) zoneView.countEl.textContent = count;
    zoneView.el.hidden = shown === 0 && instances.length > 0;
    zoneView.el.dataset.tasks = String(instances.reduce((n, i) => n + (tasksByInstance.get(i.containerInstanceArn)?.length ?? 0), 0));
    sections.push(zoneView.el);
  }
  setChildren(container, sections);
  if (model.view.instances.length === 0) container.append(h('p', { class: 'empty-note' }, 'This cluster has no container instances.'));
  state.bins = keep;
  state.zones = keepZones;
}

function setChildren(parent, children) {
  const current = parent.children;
  if (current.length === children.length && children.every((c, i) => current[i] === c)) return;
  parent.replaceChildren(...children);
}

function groupTasks(tasks) {
  const map = new Map();
  for (const task of tasks) {
    const list = map.get(task.containerInstanceArn);
    if (list) list.push(task);
    else map.set(task.containerInstanceArn, [task]);
  }
  return map;
}

/** A zone's name as `byZone` keys it, for a heading ("No zone" for instances without one). */
export function zoneLabel(zone) {
  return zone === NO_ZONE ? 'No zone' : zone;
}

/** Instances by zone, zones sorted, instances without a zone last. */
export function byZone(instances) {
  const zones = new Map();
  for (const instance of instances) {
    const zone = instance.availabilityZone ?? NO_ZONE;
    if (!zones.has(zone)) zones.set(zone, []);
    zones.get(zone).push(instance);
  }
  return new Map([...zones].sort(([a], [b]) => (a === NO_ZONE ? 1 : b === NO_ZONE ? -1 : a.localeCompare(b, 'en'))));
}

function createZone(zone) {
  const id = `zone-${Math.random().toString(36).slice(2, 9)}`;
  const countEl = h('span', { class: 'zone__count' });
  const binsEl = h('div', { class: 'zone__bins' });
  const el = h('section', { class: 'zone', 'aria-labelledby': id, dataset: { zone: zone === NO_ZONE ? '' : zone } },
    h('h3', { class: 'zone__title', id }, h('span', { class: 'zone__name' }, zoneLabel(zone)), countEl),
    binsEl);
  return { el, binsEl, countEl };
}

function createBin(arn) {
  const el = h('button', { type: 'button', class: 'bin', 'data-testid': 'instance-bin', dataset: { arn } });
  const cpu = h('span', { class: 'tube tube--cpu' });
  const memory = h('span', { class: 'tube tube--memory' });
  const text = h('span', { class: 'bin__text' });
  const verdict = h('span', { class: 'bin__verdict', 'data-testid': 'bin-verdict' });
  el.append(h('span', { class: 'bin__tubes', 'aria-hidden': 'true' }, cpu, memory), text, verdict);
  return { el, cpu, memory, text, verdict, dataKey: null, markKey: null };
}

function updateBin(bin, instance, tasks, { mark, newTask, match, hidden, selected }) {
  const dataKey = `${tasks.map((t) => t.taskArn).join()}|${newTask ?? ''}`;
  if (bin.instance !== instance || bin.dataKey !== dataKey) {
    bin.instance = instance;
    bin.dataKey = dataKey;
    fillTube(bin.cpu, tasks, instance.cpu, 'cpu', newTask);
    fillTube(bin.memory, tasks, instance.memory, 'memory', newTask);
    fillText(bin.text, instance, tasks);
    bin.el.dataset.tasks = String(tasks.filter((t) => !t.stopping).length + (instance.untrackedTasks ?? 0));
    bin.el.dataset.status = instance.status;
    bin.el.classList.toggle('bin--draining', instance.status !== 'ACTIVE');
    bin.el.classList.toggle('bin--disconnected', !instance.agentConnected);
  }
  const markKey = mark ? `${mark.state}|${mark.text}|${mark.detail ?? ''}` : '';
  if (bin.markKey !== markKey) {
    bin.markKey = markKey;
    if (mark) {
      bin.el.dataset.placement = mark.state;
      replaceChildren(bin.verdict, icon(MARK_ICONS[mark.state] ?? 'info'), h('span', {}, mark.text));
      bin.verdict.hidden = false;
      bin.el.title = mark.detail ? `${mark.text}: ${mark.detail}` : mark.text;
    } else {
      delete bin.el.dataset.placement;
      bin.verdict.hidden = true;
      bin.el.removeAttribute('title');
    }
  }
  if (match === null) delete bin.el.dataset.matched;
  else bin.el.dataset.matched = String(match);
  bin.el.hidden = hidden;
  bin.el.setAttribute('aria-pressed', String(selected));
}

const MARK_ICONS = { chosen: 'pin', kept: 'check', dropped: 'minus', notDrawn: 'dice', failed: 'cross', skipped: 'minus', stopped: 'close' };

/** Segments of a tube, bottom up: one per task, its height its share of the registered amount. */
function fillTube(tube, tasks, amount, resource, newTask) {
  const registered = Math.max(1, amount.registered);
  const segments = tasks.map((task) => {
    const share = Math.max(0, task[resource]) / registered;
    const seg = h('span', {
      class: `seg${task.taskArn === newTask ? ' seg--new' : ''}${task.stopping ? ' seg--stopping' : ''}`,
      style: { '--share': `${(share * 100).toFixed(2)}%`, '--c': groupColor(task.group) },
    });
    return seg;
  });
  // Resources held by tasks the scenario has no details of (imports): one grey segment.
  const tracked = tasks.reduce((n, t) => n + Math.max(0, t[resource]), 0);
  const untracked = amount.registered - amount.remaining - tracked;
  if (untracked > 0) {
    segments.push(h('span', { class: 'seg seg--untracked', style: { '--share': `${((untracked / registered) * 100).toFixed(2)}%` } }));
  }
  tube.replaceChildren(...segments);
  const used = amount.registered - amount.remaining;
  tube.dataset.level = used >= amount.registered ? 'full' : used / registered >= 0.85 ? 'high' : 'ok';
}

function fillText(text, instance, tasks) {
  const extras = [];
  if (instance.hostPorts?.length) extras.push(h('span', { class: 'bin__extra' }, `ports ${instance.hostPorts.join(' ')}`));
  if (instance.gpus) extras.push(h('span', { class: 'bin__extra' }, icon('gpu'), `GPU ${instance.gpus.registered - instance.gpus.remaining}/${instance.gpus.registered}`));
  if (instance.enis?.inUse > 0) {
    const limit = instance.enis.limit === undefined ? '' : `/${instance.enis.limit}`;
    extras.push(h('span', { class: 'bin__extra' }, `ENI ${instance.enis.inUse}${limit}`));
  }
  const badges = [];
  if (instance.status !== 'ACTIVE') badges.push(h('span', { class: `badge badge--${instance.status.toLowerCase()}` }, instance.status));
  if (!instance.agentConnected) badges.push(h('span', { class: 'badge badge--disconnected' }, icon('plug'), 'agent disconnected'));
  const cpuUsed = instance.cpu.registered - instance.cpu.remaining;
  const memUsed = instance.memory.registered - instance.memory.remaining;
  const running = tasks.filter((t) => !t.stopping).length + (instance.untrackedTasks ?? 0);
  replaceChildren(text,
    h('span', { class: 'bin__head' },
      h('span', { class: 'bin__type' }, instance.instanceType ?? 'unknown type'),
      h('span', { class: 'bin__name' }, displayName(instance))),
    h('span', { class: 'bin__figures' },
      h('span', { class: 'bin__figure' }, h('abbr', { title: 'CPU units used of registered' }, 'CPU'), ` ${cpuUsed}/${instance.cpu.registered}`),
      h('span', { class: 'bin__figure' }, h('abbr', { title: 'Memory (MiB) used of registered' }, 'Mem'), ` ${memUsed}/${instance.memory.registered}`)),
    extras.length ? h('span', { class: 'bin__extras' }, extras) : null,
    badges.length ? h('span', { class: 'badges' }, badges) : null,
    h('span', { class: 'visually-hidden' }, running === 0 ? 'no tasks' : `${plural(running, 'task')}: ${[...new Set(tasks.map((t) => t.group))].join(', ')}`));
}

function installEvents(container, state) {
  container.addEventListener('click', (event) => {
    const bin = event.target.closest?.('.bin');
    if (bin && container.contains(bin)) state.onSelect?.(bin.dataset.arn);
  });
  container.addEventListener('keydown', (event) => {
    const bin = event.target.closest?.('.bin');
    if (!bin || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = neighbour(container, bin, event.key);
    if (target) {
      event.preventDefault();
      target.focus();
    }
  });
}

/** Arrow keys: up/down within a zone, left/right to the same row of the next zone. */
function neighbour(container, bin, key) {
  const zones = [...container.querySelectorAll('.zone__bins')].map((z) => [...z.children].filter((b) => !b.hidden));
  const zi = zones.findIndex((list) => list.includes(bin));
  if (zi < 0) return null;
  const row = zones[zi].indexOf(bin);
  const across = (list) => (list ? list[Math.min(row, list.length - 1)] : null);
  switch (key) {
    case 'ArrowDown': return zones[zi][row + 1] ?? null;
    case 'ArrowUp': return zones[zi][row - 1] ?? null;
    case 'ArrowRight': return across(zones.slice(zi + 1).find((l) => l.length > 0));
    case 'ArrowLeft': return across(zones.slice(0, zi).reverse().find((l) => l.length > 0));
    default: return null;
  }
}
