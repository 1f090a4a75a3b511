// The Services tab: the cluster's services (each drawn by service-item.js) and a form to create
// one. Every change is an `aws ecs` command run like the console's (create-service here;
// update-service and delete-service on each service), so the scheduler's placements and stops play
// in the stage and share links replay them.

import { taskFamilies } from './builder-panel.js';
import { field, h, replaceChildren } from './dom.js';
import { quoteWord } from './report-text.js';
import { serviceItem } from './service-item.js';
import { SERVICE_DEFAULT_TEXT, renderChain, spreadFields } from './strategy-chain.js';

/**
 * @param {HTMLElement} root
 * @param {{store: object, run: (commands: string) => Promise}} deps  `run` runs the commands on the cluster
 */
export function createServicesPanel(root, { store, run }) {
  const list = h('ul', { class: 'services', 'data-testid': 'services' });
  const name = h('input', { spellcheck: 'false', value: 'web', 'data-testid': 'service-name' });
  const definition = h('select', { 'data-testid': 'service-definition' });
  const scheduling = h('select', { 'data-testid': 'service-scheduling' }, ['REPLICA', 'DAEMON'].map((s) => h('option', { value: s }, s)));
  const desired = h('input', { type: 'number', min: '0', value: '3', 'data-testid': 'service-desired' });
  const distinct = h('input', { type: 'checkbox', 'data-testid': 'service-distinct' });
  const chain = h('div', { class: 'chain-builder' });
  let strategies = [];
  const command = h('pre', { class: 'command builder__script', 'data-testid': 'service-command' });
  const create = h('button', { type: 'submit', class: 'button button--primary', 'data-testid': 'service-create' }, 'Create the service');
  const form = h('form', { class: 'builder__group', 'data-testid': 'service-form' },
    h('h3', { class: 'panel__subtitle' }, 'Create a service'),
    h('div', { class: 'builder__row' }, field('Name', name), field('Task definition', definition)),
    h('div', { class: 'builder__row' }, field('Scheduling', scheduling), field('Desired count', desired)),
    h('label', { class: 'toggle' }, distinct, ' distinctInstance: at most one task per instance'),
    h('p', { class: 'field__label' }, 'Placement strategies'), chain,
    command, create);
  form.addEventListener('input', drawCommand);
  form.addEventListener('change', drawCommand);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    run(createCommand());
  });
  replaceChildren(root, h('h3', { class: 'panel__subtitle' }, 'Services'), list, form);

  function createCommand() {
    const words = ['aws', 'ecs', 'create-service', '--service-name', name.value.trim(), '--task-definition', definition.value];
    if (scheduling.value === 'DAEMON') words.push('--scheduling-strategy', 'DAEMON');
    else words.push('--desired-count', String(Math.max(0, Number(desired.value) || 0)));
    if (distinct.checked) words.push('--placement-constraints', JSON.stringify([{ type: 'distinctInstance' }]));
    if (strategies.length && scheduling.value !== 'DAEMON') words.push('--placement-strategy', JSON.stringify(strategies));
    return words.map(quoteWord).join(' ');
  }

  function drawCommand() {
    desired.disabled = scheduling.value === 'DAEMON';
    command.textContent = createCommand();
  }

  function drawChain(scenario) {
    renderChain(chain, {
      strategies, fields: spreadFields(scenario), listId: 'service-spread-fields',
      emptyText: SERVICE_DEFAULT_TEXT,
      onChange: (update) => {
        strategies = update(strategies);
        drawChain(store.get().scenario);
        drawCommand();
      },
    });
  }

  let drawn = null;
  let families = null;
  return function render(state) {
    const names = taskFamilies(state.scenario);
    if (families !== names.join()) {
      families = names.join();
      replaceChildren(definition, names.map((n) => h('option', { value: n }, n)));
      drawChain(state.scenario);
      drawCommand();
    }
    const services = state.view.services ?? [];
    const busy = state.run?.status === 'running';
    create.disabled = busy || names.length === 0;
    const instances = state.view.instances.length;
    const key = JSON.stringify([services, busy, instances]);
    if (drawn === key) return;
    drawn = key;
    replaceChildren(list, services.length
      ? services.map((service) => serviceItem(service, { run, busy, instances, fields: spreadFields(state.scenario) }))
      : [h('li', { class: 'muted' }, 'No services yet: create one below, or run a use case that creates one (Ming-ya, EBS walkthrough).')]);
  };
}
