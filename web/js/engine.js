// The one door to the WebAssembly core. Cheap calls (highlighting, checking an expression,
// loading a preset, editing the cluster, the bins' figures) run synchronously on the page; long
// ones (running commands, explaining a task, evaluating an expression over a large cluster) run
// in a Web Worker, with progress and a Stop that terminates the worker and starts a fresh one.
//
// The worker keeps the clusters it has read (see engine-worker.js): a scenario object the page
// has already sent to it, or one a run there returned, crosses again only as a key.
//
// The module is fetched and compiled once and shared with the worker. It leaves out what few
// visits use: `--query`, `--output text|table`, importing AWS output, the AWS CLI commands that
// no use case, builder or button of the page runs (`describe-clusters`, `start-task`, ...) and
// the generated fleets (`fleet-300`, `fleet-1000`). The first call that needs them fails with
// the error kind `featureLeftOut` before anything runs; the page then fetches the full module
// (the same engine with everything, about 1.2 times the download) and runs that call, and the
// worker's later ones, on it (see engine-modules.js). A cluster of LARGE_CLUSTER instances or more
// also fetches the same engine optimised for speed, with everything (about 2 times the
// download, long runs in 0.6-0.7 times the time), and the worker runs on it from then on; pages
// that need neither download only the first module. The built-in scenarios and
// the use cases' scripts are not compiled into it: they are static files (`pkg/presets/`, copied
// there by `cargo xtask build-web`) fetched once with the module; `loadPreset` hands the core the
// text of the preset's file, and `examples` gives each use case its script and files. Every call is guarded: an
// error from the core is an `Error` with `{kind, exception?, path?, diagnostics?}`; a trap inside
// the module (a bug) is reported as an EngineCrash, and the module is instantiated again so the
// next call works — the page's state lives in the store, so nothing is lost.

import { EngineCrash } from './engine-errors.js';
import { compile, instantiate, loadFast, loadFull, loadFullBindings } from './engine-modules.js';
import { createWorkerClient, sameScenario } from './worker-client.js';

export { EngineCrash, Stopped } from './engine-errors.js';

const PKG = new URL('../pkg/', import.meta.url);
const PRESETS_URL = new URL('presets/', PKG);
/** The error kind of a call that needs what the first module leaves out (nothing ran). */
const LEFT_OUT = 'featureLeftOut';

/** From how many instances a cluster's long work runs on the module optimised for speed. */
const LARGE_CLUSTER = 1000;

const SYNC_CALLS = [
  'tokenize', 'check', 'clusterView', 'presets', 'parseScenario',
  'drawSeed', 'applyEdit', 'instanceTypes', 'composeRun', 'parseRun',
];

/** The compiled module and the page's bindings: one per page, however many playgrounds it holds. */
let shared = null;

function loadShared() {
  shared ??= compile().then(async (module) => {
    const bindings = await instantiate(module, 0);
    return { module, bindings, generation: 0, files: await fetchPresetFiles(bindings) };
  })
    .catch((error) => {
      shared = null; // a later playground may try again (e.g. after a network failure)
      throw error;
    });
  return shared;
}

/**
 * An engine for one playground: the page's module (fetched and compiled once per page, shared by
 * every playground on it) and a worker of its own (so Stop in one never stops another).
 * @param {{onCrash?: (error: EngineCrash) => void}} hooks
 */
export async function createEngine({ onCrash = () => {} } = {}) {
  const page = await loadShared();
  const { module } = page;
  const worker = createWorkerClient(module);
  let upgrading = false;

  /** Moves the worker to the module optimised for speed once a cluster is large. */
  function considerSpeed(scenario) {
    if (upgrading || !((scenario?.instances?.length ?? 0) >= LARGE_CLUSTER)) return;
    upgrading = true;
    loadFast(page).then((fast) => {
      if (fast) worker.useModule(fast, 'fast');
    });
  }

  /**
   * A worker call; the cluster it is given, or the one a run leaves (before the next call on
   * it), may move the worker to the fast module.
   */
  async function inWorker(op, args, options = {}) {
    considerSpeed(options.scenario);
    let result;
    try {
      result = await worker.call(op, args, options);
    } catch (error) {
      if (error?.kind !== LEFT_OUT) throw error;
      const full = await loadFull(page);
      if (!full) throw error;
      if (worker.moduleName() === 'page') worker.useModule(full, 'full');
      result = await worker.call(op, args, options);
    }
    if (op === 'runScript') considerSpeed(result?.scenario);
    return result;
  }

  function recover(call, cause) {
    const crash = new EngineCrash(call, cause);
    page.generation += 1;
    const next = page.generation;
    instantiate(module, next).then((fresh) => {
      if (page.generation === next) page.bindings = fresh;
    }).catch(() => {});
    onCrash(crash);
    return crash;
  }

  function guarded(name, ...args) {
    const { bindings } = page;
    if (typeof bindings[name] !== 'function') throw new Error(`the engine has no \`${name}\``);
    try {
      return bindings[name](...args);
    } catch (error) {
      if (error instanceof WebAssembly.RuntimeError) throw recover(name, error);
      if (error?.kind === LEFT_OUT && page.fullBindings) return onFull(page.fullBindings, name, args);
      if (error?.kind === LEFT_OUT) loadFullBindings(page).catch(() => {});
      throw error;
    }
  }

  /** A page call that may need the full module: fetched and instantiated on the page when it does. */
  async function withFull(name, ...args) {
    try {
      return guarded(name, ...args);
    } catch (error) {
      if (error?.kind !== LEFT_OUT) throw error;
      const full = await loadFullBindings(page);
      if (!full) throw error;
      return onFull(full, name, args);
    }
  }

  /** A call on the full module's bindings; after a trap they are instantiated again when next needed. */
  function onFull(full, name, args) {
    try {
      return full[name](...args);
    } catch (error) {
      if (!(error instanceof WebAssembly.RuntimeError)) throw error;
      page.fullBindings = null;
      page.fullBindingsLoading = null;
      const crash = new EngineCrash(name, error);
      onCrash(crash);
      throw crash;
    }
  }

  const engine = {};
  for (const name of SYNC_CALLS) engine[name] = (...args) => guarded(name, ...args);
  const { files } = page;
  Object.assign(engine, {
    /** A scenario from AWS output (`describe-container-instances`, `describe-tasks`): resolves with `{scenario, warnings}`. */
    importAws: (instances, tasks) => withFull('importAws', instances, tasks),
    /** A built-in scenario, from the text of its file. */
    loadPreset: (name) => guarded('loadPreset', name, presetText(files, page.bindings, name)),
    /** The same, resolved: on the full module when the first one leaves the preset out (the generated fleets). */
    presetScenario: (name) => withFull('loadPreset', name, presetText(files, page.bindings, name)),
    /**
     * The builder's spec of a script's last run-task (`parseRun`), resolved: on the full module
     * when the run-task asks for `--query` or `--output text|table`.
     */
    runSpec: (scenario, script, options) => withFull('parseRun', scenario, script, options),
    /** The use cases, each with its script and its files (`[[name, content]]`) fetched. */
    examples: () => withFiles(files, guarded('examples')),
    /** Runs a script in the worker: resolves with the run's timeline (see `runScript`). */
    run: (scenario, script, options, { onProgress } = {}) =>
      inWorker('runScript', [script, options], { onProgress, scenario, keepResult: true }),
    /** The full explanation of one task of a placement command (see `explainTask`). */
    explainTask: (scenario, words, options, attempt) => inWorker('explainTask', [words, options, attempt], { scenario }),
    /** The full explanation of a task the scheduler placed after a cluster edit (see `explainEditTask`). */
    explainEditTask: (scenario, edit, step, attempt) => inWorker('explainEditTask', [edit, step, attempt], { scenario }),
    /** Evaluates an expression on every instance, in the worker (see `filter`). */
    filter: (scenario, source, tables) => inWorker('filter', [source, tables], { scenario, replace: 'filter' }),
    /** The truth table of an expression on one instance, in the worker (see `explain`). */
    explainInstance: (scenario, source, instance) => inWorker('explain', [source, instance], { scenario, replace: 'explain' }),
    /**
     * A cluster and its view, prepared in the worker (loading one on the page at start would be
     * a long task: the engine's code is compiled on its first call). `source`: a preset name, or
     * scenario JSON text.
     */
    async prepareCluster(source) {
      const scenario = source.preset
        ? await inWorker('loadPreset', [source.preset, presetText(files, page.bindings, source.preset)])
        : await inWorker('parseScenario', [source.json]);
      return { scenario, view: await inWorker('clusterView', [], { scenario }) };
    },
    /**
     * Declares that `copy` (e.g. a shallow copy with the same fields) is the same cluster as
     * `original`, so calls on it reuse what the worker keeps for `original`.
     */
    sameScenario,
    /** How many cluster calls sent their scenario, and how many sent only its key (for tests). */
    scenarioTraffic: () => worker.traffic(),
    /**
     * Which module the worker runs on: `'page'` (optimised for size), `'full'` (the same with
     * what it leaves out) or `'fast'` (see LARGE_CLUSTER).
     */
    workerModule: () => worker.moduleName(),
    /** Ends every call in progress (they reject with `Stopped`) and starts a fresh worker. */
    stop: () => worker.restart(),
    /** Ends the worker for good (a playground removed from its page). */
    dispose: () => worker.restart(),
  });
  return engine;
}

/**
 * The preset files the core names (each preset's file, each use case's script and files),
 * fetched in parallel: name → `{text}`, or `{error}` when one could not be fetched (the preset
 * or use case that needs it then says so; the rest of the page works).
 */
async function fetchPresetFiles(bindings) {
  const names = new Set(bindings.presets().map((p) => p.file));
  for (const example of bindings.examples()) {
    names.add(example.scriptFile);
    for (const file of example.files) names.add(file);
  }
  const entries = await Promise.all([...names].map(async (name) => {
    const url = new URL(name, PRESETS_URL);
    try {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return [name, { text: await response.text() }];
    } catch (error) {
      return [name, { error: `cannot load ${url.pathname}: ${error.message}` }];
    }
  }));
  return new Map(entries);
}

/** The text of the file of preset `name` (an unknown name is left for the core to refuse). */
function presetText(files, bindings, name) {
  const file = bindings.presets().find((p) => p.name === name)?.file;
  if (file === undefined) return undefined;
  const fetched = files.get(file);
  if (fetched?.text === undefined) throw new Error(fetched?.error ?? `the preset file \`${file}\` was not fetched`);
  return fetched.text;
}

/** The use cases whose files were fetched, in the shape the page uses: `{..., script, files: [[name, content]]}`. */
function withFiles(files, examples) {
  const text = (name) => files.get(name)?.text;
  return examples
    .filter((e) => text(e.scriptFile) !== undefined && e.files.every((f) => text(f) !== undefined))
    .map(({ scriptFile, files: names, ...example }) => ({
      ...example,
      script: text(scriptFile),
      files: names.map((name) => [name, text(name)]),
    }));
}
