// Draws the cluster: one column per Availability Zone, one "bin" (a focusable button) per
// container instance with its resources and task blocks.
//
// `renderCluster` is cheap to call repeatedly: the DOM is keyed by instance ARN and task ARN, the
// structure is rebuilt only when the scenario object changes, and a call with the same scenario
// only updates the match, selection and placement state. Task blocks that appear get the
// `task--enter` class and ones that go away get `task--exit` before removal, so placements can be
// animated. During a placement run each bin also says how it fared for the current task (placed
// here, eligible but dropped by a strategy, or the AWS reason it was not eligible).
//
// Hooks for tests: every bin has `data-tasks` (tasks drawn on it) and `data-placement`
// (chosen/eligible/ineligible/skipped) during a run; every zone has `data-tasks`.

import { h, icon, replaceChildren } from './dom.js';
import { strategyName } from './run-model.js';
import {
  abbreviate, assignGroupColors, gpuUsage, groupColor, plural, shortId, typeOf, usage, zoneOf,
} from './format.js';

const NO_ZONE = '\u0000none';
const MAX_UNTRACKED_BLOCKS = 12;

/** Per-container state: what was drawn last. */
const views = new WeakMap();

/**
 * Renders `scenario` into `container`.
 * @param {HTMLElement} container
 * @param {object} scenario normalized scenario (from loadPreset/parseScenario/importAws)
 * @param {{matches?: Array|null, selected?: string|null, onSelect?: (arn: string) => void,
 *   placement?: {attempt: number, verdicts: Map<string, object>, newTasks: Set<string>}|null}} options
 *   `matches`: the `matches` of `filter()` (null/undefined = no active expression: neutral);
 *   `selected`: the selected instance ARN; `placement`: the current step of a placement run
 *   (`verdicts` from `instanceVerdicts`, `newTasks` the task ARNs it placed).
 */
export function renderCluster(container, scenario, { matches = null, selected = null, onSelect, placement = null } = {}) {
  let view = views.get(container);
  if (!view) {
    view = { scenario: null, bins: new Map(), zones: new Map(), onSelect: null };
    views.set(container, view);
    installEvents(container, view);
  }
  view.onSelect = onSelect ?? view.onSelect;
  if (view.scenario !== scenario) {
    buildStructure(container, view, scenario);
    view.scenario = scenario;
  }
  applyState(view, scenario, matches, selected);
  applyPlacement(view, placement);
}

/** The legend of task groups (swatch, name, number of tasks). */
export function renderLegend(list, scenario) {
  const counts = new Map();
  for (const task of visibleTasks(scenario.tasks ?? [])) {
    counts.set(task.group, (counts.get(task.group) ?? 0) + 1);
  }
  const untracked = (scenario.instances ?? []).reduce((n, i) => n + (i.untrackedRunningTasks ?? 0), 0);
  const groups = [...counts.keys()].sort();
  assignGroupColors(groups);
  const items = groups.map((group) =>
    h('li', { class: 'legend__item' },
      h('span', { class: 'swatch', style: { '--c': groupColor(group) }, 'aria-hidden': 'true' }),
      h('span', { class: 'legend__name' }, group || '(no group)'),
      h('span', { class: 'legend__count' }, `× ${counts.get(group)}`)));
  if (untracked > 0) {
    items.push(h('li', { class: 'legend__item' },
      h('span', { class: 'swatch swatch--untracked', 'aria-hidden': 'true' }),
      h('span', { class: 'legend__name' }, 'running, no task details'),
      h('span', { class: 'legend__count' }, `× ${untracked}`)));
  }
  if (items.length === 0) items.push(h('li', { class: 'legend__empty' }, 'No running tasks'));
  replaceChildren(list, items);
}

function visibleTasks(tasks) {
  // Tasks that count for placement (desired RUNNING) or still hold resources.
  return tasks.filter((t) => (t.desiredStatus ?? 'RUNNING') === 'RUNNING' || (t.lastStatus ?? 'RUNNING') !== 'STOPPED');
}

function buildStructure(container, view, scenario) {
  const instances = scenario.instances ?? [];
  const tasksByInstance = new Map();
  for (const task of visibleTasks(scenario.tasks ?? [])) {
    const list = tasksByInstance.get(task.containerInstanceArn) ?? [];
    list.push(task);
    tasksByInstance.set(task.containerInstanceArn, list);
  }
  assignGroupColors([...tasksByInstance.values()].flat().map((t) => t.group));

  const byZone = new Map();
  for (const instance of instances) {
    const zone = zoneOf(instance) ?? NO_ZONE;
    if (!byZone.has(zone)) byZone.set(zone, []);
    byZone.get(zone).push(instance);
  }
  const zoneNames = [...byZone.keys()].sort((a, b) =>
    a === NO_ZONE ? 1 : b === NO_ZONE ? -1 : a.localeCompare(b, 'en'));

  const keptBins = new Map();
  const sections = [];
  const keptZones = new Map();
  for (const zone of zoneNames) {
    const zoneView = view.zones.get(zone) ?? createZone(zone);
    keptZones.set(zone, zoneView);
    const bins = byZone.get(zone).map((instance) => {
      const arn = instance.containerInstanceArn;
      const bin = view.bins.get(arn) ?? createBin(arn);
      bin.zone = zone;
      fillBin(bin, instance, tasksByInstance.get(arn) ?? []);
      keptBins.set(arn, bin);
      return bin.el;
    });
    zoneView.binsEl.replaceChildren(...bins);
    zoneView.el.dataset.tasks = String(byZone.get(zone).reduce((n, i) =>
      n + (tasksByInstance.get(i.containerInstanceArn)?.length ?? 0) + (i.untrackedRunningTasks ?? 0), 0));
    sections.push(zoneView.el);
  }
  container.replaceChildren(...sections);
  if (instances.length === 0) {
    container.append(h('p', { class: 'empty-note' }, 'This cluster has no container instances.'));
  }
  view.bins = keptBins;
  view.zones = keptZones;
}

function createZone(zone) {
  const id = `zone-${Math.random().toString(36).slice(2, 9)}`;
  const countEl = h('span', { class: 'zone__count' });
  const el = h('section', { class: 'zone', 'aria-labelledby': id, dataset: { zone: zone === NO_ZONE ? '' : zone } },
    h('h3', { class: 'zone__title', id },
      h('span', { class: 'zone__name' }, zone === NO_ZONE ? 'No Availability Zone' : zone),
      countEl));
  const binsEl = h('div', { class: 'zone__bins' });
  el.append(binsEl);
  return { el, binsEl, countEl };
}

function createBin(arn) {
  const el = h('button', { type: 'button', class: 'bin', 'data-testid': 'instance-bin', dataset: { arn } });
  const verdict = h('span', { class: 'bin__verdict' });
  const placement = h('span', { class: 'bin__placement', hidden: true });
  const info = h('span', { class: 'bin__info' });
  // The blocks are drawings (aria-hidden); the text next to them says the same for screen readers
  // and reads "no tasks" visibly when there are none.
  const tasks = h('span', { class: 'tasks', 'aria-hidden': 'true' });
  const tasksText = h('span', { class: 'tasks__text' });
  el.append(info, h('span', { class: 'bin__tasks' }, tasks, tasksText));
  return { el, verdict, placement, info, tasks, tasksText, taskEls: new Map(), zone: null, placementKey: '' };
}

function fillBin(bin, instance, tasks) {
  const type = typeOf(instance) ?? 'unknown type';
  const id = shortId(instance.containerInstanceArn);
  const status = instance.status ?? 'ACTIVE';
  const badges = [
    h('span', { class: `badge badge--${status.toLowerCase()}` }, status),
  ];
  if (instance.agentConnected === false) {
    badges.push(h('span', { class: 'badge badge--disconnected' }, icon('plug'), 'agent disconnected'));
  }
  const cpu = usage(instance, 'cpu');
  const memory = usage(instance, 'memory');
  const gpus = gpuUsage(instance);

  replaceChildren(bin.info,
    h('span', { class: 'bin__head' },
      h('span', { class: 'bin__type' }, type),
      bin.verdict),
    bin.placement,
    h('span', { class: 'bin__ids' },
      h('span', { class: 'bin__ec2' }, instance.ec2InstanceId || '—'),
      h('span', { class: 'bin__ci-row' },
        h('span', { class: 'bin__ci', title: instance.containerInstanceArn }, abbreviate(id)),
        h('span', { class: 'badges' }, badges))),
    meter('CPU', cpu, 'CPU units'),
    meter('Memory', memory, 'MiB'),
    gpus.total > 0
      ? h('span', { class: 'bin__gpus' }, icon('gpu'), `GPU ${gpus.used} / ${gpus.total} in use`)
      : null);

  reconcileTasks(bin, tasks, instance.untrackedRunningTasks ?? 0);
}

function meter(label, { used, registered, fraction }, unit) {
  const level = fraction >= 0.999 ? 'full' : fraction >= 0.85 ? 'high' : 'ok';
  return h('span', { class: 'meter', dataset: { level } },
    h('span', { class: 'meter__label' }, label),
    h('span', { class: 'meter__value' }, `${used} / ${registered} ${unit}`),
    h('span', { class: 'meter__track' },
      h('span', { class: 'meter__fill', style: { '--fill': `${(fraction * 100).toFixed(1)}%` } })));
}

function reconcileTasks(bin, tasks, untracked) {
  const next = new Map();
  const ordered = [...tasks].sort((a, b) =>
    String(a.group).localeCompare(String(b.group)) || String(a.taskArn).localeCompare(String(b.taskArn)));
  for (const task of ordered) {
    let el = bin.taskEls.get(task.taskArn);
    if (!el || el.classList.contains('task--exit')) {
      el = h('span', { class: 'task task--enter', dataset: { taskArn: task.taskArn } });
      el.addEventListener('animationend', () => el.classList.remove('task--enter'), { once: true });
    }
    const units = Math.min(6, Math.max(1, Math.round((task.cpu ?? 0) / 256)));
    el.style.setProperty('--c', groupColor(task.group));
    el.style.setProperty('--units', String(units));
    el.classList.toggle('task--stopping', (task.desiredStatus ?? 'RUNNING') !== 'RUNNING');
    el.title = `${task.group || '(no group)'} · task ${abbreviate(shortId(task.taskArn))} · ${task.cpu ?? 0} CPU · ${task.memory ?? 0} MiB`;
    next.set(task.taskArn, el);
  }
  for (const [arn, el] of bin.taskEls) {
    if (!next.has(arn) && !el.classList.contains('task--exit')) {
      el.classList.add('task--exit');
      el.addEventListener('animationend', () => el.remove(), { once: true });
      // Without animations (reduced motion), remove at once.
      if (getComputedStyle(el).animationName === 'none') el.remove();
    }
  }
  const untrackedEls = [];
  for (let i = 0; i < Math.min(untracked, MAX_UNTRACKED_BLOCKS); i++) {
    untrackedEls.push(h('span', { class: 'task task--untracked', title: 'a running task the scenario has no details of' }));
  }
  if (untracked > MAX_UNTRACKED_BLOCKS) {
    untrackedEls.push(h('span', { class: 'tasks__more' }, `+${untracked - MAX_UNTRACKED_BLOCKS}`));
  }
  const exiting = [...bin.tasks.querySelectorAll('.task--exit')];
  bin.tasks.replaceChildren(...next.values(), ...exiting, ...untrackedEls);
  bin.taskEls = next;
  bin.el.dataset.tasks = String(ordered.filter((t) => (t.desiredStatus ?? 'RUNNING') === 'RUNNING').length + untracked);
  bin.tasksText.textContent = describeTasks(ordered, untracked);
  bin.tasksText.classList.toggle('visually-hidden', ordered.length + untracked > 0);
}

/** "2 tasks: caching, service:production" (for screen readers), or "no tasks". */
function describeTasks(tasks, untracked) {
  if (tasks.length + untracked === 0) return 'no tasks';
  const groups = [...new Set(tasks.map((t) => t.group || '(no group)'))];
  const parts = [groups.join(', '), untracked > 0 ? `${untracked} without details` : null].filter(Boolean);
  return `${plural(tasks.length + untracked, 'task')}: ${parts.join('; ')}`;
}

function applyState(view, scenario, matches, selected) {
  const byArn = matches ? new Map(matches.map((m) => [m.containerInstanceArn, m])) : null;
  const zoneCounts = new Map();
  for (const [arn, bin] of view.bins) {
    const match = byArn?.get(arn);
    const state = !byArn ? 'neutral' : match?.matched ? 'true' : 'false';
    if (state === 'neutral') delete bin.el.dataset.matched;
    else bin.el.dataset.matched = state;
    bin.el.setAttribute('aria-pressed', String(arn === selected));
    bin.el.classList.toggle('bin--selected', arn === selected);
    const verdictText = state === 'true' ? 'Match' : state === 'false' ? 'No match' : '';
    if (bin.verdict.dataset.state !== state) {
      bin.verdict.dataset.state = state;
      replaceChildren(bin.verdict, state === 'neutral' ? null : icon(state === 'true' ? 'check' : 'cross'), verdictText);
    }
    const counts = zoneCounts.get(bin.zone) ?? { total: 0, matched: 0 };
    counts.total += 1;
    if (state === 'true') counts.matched += 1;
    zoneCounts.set(bin.zone, counts);
  }
  for (const [zone, zoneView] of view.zones) {
    const counts = zoneCounts.get(zone) ?? { total: 0, matched: 0 };
    const text = byArn ? `${counts.matched} of ${counts.total} match` : plural(counts.total, 'instance');
    if (zoneView.countEl.textContent !== text) zoneView.countEl.textContent = text;
  }
}

/** Marks each bin with how it fared for the current task of a placement run (or clears the marks). */
function applyPlacement(view, placement) {
  for (const [arn, bin] of view.bins) {
    const verdict = placement?.verdicts?.get(arn) ?? null;
    const kind = placement ? verdict?.kind ?? 'none' : null;
    if (kind) bin.el.dataset.placement = kind;
    else delete bin.el.dataset.placement;
    for (const [taskArn, el] of bin.taskEls) el.classList.toggle('task--new', Boolean(placement?.newTasks?.has(taskArn)));
    const key = placement ? `${placement.attempt}|${placement.key ?? ''}|${kind}|${verdict?.reason ?? ''}|${verdict?.droppedBy ?? ''}|${verdict?.tied ?? ''}` : '';
    if (bin.placementKey === key) continue;
    bin.placementKey = key;
    const content = placementLabel(verdict, placement);
    bin.placement.hidden = !content;
    replaceChildren(bin.placement, content);
    if (content) bin.placement.dataset.kind = kind;
    else delete bin.placement.dataset.kind;
  }
}

function placementLabel(verdict, placement) {
  if (!placement || !verdict) return null;
  switch (verdict.kind) {
    case 'chosen':
      return [icon('pin'), `Task ${placement.attempt} placed here`];
    case 'eligible':
      return [icon('check'), verdict.droppedBy
        ? `Eligible · dropped by ${strategyName(verdict.droppedBy)}`
        : verdict.tied ? 'Eligible · tied, not drawn' : 'Eligible'];
    case 'ineligible':
      return [icon('cross'), h('span', { title: verdict.detail ? `${verdict.reason}: ${String(verdict.detail).replace(/`/g, '')}` : verdict.reason },
        String(verdict.reason ?? '').replace(/ placement constraint unsatisfied\.?$/, ''))];
    case 'skipped':
      return [icon('minus'), h('span', { title: verdict.reason }, `Not considered: ${String(verdict.reason ?? '').split(' (')[0]}`)];
    default:
      return null;
  }
}

function installEvents(container, view) {
  container.addEventListener('click', (event) => {
    const bin = event.target.closest?.('.bin');
    if (bin && container.contains(bin)) view.onSelect?.(bin.dataset.arn);
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
  const zones = [...container.querySelectorAll('.zone__bins')].map((z) => [...z.children]);
  const zi = zones.findIndex((list) => list.includes(bin));
  if (zi < 0) return null;
  const row = zones[zi].indexOf(bin);
  const all = zones.flat();
  switch (key) {
    case 'ArrowDown': return zones[zi][row + 1] ?? null;
    case 'ArrowUp': return zones[zi][row - 1] ?? null;
    case 'ArrowRight': {
      const next = zones.slice(zi + 1).find((list) => list.length > 0);
      return next ? next[Math.min(row, next.length - 1)] : null;
    }
    case 'ArrowLeft': {
      const prev = zones.slice(0, zi).reverse().find((list) => list.length > 0);
      return prev ? prev[Math.min(row, prev.length - 1)] : null;
    }
    case 'Home': return all[0] ?? null;
    case 'End': return all[all.length - 1] ?? null;
    default: return null;
  }
}
