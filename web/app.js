// ECS Placement Playground: wires the wasm core to the page.
//
// Flow: every keystroke redraws the editor at once (highlight + check, both cheap and always in
// step with the text); the evaluation on the cluster (`filter`) is debounced and always runs on
// the final text. Every wasm call is guarded: a failure is shown in the status area and the page
// keeps its state.

import { createClusterMenu } from './js/cluster-menu.js';
import { renderCluster, renderLegend } from './js/cluster-view.js';
import { renderDetails } from './js/details.js';
import { renderDiagnostics } from './js/diagnostics.js';
import { h, replaceChildren } from './js/dom.js';
import { createEditor } from './js/editor.js';
import { describeError } from './js/errors.js';
import { EXAMPLES } from './js/examples.js';
import { plural, shortId, zoneOf } from './js/format.js';
import { SpanMap } from './js/spans.js';
import { createStatus } from './js/status.js';
import { createUrlWriter, parseHash } from './js/url-state.js';

const DEFAULT_PRESET = 'sample';
const DEBOUNCE_MS = 60;
const MAX_WAIT_MS = 300;

const $ = (id) => document.getElementById(id);

window.__playgroundReady = false;

async function boot() {
  const status = createStatus($('status-area'));
  window.addEventListener('error', (event) => {
    status.show('page', 'error', `Unexpected error: ${event.message}`);
  });
  window.addEventListener('unhandledrejection', (event) => {
    status.show('page', 'error', `Unexpected error: ${describeError(event.reason).message}`);
  });

  let wasm;
  try {
    wasm = await import('./pkg/ecs_placement_wasm.js');
    await wasm.default();
  } catch (error) {
    showBootFailure(error);
    return;
  }
  try {
    start(wasm, status);
  } catch (error) {
    showBootFailure(error, 'The playground failed while starting.');
  }
}

function showBootFailure(error, title = 'The WebAssembly module could not be loaded.') {
  const { message } = describeError(error);
  window.__playgroundError = message;
  $('cluster-name').textContent = 'Unavailable';
  const boot = $('boot');
  boot.classList.add('boot--failed');
  boot.setAttribute('role', 'alert');
  replaceChildren(boot,
    h('h2', { class: 'boot__title' }, title),
    h('p', {},
      'The page needs its WebAssembly bundle in ', h('code', {}, 'web/pkg/'),
      ', which is generated, not committed. Build and serve the playground with ',
      h('code', {}, 'cargo xtask serve'), ' and open the address it prints.'),
    h('details', { class: 'boot__details' },
      h('summary', {}, 'Technical details'),
      h('pre', {}, message)));
}

function start(wasm, status) {
  const state = {
    scenario: null,
    preset: DEFAULT_PRESET,
    selected: null,
    outcome: { text: '', expression: 'empty', diagnostics: [], matches: null },
  };

  /** Runs a wasm call; on an exception shows it under `topic` and returns `fallback`. */
  const guarded = (topic, what, fn, fallback) => {
    try {
      const value = fn();
      status.clear(topic);
      return value;
    } catch (error) {
      const { message, path } = describeError(error);
      status.show(topic, 'error', `${what} failed: ${message}`, { path });
      return fallback;
    }
  };

  const view = $('cluster-view');
  const detailsPanel = $('instance-details');
  const diagnosticsList = $('diagnostics');
  const matchCount = $('match-count');
  const urlWriter = createUrlWriter({ defaults: { preset: DEFAULT_PRESET } });

  const editor = createEditor(
    { textarea: $('cql-input'), mirror: $('cql-mirror'), tooltip: $('squiggle-tooltip') },
    { onInput: (text) => { redrawEditor(text); scheduleEvaluate(); }, onCommit: () => evaluateNow() },
  );

  // ---- editor ---------------------------------------------------------------------------
  function redrawEditor(text) {
    const tokens = guarded('highlight', 'Highlighting', () => wasm.highlight(text), []);
    const diagnostics = text.trim() === '' ? [] : guarded('check', 'Checking the expression', () => wasm.check(text), []);
    editor.render(text, tokens, diagnostics);
  }

  // Debounced, with a maximum wait so that matches follow along during fast typing too.
  let timer = null;
  let pendingSince = 0;
  function scheduleEvaluate() {
    clearTimeout(timer);
    if (!pendingSince) pendingSince = performance.now();
    if (performance.now() - pendingSince >= MAX_WAIT_MS) evaluateNow();
    else timer = setTimeout(evaluateNow, DEBOUNCE_MS);
  }

  function evaluateNow() {
    clearTimeout(timer);
    timer = null;
    pendingSince = 0;
    const text = editor.value;
    if (text.trim() === '') {
      state.outcome = { text, expression: 'empty', diagnostics: [], matches: null };
      status.clear('evaluate');
    } else {
      const result = guarded('evaluate', 'Evaluating the expression', () => wasm.filter(state.scenario, text), null);
      state.outcome = result
        ? {
          text,
          expression: result.matches ? 'ok' : 'error',
          diagnostics: result.diagnostics ?? [],
          matches: result.matches ?? null,
        }
        : { text, expression: 'failed', diagnostics: [], matches: null };
    }
    render();
  }

  // ---- rendering ------------------------------------------------------------------------
  function render() {
    const { scenario, outcome, selected } = state;
    renderCluster(view, scenario, { matches: outcome.matches, selected, onSelect: select });
    renderCount();
    renderDiagnostics(diagnosticsList, outcome.text, outcome.diagnostics, { onFix: applyFix, onReveal: reveal });
    renderDetails(detailsPanel, {
      scenario,
      arn: selected,
      match: outcome.matches?.find((m) => m.containerInstanceArn === selected) ?? null,
      text: outcome.text,
      expression: outcome.expression,
      onClose: () => select(null),
    });
    const instance = scenario.instances.find((i) => i.containerInstanceArn === selected);
    urlWriter.write({
      expr: outcome.text,
      instance: instance ? shortId(instance.containerInstanceArn) : null,
      preset: state.preset ?? DEFAULT_PRESET,
    });
  }

  function renderCount() {
    const { outcome, scenario } = state;
    const total = scenario.instances.length;
    let text;
    if (outcome.expression === 'empty') {
      text = `${plural(total, 'instance')} · type an expression or pick an example to filter them`;
    } else if (outcome.expression === 'ok') {
      const matched = outcome.matches.filter((m) => m.matched).length;
      text = `${matched} of ${plural(total, 'instance')} ${matched === 1 ? 'matches' : 'match'}`;
    } else if (outcome.expression === 'error') {
      const errors = outcome.diagnostics.filter((d) => d.severity === 'error').length;
      text = `The expression has ${plural(errors, 'error')}: fix ${errors === 1 ? 'it' : 'them'} to see which instances match`;
    } else {
      text = 'The expression could not be evaluated';
    }
    matchCount.dataset.state = outcome.expression;
    matchCount.dataset.source = outcome.text; // what was evaluated (a hook for tests)
    matchCount.classList.toggle('match-count--none', outcome.expression === 'ok' && !outcome.matches.some((m) => m.matched));
    if (matchCount.textContent !== text) matchCount.textContent = text;
  }

  function renderClusterChrome() {
    const { scenario } = state;
    const zones = new Set(scenario.instances.map(zoneOf));
    const tasks = scenario.tasks.filter((t) => (t.desiredStatus ?? 'RUNNING') === 'RUNNING').length
      + scenario.instances.reduce((n, i) => n + (i.untrackedRunningTasks ?? 0), 0);
    $('cluster-name').textContent = state.preset ? `${scenario.cluster.name} · ${state.preset}` : scenario.cluster.name;
    $('cluster-summary').textContent = [
      `${scenario.cluster.name} in ${scenario.cluster.region}`,
      `${plural(scenario.instances.length, 'instance')} in ${plural(zones.size, 'Availability Zone')}`,
      plural(tasks, 'running task'),
    ].join(' · ');
    renderLegend($('legend'), scenario);
  }

  // ---- actions --------------------------------------------------------------------------
  function select(arn, { scroll = true } = {}) {
    state.selected = arn && state.scenario.instances.some((i) => i.containerInstanceArn === arn) ? arn : null;
    render();
    if (state.selected && scroll) {
      const rect = detailsPanel.getBoundingClientRect();
      if (rect.top > window.innerHeight - 80) {
        const smooth = !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
        detailsPanel.scrollIntoView({ behavior: smooth ? 'smooth' : 'auto', block: 'start' });
      }
    }
  }

  function applyFix(diagnostic) {
    if (!diagnostic.suggestion) return;
    const text = state.outcome.text;
    if (editor.value !== text) {
      evaluateNow(); // the list was stale; it is redrawn for the current text
      return;
    }
    const { start, end } = new SpanMap(text).range(diagnostic.suggestion.span);
    editor.replace(start, end, String(diagnostic.suggestion.replacement ?? ''));
    redrawEditor(editor.value);
    evaluateNow();
  }

  function reveal({ start, end }) {
    editor.select(start, end);
  }

  function setExpression(text, { focus = true } = {}) {
    editor.setValue(text, { focus });
    redrawEditor(editor.value);
    evaluateNow();
  }

  function loadScenario(scenario, { preset }) {
    state.scenario = scenario;
    state.preset = preset;
    if (!scenario.instances.some((i) => i.containerInstanceArn === state.selected)) state.selected = null;
    renderClusterChrome();
    evaluateNow();
  }

  /** Finds an instance by short ID, ARN or EC2 instance ID (the URL uses the short ID). */
  function findInstance(reference) {
    if (!reference) return null;
    return state.scenario.instances.find((i) =>
      i.containerInstanceArn === reference || shortId(i.containerInstanceArn) === reference || i.ec2InstanceId === reference) ?? null;
  }

  /** Applies the URL hash: preset, expression, selected instance. */
  function applyHash({ initial = false } = {}) {
    const wanted = parseHash(location.hash);
    const preset = wanted.preset ?? DEFAULT_PRESET;
    if (initial || (wanted.preset && wanted.preset !== state.preset)) {
      let scenario = guarded('preset', `Loading the built-in cluster \`${preset}\``, () => wasm.loadPreset(preset), null);
      let name = preset;
      if (!scenario && preset !== DEFAULT_PRESET) {
        scenario = guarded('preset-default', 'Loading the sample cluster', () => wasm.loadPreset(DEFAULT_PRESET), null);
        name = DEFAULT_PRESET;
      }
      if (scenario) {
        state.scenario = scenario;
        state.preset = name;
        renderClusterChrome();
      }
    }
    if (!state.scenario) throw new Error('no cluster could be loaded');
    const expr = wanted.expr ?? '';
    if (initial || expr !== editor.value) {
      editor.setValue(expr, { focus: false });
      redrawEditor(expr);
    }
    state.selected = findInstance(wanted.instance)?.containerInstanceArn ?? null;
    evaluateNow();
  }

  // ---- examples -------------------------------------------------------------------------
  replaceChildren($('examples'), EXAMPLES.map((example) => {
    const chip = h('button', { type: 'button', class: 'chip', title: example.title.replace(/`/g, '') },
      h('code', {}, example.expression));
    chip.addEventListener('click', () => setExpression(example.expression));
    return h('li', {}, chip);
  }));

  // ---- cluster menu ---------------------------------------------------------------------
  const menuButton = $('cluster-menu-button');
  createClusterMenu({ button: menuButton, dialog: $('cluster-dialog') }, {
    presets: () => wasm.presets(),
    current: () => ({ scenario: state.scenario, preset: state.preset }),
    loadPreset: (name) => wasm.loadPreset(name),
    parseScenario: (text) => wasm.parseScenario(text),
    importAws: (instances, tasks) => wasm.importAws(instances, tasks),
    onLoaded: (scenario, { label, preset, warnings }) => {
      loadScenario(scenario, { preset });
      const tasks = scenario.tasks.length;
      status.show('cluster', warnings.length > 0 ? 'warning' : 'info',
        `Loaded the cluster \`${label}\`: ${plural(scenario.instances.length, 'instance')}, ${plural(tasks, 'task')}.`
          + (warnings.length > 0 ? ' The import skipped some data:' : ''),
        { details: warnings, timeout: warnings.length > 0 ? 0 : 8000 });
    },
  });
  menuButton.disabled = false;

  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && state.selected && !$('cluster-dialog').open
      && (event.target.closest?.('#cluster-view') || detailsPanel.contains(event.target))) {
      const arn = state.selected;
      select(null);
      view.querySelector(`.bin[data-arn="${CSS.escape(arn)}"]`)?.focus();
    }
  });
  window.addEventListener('hashchange', () => applyHash());

  // ---- first render ---------------------------------------------------------------------
  $('boot').hidden = true;
  $('query-section').hidden = false;
  $('workspace').hidden = false;
  applyHash({ initial: true });
  editor.autosize();
  window.__playgroundReady = true;
  document.documentElement.dataset.ready = 'true';
}

boot();
