// The "Cluster" menu: a dialog to switch to a built-in scenario, load or paste scenario JSON, or
// import the output of `aws ecs describe-container-instances` (and `describe-tasks`).
// A failure shows a readable message with its JSON path and never replaces the current cluster.

import { h, icon, replaceChildren, richText } from './dom.js';
import { describeError } from './errors.js';

const TABS = [
  { id: 'presets', label: 'Built-in clusters' },
  { id: 'json', label: 'Scenario JSON' },
  { id: 'aws', label: 'Import from AWS' },
];

/**
 * @param {{button: HTMLButtonElement, dialog: HTMLDialogElement}} elements
 * @param {{
 *   presets: () => Array<{name: string, description: string}>,
 *   current: () => {scenario: object, preset: string|null},
 *   loadPreset: (name: string) => Promise<object>,
 *   parseScenario: (text: string) => object,
 *   importAws: (instances: string, tasks: string|undefined) => Promise<{scenario: object, warnings: string[]}>,
 *   onLoaded: (scenario: object, info: {label: string, preset: string|null, warnings: string[]}) => void,
 * }} actions
 */
export function createClusterMenu({ button, dialog }, actions) {
  const tabButtons = new Map();
  const panels = new Map();
  let active = 'presets';

  const title = h('h2', { class: 'dialog__title', id: 'cluster-dialog-title' }, 'Cluster');
  const closeButton = h('button', { type: 'button', class: 'icon-button', 'aria-label': 'Close' }, icon('close'));
  closeButton.addEventListener('click', () => dialog.close());

  const tablist = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Where the cluster comes from' });
  for (const tab of TABS) {
    const b = h('button', {
      type: 'button', role: 'tab', class: 'tab', id: `tab-${tab.id}`,
      'aria-controls': `panel-${tab.id}`, 'aria-selected': 'false', tabindex: '-1',
    }, tab.label);
    b.addEventListener('click', () => select(tab.id));
    tabButtons.set(tab.id, b);
    tablist.append(b);
  }
  tablist.addEventListener('keydown', (event) => {
    const ids = TABS.map((t) => t.id);
    const i = ids.indexOf(active);
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: ids.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    select(ids[(next + ids.length) % ids.length], { focusTab: true });
  });

  const presetsPanel = buildPresetsPanel();
  const jsonPanel = buildJsonPanel();
  const awsPanel = buildAwsPanel();
  panels.set('presets', presetsPanel.el);
  panels.set('json', jsonPanel.el);
  panels.set('aws', awsPanel.el);

  replaceChildren(dialog,
    h('div', { class: 'dialog__frame' },
      h('div', { class: 'dialog__header' }, title, closeButton),
      tablist,
      ...panels.values()));

  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) dialog.close(); // a click on the backdrop
  });
  button.addEventListener('click', open);
  select('presets');

  function open() {
    presetsPanel.refresh();
    for (const panel of [jsonPanel, awsPanel]) panel.clearError();
    if (!dialog.open) dialog.showModal();
    tabButtons.get(active)?.focus();
  }

  function select(id, { focusTab = false } = {}) {
    active = id;
    for (const [tabId, b] of tabButtons) {
      const selected = tabId === id;
      b.setAttribute('aria-selected', String(selected));
      b.tabIndex = selected ? 0 : -1;
      panels.get(tabId).hidden = !selected;
    }
    if (focusTab) tabButtons.get(id).focus();
  }

  function finish(scenario, info) {
    dialog.close();
    actions.onLoaded(scenario, info);
  }

  function buildPresetsPanel() {
    const list = h('ul', { class: 'preset-list' });
    const error = errorBox();
    const el = panel('presets',
      h('p', { class: 'dialog__intro' }, 'Scenarios that ship with the playground.'),
      list, error.el);
    const refresh = () => {
      const { preset: current } = actions.current();
      let presets = [];
      try {
        presets = actions.presets();
      } catch (e) {
        error.show(e);
      }
      replaceChildren(list, presets.map((p) => {
        const b = h('button', { type: 'button', class: 'preset', 'aria-current': p.name === current ? 'true' : null },
          h('span', { class: 'preset__name' }, p.name, p.name === current ? h('span', { class: 'preset__current' }, 'current') : null),
          h('span', { class: 'preset__description' }, p.description));
        b.addEventListener('click', async () => {
          error.clear();
          try {
            b.disabled = true;
            finish(await actions.loadPreset(p.name), { label: p.name, preset: p.name, warnings: [] });
          } catch (e) {
            error.show(e);
          } finally {
            b.disabled = false;
          }
        });
        return h('li', {}, b);
      }));
    };
    return { el, refresh, clearError: error.clear };
  }

  function buildJsonPanel() {
    const error = errorBox();
    const textarea = h('textarea', {
      id: 'scenario-json', class: 'code-input', rows: '12', spellcheck: 'false',
      placeholder: '{\n  "version": 1,\n  "instances": [ … ],\n  "tasks": [ … ]\n}',
    });
    const file = h('input', { type: 'file', id: 'scenario-file', accept: '.json,application/json' });
    const load = h('button', { type: 'button', class: 'button button--primary' }, 'Load scenario');
    const edit = h('button', { type: 'button', class: 'button' }, 'Edit the current scenario');
    const download = h('button', { type: 'button', class: 'button' }, 'Download the current scenario');

    const submit = () => {
      error.clear();
      const text = textarea.value;
      if (!text.trim()) {
        error.show(new Error('Paste scenario JSON or choose a file first.'));
        return;
      }
      try {
        const scenario = actions.parseScenario(text);
        finish(scenario, { label: scenario?.cluster?.name ?? 'custom', preset: null, warnings: [] });
      } catch (e) {
        const details = describeError(e);
        const isAwsOutput = /describe-(container-instances|tasks)/.test(details.message);
        error.show(e, isAwsOutput
          ? { label: 'Import it from the AWS tab', run: () => moveToAws(text, /describe-tasks/.test(details.message)) }
          : null);
      }
    };
    load.addEventListener('click', submit);
    file.addEventListener('change', async () => {
      const chosen = file.files?.[0];
      if (!chosen) return;
      try {
        textarea.value = await chosen.text();
        submit();
      } catch (e) {
        error.show(e);
      } finally {
        file.value = '';
      }
    });
    edit.addEventListener('click', () => {
      textarea.value = JSON.stringify(actions.current().scenario, null, 2);
      textarea.focus();
    });
    download.addEventListener('click', () => {
      const { scenario } = actions.current();
      const blob = new Blob([`${JSON.stringify(scenario, null, 2)}\n`], { type: 'application/json' });
      const url = URL.createObjectURL(blob);
      const a = h('a', { href: url, download: `${scenario?.cluster?.name ?? 'scenario'}.scenario.json` });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    });

    const el = panel('json',
      h('p', { class: 'dialog__intro' },
        'A scenario file (format version 1) lists the container instances and tasks of a cluster. Short IDs are expanded to ARNs and remaining resources are computed from the tasks.'),
      field('scenario-file', 'Scenario file', file),
      field('scenario-json', 'or paste scenario JSON', textarea),
      error.el,
      h('div', { class: 'dialog__actions' }, load, edit, download));
    return { el, clearError: error.clear };
  }

  function buildAwsPanel() {
    const error = errorBox();
    const instances = h('textarea', {
      id: 'aws-instances', class: 'code-input', rows: '8', spellcheck: 'false',
      placeholder: '{ "containerInstances": [ … ], "failures": [] }',
    });
    const tasks = h('textarea', {
      id: 'aws-tasks', class: 'code-input', rows: '5', spellcheck: 'false',
      placeholder: '{ "tasks": [ … ], "failures": [] }',
    });
    const instancesFile = h('input', { type: 'file', id: 'aws-instances-file', accept: '.json,application/json', 'aria-label': 'describe-container-instances output file' });
    const tasksFile = h('input', { type: 'file', id: 'aws-tasks-file', accept: '.json,application/json', 'aria-label': 'describe-tasks output file' });
    for (const [input, target] of [[instancesFile, instances], [tasksFile, tasks]]) {
      input.addEventListener('change', async () => {
        const chosen = input.files?.[0];
        if (!chosen) return;
        try {
          target.value = await chosen.text();
        } catch (e) {
          error.show(e);
        } finally {
          input.value = '';
        }
      });
    }
    const submit = h('button', { type: 'button', class: 'button button--primary' }, 'Import');
    submit.addEventListener('click', async () => {
      error.clear();
      if (!instances.value.trim()) {
        error.show(new Error('Paste the output of `aws ecs describe-container-instances` first.'));
        return;
      }
      try {
        submit.disabled = true;
        const outcome = await actions.importAws(instances.value, tasks.value.trim() ? tasks.value : undefined);
        const scenario = outcome.scenario;
        finish(scenario, { label: scenario?.cluster?.name ?? 'imported', preset: null, warnings: outcome.warnings ?? [] });
      } catch (e) {
        error.show(e);
      } finally {
        submit.disabled = false;
      }
    });
    const el = panel('aws',
      h('p', { class: 'dialog__intro' }, 'Paste the JSON the AWS CLI prints (nothing leaves your browser):'),
      h('pre', { class: 'command' },
        'aws ecs describe-container-instances --cluster CLUSTER \\\n  --container-instances $(aws ecs list-container-instances --cluster CLUSTER \\\n    --query containerInstanceArns --output text)\n\n',
        'aws ecs describe-tasks --cluster CLUSTER \\\n  --tasks $(aws ecs list-tasks --cluster CLUSTER --query taskArns --output text)'),
      field('aws-instances', 'describe-container-instances output', instances, instancesFile),
      field('aws-tasks', 'describe-tasks output (optional: without it, running tasks are counted but not shown)', tasks, tasksFile),
      error.el,
      h('div', { class: 'dialog__actions' }, submit));
    const moveIn = (text, isTasks) => {
      (isTasks ? tasks : instances).value = text;
    };
    return { el, clearError: error.clear, moveIn };
  }

  function moveToAws(text, isTasks) {
    awsPanel.moveIn(text, isTasks);
    select('aws', { focusTab: true });
  }

  return { open, close: () => dialog.close() };
}

function panel(id, ...children) {
  return h('div', {
    class: 'tabpanel', role: 'tabpanel', id: `panel-${id}`, 'aria-labelledby': `tab-${id}`, tabindex: '0',
  }, ...children);
}

function field(id, label, input, extra = null) {
  return h('div', { class: 'field' },
    h('div', { class: 'field__row' }, h('label', { for: id, class: 'field__label' }, label), extra),
    input);
}

/** A message area for failures: the message, the JSON path, and optionally an action. */
function errorBox() {
  const el = h('div', { class: 'error-box', role: 'alert', hidden: true, 'data-testid': 'cluster-error' });
  return {
    el,
    show(e, action = null) {
      const { message, path } = describeError(e);
      const actionButton = action ? h('button', { type: 'button', class: 'button button--small' }, action.label) : null;
      actionButton?.addEventListener('click', action.run);
      replaceChildren(el,
        icon('error'),
        h('div', { class: 'error-box__body' },
          h('p', { class: 'error-box__message' }, richText(message)),
          path ? h('p', { class: 'error-box__path' }, 'at JSON path ', h('code', {}, path)) : null,
          h('p', { class: 'error-box__note' }, 'The current cluster is unchanged.'),
          actionButton));
      el.hidden = false;
    },
    clear() {
      el.hidden = true;
      el.replaceChildren();
    },
  };
}
