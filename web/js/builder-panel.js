// The "Build a run" tab: a task definition (a registered one, or a new one with CPU, memory, host
// ports and network mode), the count and group, placement constraints (a memberOf expression in a
// CQL editor with highlighting and squiggles, distinctInstance) and a strategy chain; it shows
// the equivalent `aws ecs` commands, composed by the core, and runs them like the console does.
// The console's command can be loaded back into the builder.

import { parseSeed } from './cluster-actions.js';
import { renderDiagnostics } from './diagnostics.js';
import { field, focused, h, icon, replaceChildren, richText } from './dom.js';
import { createEditor } from './editor.js';
import { renderChain, spreadFields } from './strategy-chain.js';

/** The builder's first spec on a cluster: its first task definition as the engine reserves it. */
export function firstSpec(engine, scenario) {
  const spec = defaultSpec(scenario);
  if (spec.taskDefinition.register) return spec;
  try {
    return { ...spec, taskDefinition: registeredDefinition(engine, scenario, spec.taskDefinition.family) };
  } catch {
    return defaultSpec({});
  }
}

/** A task definition family of the cluster as the builder's spec has it (the core reads it; throws). */
function registeredDefinition(engine, scenario, family) {
  return engine.parseRun(scenario, `aws ecs run-task --task-definition ${family}`, {}).taskDefinition;
}

/** The distinct task definition families registered on a cluster. */
export function taskFamilies(scenario) {
  return [...new Set((scenario?.taskDefinitions ?? []).map((d) => d.family))];
}

/** The spec the builder opens with. */
function defaultSpec(scenario) {
  const family = scenario?.taskDefinitions?.[0]?.family;
  return {
    taskDefinition: family
      ? { family, register: false, networkMode: 'bridge', cpu: 0, memory: 0, ports: [] }
      : { family: 'web', register: true, networkMode: 'bridge', cpu: 256, memory: 512, ports: [] },
    count: 3,
    constraints: [],
    strategies: [{ type: 'spread', field: 'attribute:ecs.availability-zone' }, { type: 'binpack', field: 'memory' }],
  };
}

/**
 * @param {HTMLElement} root
 * @param {{$: (id: string) => HTMLElement, store: object, engine: object, runs: object, cluster: object, status: object}} deps
 */
export function createBuilderPanel(root, { $, store, engine, runs, cluster, status }) {
  const registered = h('select', { 'data-testid': 'builder-family' });
  const mode = { existing: h('input', { type: 'radio', name: 'td-mode', value: 'existing' }), new: h('input', { type: 'radio', name: 'td-mode', value: 'new' }) };
  const family = h('input', { value: '', spellcheck: 'false', 'data-testid': 'builder-new-family' });
  const network = h('select', {}, ['bridge', 'host', 'awsvpc'].map((m) => h('option', { value: m }, m)));
  const cpu = h('input', { type: 'number', min: '0', step: '128', 'data-testid': 'builder-cpu' });
  const memory = h('input', { type: 'number', min: '0', step: '128', 'data-testid': 'builder-memory' });
  const ports = h('input', { placeholder: 'e.g. 80, 443', spellcheck: 'false', 'data-testid': 'builder-ports' });
  const reserves = h('p', { class: 'hint', 'data-testid': 'builder-reserves' });
  const count = h('input', { type: 'number', min: '1', step: '1', 'data-testid': 'builder-count' });
  const group = h('input', { spellcheck: 'false', placeholder: 'family:<family> (default)', 'data-testid': 'builder-group' });
  const distinct = h('input', { type: 'checkbox', 'data-testid': 'builder-distinct' });
  const seed = h('input', { type: 'number', min: '0', step: '1', 'data-testid': 'builder-seed' });
  const mirror = h('pre', { class: 'editor__mirror', 'aria-hidden': 'true' });
  const expression = h('textarea', { class: 'editor__input', rows: '1', spellcheck: 'false', id: 'builder-expression', placeholder: 'e.g. attribute:ecs.instance-type =~ t2.*', 'data-testid': 'builder-expression' });
  const diagnostics = h('ul', { class: 'diagnostics', 'aria-live': 'polite', 'aria-label': 'Problems in the constraint' });
  const chain = h('div', { class: 'chain-builder', 'data-testid': 'chain-builder' });
  const script = h('pre', { class: 'command builder__script', 'data-testid': 'builder-script', tabindex: '0' });
  const problem = h('p', { class: 'builder__problem', role: 'alert', 'data-testid': 'builder-error', hidden: true });
  const run = h('button', { type: 'button', class: 'button button--primary', 'data-testid': 'builder-run' }, icon('play'), 'Run');
  const copy = h('button', { type: 'button', class: 'button button--small', 'data-testid': 'builder-copy' }, icon('copy'), 'Copy');
  const load = h('button', { type: 'button', class: 'button button--small', 'data-testid': 'builder-load' }, 'Load the console\u2019s command');
  const send = h('button', { type: 'button', class: 'button button--small', 'data-testid': 'builder-send' }, 'Put it in the console');

  const editor = createEditor({ textarea: expression, mirror, tooltip: $('squiggle-tooltip') }, {
    onInput: (text) => setSpec((spec) => withMemberOf(spec, text)),
    onCommit: () => {},
  });

  replaceChildren(root,
    h('fieldset', { class: 'builder__group' }, h('legend', {}, 'Task definition'),
      h('label', { class: 'toggle' }, mode.existing, ' Registered: ', registered),
      h('label', { class: 'toggle' }, mode.new, ' A new one'),
      h('div', { class: 'builder__row' }, field('Family', family), field('Network mode', network)),
      h('div', { class: 'builder__row' }, field('CPU units', cpu), field('Memory (MiB)', memory), field('Host ports', ports)),
      reserves),
    h('div', { class: 'builder__row' }, field('Count', count), field('Group', group),
      field('Seed', seed, h('span', { class: 'hint' }, 'of the random draws (the cluster\u2019s)'))),
    h('fieldset', { class: 'builder__group' }, h('legend', {}, 'Placement constraints'),
      h('label', { class: 'field', for: 'builder-expression' }, h('span', { class: 'field__label' }, 'memberOf expression (optional)')),
      h('div', { class: 'editor' }, mirror, expression), diagnostics,
      h('label', { class: 'toggle' }, distinct, ' distinctInstance: at most one task of the group per instance')),
    h('fieldset', { class: 'builder__group' }, h('legend', {}, 'Placement strategies, in order'), chain),
    h('div', { class: 'toolbar' }, run, copy, load, send),
    problem,
    h('h3', { class: 'panel__subtitle' }, 'The equivalent AWS CLI commands'),
    script);

  function setSpec(change) {
    const { builder } = store.get();
    const spec = change(builder.spec);
    store.update({ builder: { ...builder, spec } });
  }
  const readTd = (patch) => setSpec((spec) => ({ ...spec, taskDefinition: { ...spec.taskDefinition, ...patch } }));
  mode.existing.addEventListener('change', () => chooseFamily(registered.value));
  mode.new.addEventListener('change', () => readTd({ register: true, revision: null, family: family.value || 'web', cpu: Number(cpu.value) || 256, memory: Number(memory.value) || 512 }));
  registered.addEventListener('change', () => chooseFamily(registered.value));
  family.addEventListener('input', () => readTd({ family: family.value.trim() }));
  network.addEventListener('change', () => readTd({ networkMode: network.value }));
  cpu.addEventListener('input', () => readTd({ register: true, cpu: Number(cpu.value) }));
  memory.addEventListener('input', () => readTd({ register: true, memory: Number(memory.value) }));
  ports.addEventListener('change', () => readTd({ register: true, ports: parsePorts(ports.value) }));
  count.addEventListener('input', () => setSpec((spec) => ({ ...spec, count: Number(count.value) })));
  group.addEventListener('input', () => setSpec((spec) => ({ ...spec, group: group.value.trim() || null })));
  distinct.addEventListener('change', () => setSpec((spec) => withDistinct(spec, distinct.checked)));
  seed.addEventListener('change', () => {
    const value = parseSeed(seed.value);
    if (value !== null) cluster.setSeed(value);
    else seed.value = String(store.get().scenario?.seed ?? '');
  });
  run.addEventListener('click', () => {
    const { builder, whatIf } = store.get();
    if (builder.script) runs.run(builder.script, { whatIf });
  });
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(store.get().builder.script ?? '');
      status.show('copy', 'info', 'Copied the commands.', { timeout: 3000 });
    } catch {
      status.show('copy', 'warning', 'The browser did not allow copying: select the commands and copy them by hand.');
    }
  });
  load.addEventListener('click', async () => {
    const { scenario, console: text, usecase, examples } = store.get();
    const files = Object.fromEntries(examples.find((e) => e.name === usecase)?.files ?? []);
    try {
      const spec = await engine.runSpec(scenario, text, { files });
      store.update((s) => ({ builder: { ...s.builder, spec } }));
      status.show('builder', 'info', 'Loaded the console\u2019s run-task into the builder.', { timeout: 4000 });
    } catch (error) {
      status.show('builder', 'error', `The console\u2019s command cannot be edited in the builder: ${error.message}`);
    }
  });
  send.addEventListener('click', () => store.update((s) => ({ console: s.builder.script ?? s.console, tab: 'run', usecase: null })));

  function chooseFamily(name) {
    const { scenario } = store.get();
    try {
      readTd(registeredDefinition(engine, scenario, name));
    } catch (error) {
      status.show('builder', 'error', `The task definition \`${name}\` cannot be used here: ${error.message}`);
    }
  }

  let families = null;
  let chainKey = null;
  return function render(state) {
    const { spec } = state.builder;
    const td = spec.taskDefinition;
    const names = taskFamilies(state.scenario);
    if (families !== names.join()) {
      families = names.join();
      replaceChildren(registered, names.map((n) => h('option', { value: n }, n)));
      mode.existing.disabled = names.length === 0;
    }
    mode.existing.checked = !td.register;
    mode.new.checked = td.register;
    if (!td.register) registered.value = td.family;
    setValue(family, td.family);
    family.disabled = !td.register;
    network.value = td.networkMode;
    network.disabled = !td.register;
    setValue(cpu, String(td.cpu));
    setValue(memory, String(td.memory));
    if (!focused(ports)) ports.value = (td.ports ?? []).map((p) => p.hostPort || p.containerPort).join(', ');
    reserves.textContent = `Each task reserves ${td.cpu} CPU units and ${td.memory} MiB${td.register ? ' (the script registers this definition first)' : ` (as registered: ${td.family}, ${td.networkMode})`}.`;
    setValue(count, String(spec.count));
    setValue(seed, String(state.scenario?.seed ?? ''));
    setValue(group, spec.group ?? '');
    distinct.checked = spec.constraints.some((c) => c.type === 'distinctInstance');
    const memberOf = spec.constraints.find((c) => c.type === 'memberOf')?.expression ?? '';
    if (editor.value !== memberOf && !focused(expression)) editor.setValue(memberOf, { focus: false });
    drawExpression(editor.value);
    const key = JSON.stringify([spec.strategies, state.scenario?.instances.length]);
    if (chainKey !== key) {
      chainKey = key;
      renderChain(chain, { strategies: spec.strategies, fields: spreadFields(state.scenario), onChange: (update) => setSpec((s) => ({ ...s, strategies: update(s.strategies) })) });
    }
    if (script.textContent !== (state.builder.script ?? '')) script.textContent = state.builder.script ?? '';
    problem.hidden = !state.builder.error;
    if (state.builder.error) replaceChildren(problem, richText(state.builder.error));
    run.disabled = !state.builder.script || state.run?.status === 'running';
    copy.disabled = !state.builder.script;
    send.disabled = !state.builder.script;
  };

  function drawExpression(text) {
    if (expression.dataset.drawn === text) return;
    expression.dataset.drawn = text;
    const tokens = engine.tokenize(text);
    const found = text.trim() ? engine.check(text) : [];
    editor.render(text, tokens, found);
    renderDiagnostics(diagnostics, text, found, {
      onFix: () => {},
      onReveal: ({ start, end }) => editor.select(start, end),
    });
  }
}

/** Composes the builder's commands (call when the spec or what-if changes). */
export function composeBuilder(engine, builder, whatIf) {
  try {
    return { ...builder, script: engine.composeRun(builder.spec, { whatIf }), error: null };
  } catch (error) {
    return { ...builder, script: null, error: error.message };
  }
}

function setValue(input, value) {
  if (!focused(input) && input.value !== value) input.value = value;
}

function parsePorts(text) {
  return text.split(/[\s,]+/).filter(Boolean).map(Number).filter((p) => Number.isInteger(p) && p > 0 && p < 65536)
    .map((p) => ({ containerPort: p, hostPort: p, protocol: 'tcp' }));
}

function withMemberOf(spec, text) {
  const others = spec.constraints.filter((c) => c.type !== 'memberOf');
  return { ...spec, constraints: text.trim() ? [{ type: 'memberOf', expression: text }, ...others] : others };
}

function withDistinct(spec, on) {
  const others = spec.constraints.filter((c) => c.type !== 'distinctInstance');
  return { ...spec, constraints: on ? [...others, { type: 'distinctInstance' }] : others };
}
