// The legend of task groups under the bins: a swatch per group in its colour, and how many tasks.

import { h, replaceChildren } from './dom.js';
import { assignGroupColors, groupColor } from './format.js';

/**
 * @param {HTMLElement} list
 * @param {{tasks: Array<{group: string, stopping?: boolean}>, instances: Array<{untrackedTasks?: number}>}} view
 */
export function renderLegend(list, view) {
  const counts = new Map();
  const fargate = (view.fargate ?? []).flatMap((lane) => lane.tasks);
  for (const task of [...view.tasks, ...fargate]) if (!task.stopping) counts.set(task.group, (counts.get(task.group) ?? 0) + 1);
  const groups = [...counts.keys()].sort();
  assignGroupColors(groups);
  const untracked = view.instances.reduce((n, i) => n + (i.untrackedTasks ?? 0), 0);
  const key = JSON.stringify([...counts, untracked]);
  if (list.dataset.key === key) return;
  list.dataset.key = key;
  const items = groups.map((group) => h('li', { class: 'legend__item' },
    h('span', { class: 'swatch', style: { '--c': groupColor(group) }, 'aria-hidden': 'true' }),
    h('span', { class: 'legend__name' }, group || '(no group)'),
    h('span', { class: 'legend__count' }, `× ${counts.get(group)}`)));
  if (untracked > 0) {
    items.push(h('li', { class: 'legend__item' }, h('span', { class: 'swatch swatch--untracked', 'aria-hidden': 'true' }),
      h('span', { class: 'legend__name' }, 'running, no task details'), h('span', { class: 'legend__count' }, `× ${untracked}`)));
  }
  if (items.length === 0) items.push(h('li', { class: 'legend__empty' }, 'No running tasks'));
  replaceChildren(list, items);
}
