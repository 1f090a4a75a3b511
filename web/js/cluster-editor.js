// The "Edit cluster" tab: add instances of a type from the catalog into an Availability Zone, find
// an instance by container instance ID, ARN or EC2 instance ID (to inspect, drain or change it),
// and the undo/reset of every change. Import and export stay in the Cluster menu.

import { describeEntry } from './cluster-actions.js';
import { field, h, replaceChildren } from './dom.js';
import { findInstance } from './link-actions.js';

/**
 * @param {HTMLElement} root
 * @param {{$: (id: string) => HTMLElement, store: object, cluster: object, query: object, status: object}} deps
 */
export function createClusterEditor(root, { $, store, cluster, query, status }) {
  const type = h('select', { 'data-testid': 'add-type' });
  const zone = h('input', { list: 'zone-list', spellcheck: 'false', 'data-testid': 'add-zone' });
  const zones = h('datalist', { id: 'zone-list' });
  const count = h('input', { type: 'number', min: '1', max: '100', value: '1', 'data-testid': 'add-count' });
  const add = h('form', { class: 'builder__group', 'data-testid': 'add-form' },
    h('h3', { class: 'panel__subtitle' }, 'Add instances'),
    h('div', { class: 'builder__row' },
      field('Instance type', type),
      field('Availability Zone', zone, zones),
      field('How many', count)),
    h('button', { type: 'submit', class: 'button button--primary', 'data-testid': 'add-submit' }, 'Add'));
  add.addEventListener('submit', (event) => {
    event.preventDefault();
    cluster.edit({ type: 'addInstances', instanceType: type.value, availabilityZone: zone.value.trim(), count: Number(count.value) });
  });

  const reference = h('input', { spellcheck: 'false', placeholder: 'e.g. i-0a1b2c3d4e5f60001', 'data-testid': 'find-instance', 'aria-describedby': 'find-hint' });
  const find = h('form', { class: 'builder__group' },
    h('h3', { class: 'panel__subtitle' }, h('label', { for: 'find-instance-input' }, 'Change an instance')),
    h('p', { class: 'hint', id: 'find-hint' }, 'Select a bin, or name the instance by its container instance ID, ARN or EC2 instance ID: its details show the changes you can make (drain, activate, attributes, stop tasks, clone, remove).'),
    h('div', { class: 'toolbar' }, reference, h('button', { type: 'submit', class: 'button', 'data-testid': 'find-submit' }, 'Select')));
  reference.id = 'find-instance-input';
  find.addEventListener('submit', (event) => {
    event.preventDefault();
    const arn = findInstance(store.get().scenario, reference.value.trim());
    if (!arn) {
      status.show('edit', 'error', `The cluster has no container instance \`${reference.value.trim()}\` (by container instance ID, ARN or EC2 instance ID).`);
      return;
    }
    status.clear('edit');
    if (store.get().selected !== arn) query.select(arn);
    $('inspector')?.focus();
  });

  const undo = h('button', { type: 'button', class: 'button', 'data-testid': 'editor-undo' }, 'Undo the last change');
  undo.addEventListener('click', () => cluster.undo());
  const reset = h('button', { type: 'button', class: 'button', 'data-testid': 'editor-reset' }, 'Reset the cluster');
  reset.addEventListener('click', () => cluster.reset());
  const history = h('ol', { class: 'journal', 'data-testid': 'journal' });

  replaceChildren(root, add, find,
    h('div', { class: 'builder__group' }, h('h3', { class: 'panel__subtitle' }, 'Changes since the cluster was loaded'), history, h('div', { class: 'toolbar' }, undo, reset)));

  let typesKey = null;
  let zonesKey = null;
  let journalKey = null;
  return function render(state) {
    const names = state.instanceTypes.map((t) => t.name);
    if (typesKey !== names.join()) {
      typesKey = names.join();
      replaceChildren(type, state.instanceTypes.map((t) => h('option', { value: t.name }, `${t.name} · ${t.vcpus} vCPU · ${(t.memoryMib / 1024).toFixed(1)} GiB`)));
      type.value = names.includes('t3.medium') ? 't3.medium' : names[0] ?? '';
    }
    const known = [...new Set(state.view.instances.map((i) => i.availabilityZone).filter(Boolean))].sort();
    if (zonesKey !== known.join()) {
      zonesKey = known.join();
      replaceChildren(zones, known.map((z) => h('option', { value: z })));
      if (!zone.value) zone.value = known[0] ?? 'us-east-1a';
    }
    if (journalKey !== state.journal) {
      journalKey = state.journal;
      replaceChildren(history, state.journal.length
        ? state.journal.map((entry) => h('li', {}, describeEntry(entry)))
        : [h('li', { class: 'muted' }, 'None yet.')]);
    }
    undo.disabled = state.history.length === 0 || !state.history[state.history.length - 1];
    reset.disabled = state.journal.length === 0;
  };
}
