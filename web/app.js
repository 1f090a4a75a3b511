// ECS Placement Playground: wires the wasm core to the page.
//
// Flow: every keystroke redraws the editor at once (tokenize + check, both cheap and always in
// step with the text); the evaluation on the cluster (`filter`) is debounced and always runs on
// the final text. Every wasm call is guarded: a failure is shown in the status area and the page
// keeps its state.
//
// Commands: the console runs `aws ecs ...` scripts with `runScript` (always explained, always
// keeping going after a failed command). The cluster becomes the returned scenario; the one
// before is kept for "Undo run". RunTask placements are then replayed task by task: the bins show
// the cluster right after each task (see run-model.js `buildTimeline`) and the side panel
// explains the current task ("Why here?").

import { createClusterMenu } from './js/cluster-menu.js';
import { renderCluster, renderLegend } from './js/cluster-view.js';
import { renderDetails } from './js/details.js';
import { renderDiagnostics } from './js/diagnostics.js';
import { h, icon, replaceChildren } from './js/dom.js';
import { createEditor } from './js/editor.js';
import { describeError } from './js/errors.js';
import { EXAMPLES } from './js/examples.js';
import { plural, shortId, zoneOf } from './js/format.js';
import { createPlayer } from './js/player.js';
import { renderResults, runAnnouncement, runStatusText } from './js/run-results.js';
import { buildTimeline, instanceIndex, instanceName, instanceVerdicts, placementSnapshots } from './js/run-model.js';
import { SpanMap } from './js/spans.js';
import { createStatus } from './js/status.js';
import { MAX_CMD_LENGTH, createUrlWriter, parseHash } from './js/url-state.js';
import { instanceChecks, renderWhy } from './js/why-panel.js';

const DEFAULT_PRESET = 'sample';
const DEBOUNCE_MS = 60;
const MAX_WAIT_MS = 300;
const MAX_HISTORY = 50;
const MAX_SEED = 2 ** 32 - 1;

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
    scenario: null, // the current cluster (after the runs)
    preset: DEFAULT_PRESET,
    initial: null, // the cluster "Reset cluster" returns to
    history: [], // the clusters before each run, for "Undo run"
    selected: null,
    outcome: { text: '', expression: 'empty', diagnostics: [], matches: null },
    run: null, // the last run: {reports, after, timeline, undone} or {failure}
    step: -1, // the current step of run.timeline; -1 when the placement view is closed
    sideTab: 'why',
    inputTab: 'query',
    useCase: null, // the blog use case whose script was loaded into the console
    files: {}, // files `file://` arguments may read (the use case's)
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
  const whyPanel = $('why-panel');
  const diagnosticsList = $('diagnostics');
  const matchCount = $('match-count');
  const consoleInput = $('console-input');
  const runButton = $('run-button');
  const whatIf = $('what-if');
  const seedInput = $('seed-input');
  const resultsList = $('run-results');
  const runStatus = $('run-status');
  const urlWriter = createUrlWriter({ defaults: { preset: DEFAULT_PRESET } });
  const reducedMotion = () => window.matchMedia('(prefers-reduced-motion: reduce)').matches;

  const editor = createEditor(
    { textarea: $('cql-input'), mirror: $('cql-mirror'), tooltip: $('squiggle-tooltip') },
    { onInput: (text) => { redrawEditor(text); scheduleEvaluate(); }, onCommit: () => evaluateNow() },
  );

  const player = createPlayer($('player'), {
    onChange: (index) => {
      state.step = index;
      evaluateNow();
    },
    onClose: () => closePlacements(),
    describe: describeStep,
  });

  // ---- editor ---------------------------------------------------------------------------
  function redrawEditor(text) {
    const tokens = guarded('tokenize', 'Highlighting', () => wasm.tokenize(text), []);
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

  /** Evaluates the expression on the cluster as shown (the current placement step, if any) and redraws. */
  function evaluateNow() {
    clearTimeout(timer);
    timer = null;
    pendingSince = 0;
    const text = editor.value;
    if (text.trim() === '') {
      state.outcome = { text, expression: 'empty', diagnostics: [], matches: null };
      status.clear('evaluate');
    } else {
      const result = guarded('evaluate', 'Evaluating the expression', () => wasm.filter(shown(), text), null);
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

  // ---- the cluster as shown -------------------------------------------------------------
  /** The current placement step, or null when the placement view is closed. */
  function currentStep() {
    if (!state.run?.timeline || state.run.undone || state.step < 0) return null;
    return state.run.timeline.steps[state.step] ?? null;
  }

  /** The cluster drawn: right after the current placement step, else the current cluster. */
  function shown() {
    const step = currentStep();
    if (!step) return state.scenario;
    try {
      return step.scenario();
    } catch (error) {
      status.show('placements', 'error', `Drawing the placement step failed: ${describeError(error).message}`);
      return state.scenario;
    }
  }

  function describeStep(index) {
    const step = state.run?.timeline?.steps[index];
    if (!step) return { title: '', detail: '' };
    const instances = instanceIndex(step.scenario());
    const { task, command } = step;
    const multi = state.run.timeline.commands.length > 1;
    const title = `Task ${task.attempt} of ${command.count}${multi ? ` (RunTask on line ${command.report.line})` : ''}`;
    if (!step.placed) return { title, detail: 'not placed: no instance passed every check', short: `${title}: not placed` };
    const row = task.instances?.find((i) => i.containerInstanceArn === task.placedOn);
    const zone = row?.availabilityZone ? ` (${row.availabilityZone})` : '';
    const where = `${instanceName(task.placedOn, instances)}${zone}`;
    return { title, detail: `placed on ${where} · decided by ${task.decidedBy ?? '—'}`, short: `${title}: placed on ${where}` };
  }

  // ---- rendering ------------------------------------------------------------------------
  function render() {
    const { outcome, selected } = state;
    const scenario = shown();
    const step = currentStep();
    const placement = step
      ? { attempt: step.task.attempt, key: step.index, verdicts: instanceVerdicts(step), newTasks: new Set(step.task.taskArn ? [step.task.taskArn] : []) }
      : null;
    renderCluster(view, scenario, { matches: outcome.matches, selected, onSelect: select, placement });
    renderCount();
    renderDiagnostics(diagnosticsList, outcome.text, outcome.diagnostics, { onFix: applyFix, onReveal: reveal });
    renderDetails(detailsPanel, {
      scenario,
      arn: selected,
      match: outcome.matches?.find((m) => m.containerInstanceArn === selected) ?? null,
      text: outcome.text,
      expression: outcome.expression,
      onClose: () => select(null),
      extra: step && selected ? instanceChecks(step, selected, scenario) : null,
    });
    renderSide(step, scenario);
    renderFilterNote();
    renderLegend($('legend'), scenario);
    writeUrl();
  }

  function writeUrl() {
    const instance = state.scenario.instances.find((i) => i.containerInstanceArn === state.selected);
    const text = consoleInput.value;
    // A use case names its cluster and files; edited text (when short) goes along with it.
    const useCase = state.useCase?.name ?? null;
    const edited = !state.useCase || text !== state.useCase.script;
    const cmd = edited && text.trim() && text.length <= MAX_CMD_LENGTH ? text : null;
    // The tab is implied: the console when the URL carries commands, else the query.
    const implied = useCase || cmd ? 'console' : 'query';
    urlWriter.write({
      expr: state.outcome.text,
      instance: instance ? shortId(instance.containerInstanceArn) : null,
      preset: state.preset ?? DEFAULT_PRESET,
      tab: state.inputTab === implied ? null : state.inputTab === 'console' ? 'run' : 'query',
      usecase: useCase,
      cmd,
    });
  }

  function renderSide(step, scenario) {
    const tabs = $('side-tabs');
    const active = Boolean(step);
    tabs.hidden = !active;
    $('side').classList.toggle('side--run', active);
    $('workspace').classList.toggle('workspace--run', active);
    const why = active && state.sideTab === 'why';
    whyPanel.hidden = !why;
    detailsPanel.hidden = why;
    for (const [tab, panel, on] of [[$('tab-why'), whyPanel, why], [$('tab-instance'), detailsPanel, active && !why]]) {
      tab.setAttribute('aria-selected', String(on));
      tab.tabIndex = on ? 0 : -1;
      if (active) {
        panel.setAttribute('role', 'tabpanel');
        panel.setAttribute('aria-labelledby', tab.id);
      } else {
        panel.removeAttribute('role');
        panel.setAttribute('aria-labelledby', panel === whyPanel ? 'why-heading' : 'details-heading');
      }
    }
    if (active) {
      $('tab-why').textContent = `Why here? · task ${step.index + 1}/${state.run.timeline.steps.length}`;
      if (why) {
        try {
          renderWhy(whyPanel, {
            step,
            total: state.run.timeline.steps.length,
            scenario,
            selected: state.selected,
            onSelect: (arn) => select(arn, { scroll: false, fromMatrix: true }),
          });
          status.clear('why');
        } catch (error) {
          status.show('why', 'error', `Explaining the placement failed: ${describeError(error).message}`);
        }
      }
    }
  }

  function renderFilterNote() {
    const note = $('filter-note');
    const { outcome } = state;
    const visible = state.inputTab !== 'query' && outcome.expression !== 'empty';
    note.hidden = !visible;
    if (!visible) return;
    const clear = h('button', { type: 'button', class: 'link-button', 'data-testid': 'filter-clear' }, 'Clear');
    clear.addEventListener('click', () => setExpression('', { focus: false }));
    const show = h('button', { type: 'button', class: 'link-button' }, 'Edit');
    show.addEventListener('click', () => selectInputTab('query', { focus: true }));
    const matched = outcome.expression === 'ok' ? outcome.matches.filter((m) => m.matched).length : null;
    replaceChildren(note, icon('info'), ' Cluster query ', h('code', {}, outcome.text),
      matched === null ? ' (has errors)' : `: ${matched} of ${plural(outcome.matches.length, 'instance')} ${matched === 1 ? 'matches' : 'match'}`,
      ' · ', show, ' · ', clear);
  }

  function renderCount() {
    const { outcome } = state;
    const total = shown().instances.length;
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
    const runs = state.history.length;
    $('cluster-name').textContent = (state.preset ? `${scenario.cluster.name} · ${state.preset}` : scenario.cluster.name)
      + (runs > 0 ? ' · modified' : '');
    $('cluster-summary').textContent = [
      `${scenario.cluster.name} in ${scenario.cluster.region}`,
      `${plural(scenario.instances.length, 'instance')} in ${plural(zones.size, 'Availability Zone')}`,
      plural(tasks, 'running task'),
    ].join(' · ');
    $('cluster-summary').dataset.tasks = String(tasks);
    renderConsoleChrome();
  }

  /** Seed, Undo and Reset in the console. */
  function renderConsoleChrome() {
    const seed = state.scenario?.seed;
    if (document.activeElement !== seedInput) seedInput.value = seed === undefined || seed === null ? '' : String(seed);
    const runs = state.history.length;
    $('undo-run').disabled = runs === 0;
    $('undo-run').title = runs === 0
      ? 'Nothing to undo: no command has run on this cluster'
      : `Restore the cluster as it was before the last run (${plural(runs, 'run')} since the cluster was loaded)`;
    $('reset-cluster').disabled = runs === 0 && state.scenario === state.initial;
    // Shown once there is something to undo or reset (the query-only page stays as it was).
    document.querySelector('.cluster__actions').hidden = $('undo-run').disabled && $('reset-cluster').disabled;
    $('reset-cluster').title = `Return to the cluster as loaded${state.preset ? ` (the built-in cluster “${state.preset}”)` : ''}`;
    runStatus.textContent = runStatusText(state.run);
    runButton.disabled = false;
  }

  // ---- actions --------------------------------------------------------------------------
  function select(arn, { scroll = true, fromMatrix = false } = {}) {
    state.selected = arn && state.scenario.instances.some((i) => i.containerInstanceArn === arn) ? arn : null;
    render();
    if (!state.selected) return;
    const smooth = !reducedMotion();
    if (currentStep()) {
      if (fromMatrix) {
        view.querySelector(`.bin[data-arn="${CSS.escape(state.selected)}"]`)?.scrollIntoView({ behavior: smooth ? 'smooth' : 'auto', block: 'nearest' });
      } else if (state.sideTab === 'why') {
        // Show the instance's row of the checks matrix for the current task.
        const row = whyPanel.querySelector(`tr[data-arn="${CSS.escape(state.selected)}"]`);
        row?.scrollIntoView({ behavior: smooth ? 'smooth' : 'auto', block: 'nearest' });
      }
      return;
    }
    if (scroll) {
      const rect = detailsPanel.getBoundingClientRect();
      if (rect.top > window.innerHeight - 80) {
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

  /** A seed for clusters without one (decision D18: a run always records its seed). */
  function withSeed(scenario) {
    if (scenario.seed !== undefined && scenario.seed !== null) return scenario;
    const seed = guarded('seed', 'Drawing a seed', () => wasm.drawSeed(), null);
    return seed === null ? scenario : { ...scenario, seed };
  }

  /** A new cluster from the menu, a use case or the URL: history, run and placements start over. */
  function loadScenario(scenario, { preset, keepUseCase = false }) {
    const seeded = withSeed(scenario);
    state.scenario = seeded;
    state.initial = seeded;
    state.history = [];
    state.preset = preset;
    state.run = null;
    state.step = -1;
    player.clear();
    if (!keepUseCase) setUseCase(null);
    if (!seeded.instances.some((i) => i.containerInstanceArn === state.selected)) state.selected = null;
    renderResults(resultsList, null, resultActions);
    renderClusterChrome();
    evaluateNow();
  }

  /** Finds an instance by short ID, ARN or EC2 instance ID (the URL uses the short ID). */
  function findInstance(reference) {
    if (!reference) return null;
    return state.scenario.instances.find((i) =>
      i.containerInstanceArn === reference || shortId(i.containerInstanceArn) === reference || i.ec2InstanceId === reference) ?? null;
  }

  /** Applies the URL hash: preset, expression, selected instance, console text or use case. */
  function applyHash({ initial = false } = {}) {
    const wanted = parseHash(location.hash);
    const example = wanted.usecase ? examples.find((e) => e.name === wanted.usecase) : null;
    if (example && (initial || state.useCase?.name !== example.name)) {
      chooseUseCase(example, { focus: false });
    } else if (!example) {
      const preset = wanted.preset ?? DEFAULT_PRESET;
      if (initial || (wanted.preset && wanted.preset !== state.preset)) {
        let scenario = guarded('preset', `Loading the built-in cluster \`${preset}\``, () => wasm.loadPreset(preset), null);
        let name = preset;
        if (!scenario && preset !== DEFAULT_PRESET) {
          scenario = guarded('preset-default', 'Loading the sample cluster', () => wasm.loadPreset(DEFAULT_PRESET), null);
          name = DEFAULT_PRESET;
        }
        if (scenario) loadScenario(scenario, { preset: name, keepUseCase: true });
      }
      if (state.useCase) setUseCase(null);
    }
    if (wanted.cmd !== undefined && wanted.cmd !== consoleInput.value) {
      consoleInput.value = wanted.cmd;
      renderUseCaseNote();
    }
    if (!state.scenario) throw new Error('no cluster could be loaded');
    const implied = wanted.cmd || example ? 'console' : 'query';
    const tab = { run: 'console', query: 'query' }[wanted.tab] ?? implied;
    if (initial || tab !== state.inputTab) selectInputTab(tab);
    const expr = wanted.expr ?? '';
    if (initial || expr !== editor.value) {
      editor.setValue(expr, { focus: false });
      redrawEditor(expr);
    }
    state.selected = findInstance(wanted.instance)?.containerInstanceArn ?? null;
    evaluateNow();
  }

  // ---- input tabs -----------------------------------------------------------------------
  function selectInputTab(tab, { focus = false } = {}) {
    state.inputTab = tab;
    const pairs = [['query', $('tab-query'), $('query-section')], ['console', $('tab-console'), $('console-section')]];
    for (const [name, button, panel] of pairs) {
      const on = name === tab;
      button.setAttribute('aria-selected', String(on));
      button.tabIndex = on ? 0 : -1;
      panel.hidden = !on;
    }
    if (tab === 'query') editor.autosize();
    if (focus) (tab === 'query' ? $('cql-input') : consoleInput).focus();
    if (state.scenario) render();
  }
  for (const [name, button] of [['query', $('tab-query')], ['console', $('tab-console')]]) {
    button.addEventListener('click', () => selectInputTab(name));
  }
  $('input-tabs').addEventListener('keydown', (event) => {
    const order = ['query', 'console'];
    const i = order.indexOf(state.inputTab);
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: order.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const tab = order[(next + order.length) % order.length];
    selectInputTab(tab);
    $(tab === 'query' ? 'tab-query' : 'tab-console').focus();
  });
  document.querySelector('.skip-link')?.addEventListener('click', () => selectInputTab('query'));

  // ---- side tabs (during a placement run) -----------------------------------------------
  function selectSideTab(tab, { focus = false } = {}) {
    state.sideTab = tab;
    render();
    if (focus) $(tab === 'why' ? 'tab-why' : 'tab-instance').focus();
  }
  $('tab-why').addEventListener('click', () => selectSideTab('why'));
  $('tab-instance').addEventListener('click', () => selectSideTab('instance'));
  $('side-tabs').addEventListener('keydown', (event) => {
    if (!['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key)) return;
    event.preventDefault();
    const tab = event.key === 'Home' ? 'why' : event.key === 'End' ? 'instance' : state.sideTab === 'why' ? 'instance' : 'why';
    selectSideTab(tab, { focus: true });
  });

  // ---- console --------------------------------------------------------------------------
  const resultActions = {
    onShowPlacements: (reportIndex) => {
      const command = state.run?.timeline?.commands.find((c) => c.reportIndex === reportIndex);
      if (!command) return;
      state.sideTab = 'why';
      player.load(state.run.timeline.steps.length, { animate: true, start: command.first });
      if (!reducedMotion() && command.count > 1) player.play();
      $('player').scrollIntoView({ behavior: reducedMotion() ? 'auto' : 'smooth', block: 'nearest' });
    },
    onUseAsQuery: (expression) => {
      selectInputTab('query');
      setExpression(expression);
    },
  };

  /** Runs the console's commands on the current cluster. A failure never loses the cluster or the text. */
  function runConsole() {
    const text = consoleInput.value;
    if (!text.trim()) {
      runStatus.textContent = 'Type or paste `aws ecs` commands first (or pick a use case).';
      consoleInput.focus();
      return;
    }
    const options = { explain: true, keepGoing: true, whatIf: whatIf.checked, files: { ...state.files } };
    const before = state.scenario;
    let outcome;
    try {
      outcome = wasm.runScript(before, text, options);
    } catch (error) {
      const { message } = describeError(error);
      state.run = { failure: message, reports: [], undone: false };
      state.step = -1;
      player.clear();
      renderResults(resultsList, state.run, resultActions);
      renderConsoleChrome();
      announce(runAnnouncement(state.run));
      evaluateNow();
      return;
    }
    try {
      const seeded = { ...before, seed: outcome.scenario.seed };
      const snapshots = placementSnapshots((scenario, script) => wasm.runScript(scenario, script, options), seeded, text, outcome);
      const timeline = buildTimeline(outcome.reports, { after: outcome.scenario, snapshots });
      // Only a run that changed the cluster can be undone (a failed command changes nothing).
      const changed = JSON.stringify(outcome.scenario) !== JSON.stringify(seeded);
      if (changed) {
        state.history.push(seeded);
        if (state.history.length > MAX_HISTORY) state.history.shift();
      }
      state.scenario = changed ? outcome.scenario : before.seed === seeded.seed ? before : seeded;
      state.run = { reports: outcome.reports, after: outcome.scenario, timeline, undone: false, changed, exact: Boolean(snapshots) };
      state.step = -1;
      state.sideTab = 'why';
      if (!state.scenario.instances.some((i) => i.containerInstanceArn === state.selected)) state.selected = null;
      status.clear('run');
      renderResults(resultsList, state.run, resultActions);
      renderClusterChrome();
      announce(runAnnouncement(state.run));
      if (timeline.steps.length > 0) {
        player.load(timeline.steps.length, { animate: true }); // calls evaluateNow for the first step
      } else {
        player.clear();
        evaluateNow();
      }
    } catch (error) {
      // A bug on the page's side: the cluster stays as it was.
      status.show('run', 'error', `Showing the results failed: ${describeError(error).message}`);
    }
  }

  function announce(text) {
    const region = $('run-announce');
    region.textContent = '';
    // A fresh text node after a tick, so that the same message is announced again.
    setTimeout(() => { region.textContent = text; }, 50);
  }

  function closePlacements() {
    state.step = -1;
    player.clear();
    evaluateNow();
  }

  function undoRun() {
    if (state.history.length === 0) return;
    state.scenario = state.history.pop();
    if (state.run) state.run.undone = true;
    state.step = -1;
    player.clear();
    if (!state.scenario.instances.some((i) => i.containerInstanceArn === state.selected)) state.selected = null;
    renderResults(resultsList, state.run, resultActions);
    renderClusterChrome();
    evaluateNow();
  }

  function resetCluster() {
    if (!state.initial) return;
    state.scenario = state.initial;
    state.history = [];
    if (state.run) state.run.undone = true;
    state.step = -1;
    player.clear();
    renderResults(resultsList, state.run, resultActions);
    renderClusterChrome();
    evaluateNow();
  }

  function setSeed(seed) {
    state.scenario = { ...state.scenario, seed };
    if (state.history.length === 0 && state.initial) state.initial = state.scenario; // Reset keeps a chosen seed before any run
    renderConsoleChrome();
    writeUrl();
  }

  runButton.addEventListener('click', runConsole);
  consoleInput.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.isComposing) {
      event.preventDefault();
      runConsole();
    }
  });
  consoleInput.addEventListener('input', () => {
    renderUseCaseNote();
    writeUrl();
  });
  $('undo-run').addEventListener('click', undoRun);
  $('reset-cluster').addEventListener('click', resetCluster);
  $('new-seed').addEventListener('click', () => {
    const seed = guarded('seed', 'Drawing a seed', () => wasm.drawSeed(), null);
    if (seed !== null) setSeed(seed);
  });
  seedInput.addEventListener('change', () => {
    const value = Number(seedInput.value);
    if (seedInput.value.trim() !== '' && Number.isInteger(value) && value >= 0 && value <= MAX_SEED) {
      seedInput.removeAttribute('aria-invalid');
      setSeed(value);
    } else {
      seedInput.setAttribute('aria-invalid', 'true');
      seedInput.value = String(state.scenario.seed ?? '');
      seedInput.removeAttribute('aria-invalid');
    }
  });

  // ---- use cases ------------------------------------------------------------------------
  const examples = guarded('examples', 'Loading the use cases', () => wasm.examples(), []);
  const presetInfo = guarded('presets', 'Listing the built-in clusters', () => wasm.presets(), []);

  function useCaseLabel(example) {
    const head = example.title.split(':')[0];
    if (head !== example.title) return head;
    return { 'task-placement-post': 'Task Placement post' }[example.name] ?? example.name;
  }

  function setUseCase(example) {
    state.useCase = example;
    state.files = example ? Object.fromEntries(example.files ?? []) : {};
    for (const chip of $('usecases').querySelectorAll('.chip')) {
      chip.setAttribute('aria-pressed', String(chip.dataset.name === example?.name));
    }
    renderUseCaseNote();
  }

  function renderUseCaseNote() {
    const note = $('usecase-note');
    const example = state.useCase;
    note.hidden = !example;
    if (!example) return;
    const edited = consoleInput.value !== example.script;
    const files = example.files ?? [];
    const preset = presetInfo.find((p) => p.name === example.preset);
    replaceChildren(note,
      h('p', { class: 'usecase-note__title' }, h('strong', {}, example.title), edited ? h('span', { class: 'muted' }, ' (edited)') : null),
      h('p', { class: 'usecase-note__meta' },
        'Runs on the built-in cluster ', h('code', { title: preset?.description ?? '' }, example.preset), ' (loaded)',
        files.length ? [' · bundled file', files.length === 1 ? ' ' : 's ', files.map(([name], i) => [i ? ', ' : '', h('code', {}, name)])] : null,
        '. Press ', h('strong', {}, 'Run'), ' to place the tasks.'),
      files.length
        ? h('details', { class: 'usecase-note__files' }, h('summary', {}, 'Show the bundled files'),
          files.map(([name, content]) => [h('p', { class: 'usecase-note__file' }, h('code', {}, `file://${name}`)), h('pre', { class: 'command' }, content)]))
        : null);
  }

  function chooseUseCase(example, { focus = true } = {}) {
    const scenario = guarded('usecase', `Loading the cluster of “${example.title}”`, () => wasm.loadPreset(example.preset), null);
    if (!scenario) return;
    consoleInput.value = example.script;
    loadScenario(scenario, { preset: example.preset, keepUseCase: true });
    setUseCase(example);
    selectInputTab('console');
    if (focus) runButton.focus();
    writeUrl();
  }

  replaceChildren($('usecases'), examples.map((example) => {
    const chip = h('button', { type: 'button', class: 'chip chip--usecase', title: example.title, 'aria-pressed': 'false', dataset: { name: example.name }, 'data-testid': 'usecase' },
      useCaseLabel(example));
    chip.addEventListener('click', () => chooseUseCase(example));
    return h('li', {}, chip);
  }));

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
  $('inputs').hidden = false;
  $('workspace').hidden = false;
  renderResults(resultsList, null, resultActions);
  applyHash({ initial: true });
  editor.autosize();
  window.__playgroundReady = true;
  document.documentElement.dataset.ready = 'true';
}

boot();
