// The selected instance: how it fared for the task on show, how the expression evaluates on it
// (the truth table), its figures, attributes and tasks, and the edits that apply to it (drain or
// activate, connect the agent, clone, remove, set or delete an attribute, stop a task).

import { h, icon, replaceChildren } from './dom.js';
import { abbreviate, displayName, groupColor, shortId } from './format.js';
import { truthTable } from './truth-table.js';

/**
 * @param {HTMLElement} panel
 * @param {{cluster: object, query: object}} actions
 */
export function createInspector(panel, { cluster, query }) {
  let key = null;
  return function render(state, { instance, usage, fate }) {
    const next = JSON.stringify([state.selected, usage, state.truth?.key, Boolean(state.truth?.match), fate?.text, state.scenario?.tasks.length, instance?.attributes, instance?.status, instance?.agentConnected]);
    if (next === key) return;
    key = next;
    panel.hidden = !instance;
    if (!instance) {
      replaceChildren(panel);
      return;
    }
    const close = h('button', { type: 'button', class: 'icon-button', 'aria-label': 'Close the instance details' }, icon('close'));
    close.addEventListener('click', () => query.select(state.selected));
    replaceChildren(panel,
      h('div', { class: 'inspector__head' },
        h('h2', { class: 'inspector__title', id: 'inspector-title' }, displayName(instance),
          h('span', { class: 'muted' }, ` ${usage?.instanceType ?? ''} · ${usage?.availabilityZone ?? 'no zone'}`)),
        close),
      fate ? h('p', { class: `inspector__fate fate--${fate.state}`, 'data-testid': 'inspector-fate' }, h('strong', {}, fate.text), fate.detail ? [': ', fate.detail] : null) : null,
      editActions(instance, cluster),
      truthSection(state),
      factsSection(instance, usage),
      attributesSection(instance, cluster),
      tasksSection(state.scenario, instance, cluster));
  };
}

function editActions(instance, cluster) {
  const arn = instance.containerInstanceArn;
  const action = (label, edit, testid) => {
    const b = h('button', { type: 'button', class: 'button button--small', 'data-testid': testid }, label);
    b.addEventListener('click', () => cluster.edit(edit));
    return b;
  };
  const draining = instance.status === 'DRAINING';
  return h('div', { class: 'toolbar inspector__actions', role: 'group', 'aria-label': 'Change this instance' },
    instance.status === 'ACTIVE' || draining
      ? action(draining ? 'Activate' : 'Drain', { type: 'setStatus', instance: arn, status: draining ? 'ACTIVE' : 'DRAINING' }, 'edit-drain')
      : null,
    action(instance.agentConnected === false ? 'Connect the agent' : 'Disconnect the agent', { type: 'setAgentConnected', instance: arn, connected: instance.agentConnected === false }, 'edit-agent'),
    action('Clone', { type: 'cloneInstance', instance: arn }, 'edit-clone'),
    action('Remove', { type: 'removeInstance', instance: arn }, 'edit-remove'));
}

function truthSection(state) {
  const section = h('section', { class: 'inspector__section', 'aria-labelledby': 'truth-heading' },
    h('h3', { class: 'inspector__subtitle', id: 'truth-heading' }, 'The query on this instance'));
  const truth = state.truth?.key === `${state.selected}|${state.expr}` ? state.truth : null;
  if (!state.expr.trim()) {
    section.append(h('p', { class: 'muted' }, 'Type an expression in the Query tab to see how it evaluates here.'));
  } else if (truth?.failed) {
    section.append(h('p', { class: 'muted' }, `The expression could not be evaluated: ${truth.failed}`));
  } else if (!truth?.match) {
    section.append(h('p', { class: 'muted' }, truth ? 'The expression has errors: fix them to see how it evaluates here.' : 'Evaluating…'));
  } else {
    section.append(h('p', { class: `verdict verdict--${truth.match.matched}` }, icon(truth.match.matched ? 'check' : 'cross'),
      truth.match.matched ? 'Matches the expression' : 'Does not match the expression'));
    section.append(truthTable(truth.match.clauses, state.expr));
  }
  return section;
}

function factsSection(instance, usage) {
  const used = (a) => `${a.registered - a.remaining} / ${a.registered}`;
  const facts = [
    ['Container instance', h('code', { class: 'wrap' }, instance.containerInstanceArn)],
    ['EC2 instance', instance.ec2InstanceId || '—'],
    ['Status', `${instance.status}${instance.agentConnected === false ? ' · agent disconnected' : ''}`],
    ['Agent version', instance.agentVersion || '—'],
    ['Registered at', instance.registeredAt || '—'],
    usage ? ['CPU', `${used(usage.cpu)} CPU units used`] : null,
    usage ? ['Memory', `${used(usage.memory)} MiB used`] : null,
    usage?.gpus ? ['GPUs', `${used(usage.gpus)} in use`] : null,
    usage?.enis ? ['Task ENIs', `${usage.enis.inUse}${usage.enis.limit === undefined ? '' : ` of ${usage.enis.limit}`} in use`] : null,
    usage ? ['Host ports held', (usage.hostPorts ?? []).join(', ') || '—'] : null,
    usage ? ['Running tasks', String(usage.runningTasks)] : null,
  ].filter(Boolean);
  return h('section', { class: 'inspector__section', 'aria-labelledby': 'facts-heading' },
    h('h3', { class: 'inspector__subtitle', id: 'facts-heading' }, 'Instance'),
    h('dl', { class: 'facts' }, facts.map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])));
}

function attributesSection(instance, cluster) {
  const arn = instance.containerInstanceArn;
  const entries = Object.entries(instance.attributes ?? {}).sort(([a], [b]) => a.localeCompare(b, 'en'));
  const rows = entries.map(([name, value]) => {
    const remove = h('button', { type: 'button', class: 'icon-button', 'aria-label': `Delete the attribute ${name}`, title: 'Delete' }, icon('close'));
    remove.addEventListener('click', () => cluster.edit({ type: 'deleteAttribute', instance: arn, name }));
    return h('tr', {}, h('td', {}, h('code', {}, breakable(name))),
      h('td', {}, value === null || value === undefined ? h('span', { class: 'muted' }, 'no value') : h('code', {}, value)),
      h('td', {}, remove));
  });
  const name = h('input', { spellcheck: 'false', placeholder: 'name', 'aria-label': 'Attribute name', 'data-testid': 'attribute-name' });
  const value = h('input', { spellcheck: 'false', placeholder: 'value (optional)', 'aria-label': 'Attribute value', 'data-testid': 'attribute-value' });
  const form = h('form', { class: 'inspector__form' }, name, value, h('button', { type: 'submit', class: 'button button--small', 'data-testid': 'attribute-put' }, 'Set'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!name.value.trim()) return;
    cluster.edit({ type: 'putAttribute', instance: arn, name: name.value.trim(), value: value.value === '' ? null : value.value });
  });
  return h('section', { class: 'inspector__section', 'aria-labelledby': 'attributes-heading' },
    h('h3', { class: 'inspector__subtitle', id: 'attributes-heading' }, `Attributes (${entries.length})`),
    h('div', { class: 'table-scroll' }, h('table', { class: 'attributes' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Value'), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Delete')))),
      h('tbody', {}, rows))),
    form);
}

function tasksSection(scenario, instance, cluster) {
  const tasks = (scenario.tasks ?? []).filter((t) => t.containerInstanceArn === instance.containerInstanceArn && t.lastStatus !== 'STOPPED');
  const section = h('section', { class: 'inspector__section', 'aria-labelledby': 'tasks-heading' },
    h('h3', { class: 'inspector__subtitle', id: 'tasks-heading' }, `Tasks (${tasks.length})`));
  if (tasks.length === 0) {
    section.append(h('p', { class: 'muted' }, 'No tasks.'));
    return section;
  }
  section.append(h('ul', { class: 'task-list' }, tasks.map((t) => {
    const stop = h('button', { type: 'button', class: 'button button--small', 'data-testid': 'edit-stop-task' }, 'Stop');
    stop.addEventListener('click', () => cluster.edit({ type: 'stopTask', task: t.taskArn }));
    return h('li', { class: 'task-list__item' },
      h('span', { class: 'swatch', style: { '--c': groupColor(t.group) }, 'aria-hidden': 'true' }),
      h('span', { class: 'task-list__group' }, t.group || '(no group)'),
      h('span', { class: 'task-list__meta' }, `${t.cpu ?? 0} CPU · ${t.memory ?? 0} MiB${t.ports?.length ? ` · ports ${t.ports.join(', ')}` : ''}${t.desiredStatus === 'STOPPED' ? ' · stopping' : ''}`),
      h('code', { class: 'task-list__id', title: t.taskArn }, abbreviate(shortId(t.taskArn))),
      t.desiredStatus === 'STOPPED' ? null : stop);
  })));
  return section;
}

function breakable(name) {
  return String(name).split(/(?<=\.)/).flatMap((part, i) => (i === 0 ? [part] : [h('wbr'), part]));
}

