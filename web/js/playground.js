// One playground: its store, actions and views, mounted on a root (the page's document, or the
// shadow root of an embedded `<ecs-placement-playground>` element). Every element is looked up
// inside the root, so several playgrounds can live on one page without seeing each other.
//
//   engine (engine.js) ── the WebAssembly core; long calls in a Web Worker of this playground
//   store  (store.js)  ── the one state; `update(patch)`, `subscribe(render)`
//   actions ── run-actions.js (run, stop, step, play), cluster-actions.js (load, edit, undo, reset,
//              seed), query-actions.js (expression, selection), link-actions.js (share link,
//              autosave and restore on the page; the initial state of an embed)
//   views  ── stage.js (bins, player, funnel), query-panel.js, console-panel.js, builder-panel.js,
//              cluster-editor.js, inspector.js

import { composeBuilder, createBuilderPanel, firstSpec } from './builder-panel.js';
import { createClusterActions } from './cluster-actions.js';
import { createClusterEditor } from './cluster-editor.js';
import { createClusterMenu } from './cluster-menu.js';
import { createConsolePanel } from './console-panel.js';
import { describeError } from './errors.js';
import { plural } from './format.js';
import { createInspector } from './inspector.js';
import { createLinkActions } from './link-actions.js';
import { createQueryActions } from './query-actions.js';
import { createQueryPanel } from './query-panel.js';
import { createServicesPanel } from './services-panel.js';
import { createRunActions } from './run-actions.js';
import { createStage, stepModel } from './stage.js';
import { createStore } from './store.js';
import { createTabs } from './tabs.js';


const reducedMotion = () => window.matchMedia('(prefers-reduced-motion: reduce)').matches;
const phone = () => window.matchMedia('(max-width: 899px)').matches;

export function initialState(engine) {
  return {
    phase: 'booting',
    presets: engine.presets(),
    examples: engine.examples(),
    instanceTypes: attempt(() => engine.instanceTypes(), []),
    base: { preset: null, label: '' },
    scenario: null, view: { instances: [], tasks: [] },
    journal: [], history: [],
    usecase: null, console: '', whatIf: false,
    run: null, step: -1, playing: false, speed: 1, explanation: null, highlight: null, explainOpen: false,
    expr: '', query: null, hideUnmatched: false, selected: null, truth: null, fargateTask: null,
    builder: { spec: null, script: null, error: null },
    tab: 'run',
  };
}

export async function mountPlayground({ root, engine, status, mode = 'page', initial = null, onRender = null }) {
  const $ = (id) => root.getElementById(id);
  const page = mode === 'page';
  const store = createStore(initialState(engine));
  const hooks = {};
  const cluster = createClusterActions({ store, engine, status, hooks });
  const runs = createRunActions({ store, engine, status, history: cluster, reducedMotion });
  hooks.scheduled = runs.showScheduler;
  const query = createQueryActions({ store, engine, status });
  const link = createLinkActions({ store, engine, status, cluster, runs, query, persist: page, initial });

  const actions = {
    chooseUseCase(name) {
      const example = store.get().examples.find((e) => e.name === name);
      if (!example) return;
      cluster.loadPreset(example.preset);
      store.update({ usecase: name, console: example.script, tab: 'run' });
      query.evaluate();
    },
    async runConsole() {
      const { console: text, usecase, whatIf } = store.get();
      if (!text.trim()) {
        status.show('run', 'info', 'Type or paste `aws ecs` commands first, or pick a use case.', { timeout: 5000 });
        $('console-input').focus();
        return;
      }
      const running = runs.run(text, { usecase, whatIf });
      revealStage();
      await running;
      revealStage();
    },
    /** Runs commands a panel wrote (the Services tab's), bringing the stage into view on phones. */
    async runCommands(text) {
      const running = runs.run(text);
      revealStage();
      await running;
      revealStage();
    },
    /** The player's Play before any run: the builder's commands on its tab, else the console's. */
    start() {
      const { tab, builder, whatIf } = store.get();
      if (tab === 'build' && builder.script) {
        const running = runs.run(builder.script, { whatIf });
        revealStage();
        return running;
      }
      return actions.runConsole();
    },
    showCommand(index) {
      const command = store.get().run?.timeline?.commands[index];
      if (!command || command.steps.length === 0) return;
      runs.go(command.firstStep);
      if (!reducedMotion() && command.steps.length > 1) runs.play();
      $('stage').scrollIntoView({ behavior: reducedMotion() ? 'auto' : 'smooth', block: 'nearest' });
    },
    useAsQuery(expression) {
      store.update({ tab: 'query' });
      query.setExpression(expression);
    },
  };

  /** On phones the stage is below the controls: bring it (player, funnel, bins) into view. */
  function revealStage() {
    if (!page || !phone()) return;
    store.flush();
    requestAnimationFrame(() => $('stage').scrollIntoView({ behavior: reducedMotion() ? 'auto' : 'smooth', block: 'start' }));
  }

  const renderTabs = createTabs($('control-tabs'), (tab) => store.update({ tab }), $);
  const renderQuery = createQueryPanel({ $, engine, store, query, status });
  const renderConsole = createConsolePanel({ $, store, engine, cluster, actions, status });
  const renderBuilder = createBuilderPanel($('builder'), { $, store, engine, runs, cluster, status });
  const renderEditor = createClusterEditor($('cluster-editor'), { $, store, cluster, query, status });
  const renderServices = createServicesPanel($('services-panel'), { store, run: actions.runCommands });
  const renderInspector = createInspector($('inspector'), { cluster, query });
  const renderStage = createStage({ $, store, runs, query, cluster, actions });
  if (page) createClusterMenu({ button: $('cluster-menu-button'), dialog: $('cluster-dialog') }, {
    presets: () => store.get().presets,
    current: () => ({ scenario: store.get().scenario, preset: store.get().base.preset }),
    loadPreset: (name) => engine.presetScenario(name),
    parseScenario: (text) => engine.parseScenario(text),
    importAws: (instances, tasks) => engine.importAws(instances, tasks),
    onLoaded: (scenario, { label, preset, warnings }) => {
      if (preset) cluster.loadPreset(preset, { scenario });
      else cluster.loadScenario(scenario, label);
      query.evaluate();
      status.show('cluster', warnings.length > 0 ? 'warning' : 'info',
        `Loaded the cluster \`${label}\`: ${plural(scenario.instances.length, 'instance')}, ${plural(scenario.tasks.length, 'task')}.${warnings.length ? ' The import skipped some data:' : ''}`,
        { details: warnings, timeout: warnings.length ? 0 : 8000 });
    },
  });
  $('share-button')?.addEventListener('click', async () => {
    const url = await link.shareUrl();
    try {
      await navigator.clipboard.writeText(url);
      status.show('share', 'info', 'Link copied: it opens the playground exactly as it is now.', { timeout: 5000 });
    } catch {
      status.show('share', 'info', `Copy this link to share the playground as it is now: ${url}`);
    }
  });

  store.subscribe((state, previous) => {
    if (!state.scenario) return;
    // Derived state: the builder's commands follow its spec and the cluster (composed only while
    // the builder is open: composing is work the page need not do at load).
    const building = state.tab === 'build';
    const newCluster = state.base.label !== previous.base.label || state.base.preset !== previous.base.preset;
    if (building && (!state.builder.spec || (newCluster && !state.builder.spec.taskDefinition.register))) {
      store.update({ builder: composeBuilder(engine, { spec: firstSpec(engine, state.scenario) }, state.whatIf) });
    } else if (building && (state.builder.spec !== previous.builder.spec || state.whatIf !== previous.whatIf || state.tab !== previous.tab)) {
      store.update({ builder: composeBuilder(engine, state.builder, state.whatIf) });
    }
    if (state.scenario !== previous.scenario) query.evaluate();
    // The step on show, computed once for the stage and the inspector (inside their guards).
    let model = null;
    const shown = () => (model ??= stepModel(state));
    // Each view draws on its own: a bug in one never stops the others (or loses the state).
    const views = {
      tabs: () => renderTabs(state.tab),
      stage: () => renderStage(state, shown()),
      // Panels draw while their tab is open (a tab switch is a state change: they catch up).
      query: () => state.tab === 'query' && renderQuery(state),
      console: () => state.tab === 'run' && renderConsole(state),
      builder: () => state.tab === 'build' && state.builder.spec && renderBuilder(state),
      editor: () => state.tab === 'cluster' && renderEditor(state),
      services: () => state.tab === 'services' && renderServices(state),
      inspector: () => {
        renderInspector(state, {
          instance: state.scenario.instances.find((i) => i.containerInstanceArn === state.selected) ?? null,
          usage: shown().view.instances.find((i) => i.containerInstanceArn === state.selected) ?? null,
          fate: state.selected ? shown().marks?.get(state.selected) ?? null : null,
        });
      },
    };
    for (const [name, render] of Object.entries(views)) {
      try {
        render();
        status.clear(`view-${name}`);
      } catch (error) {
        status.show(`view-${name}`, 'error', `Drawing the ${name} failed: ${describeError(error).message}`);
        console.error(error);
      }
    }
    if (page) {
      $('cluster-name').textContent = state.base.label || '—';
      document.documentElement.dataset.phase = state.phase;
    }
    onRender?.(state);
  });

  if (page) {
    window.addEventListener('hashchange', async () => {
      store.update({ phase: 'restoring' });
      await link.boot();
      store.update({ phase: 'ready' });
    });
  }
  root.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && store.get().selected && !$('cluster-dialog').open && (event.target.closest?.('#bins') || $('inspector').contains(event.target))) {
      query.select(store.get().selected);
    }
  });

  await nextTask();
  await link.boot();
  store.update({ phase: 'ready' });
  link.follow();
  // Shown in two frames, the stage first: the first layout of a page is slow (fonts, styles), and
  // halves of it stay short tasks.
  $('boot').hidden = true;
  $('stage').hidden = false;
  store.flush();
  await nextFrame();
  $('controls').hidden = false;
  for (const id of ['cluster-menu-button', 'share-button']) if ($(id)) $(id).disabled = false;
  store.update({ controlsShown: true }); // the panels draw (and measure) now that they show
  store.flush();
  if (page && store.get().run?.status === 'done' && store.get().step >= 0) revealStage();
  return { store, engine, runs, cluster, query, link };
}

/** Waits for the next frame to be painted. */
export function nextFrame() {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

/** Lets the browser paint and handle input between the steps of starting (no long task). */
export function nextTask() {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function attempt(call, fallback) {
  try {
    return call();
  } catch {
    return fallback;
  }
}
