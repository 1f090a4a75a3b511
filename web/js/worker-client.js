// The engine's worker seen from the page: calls out, answers and progress back, Stop, the idle
// timeout, and the keys of the clusters the worker keeps (see engine-worker.js), so a scenario
// object the worker has read crosses again only as its key.

import { EngineCrash, Stopped } from './engine-errors.js';

/** How long an idle worker lives (a page of many embeds keeps few workers). */
const IDLE_MS = 15_000;

/** The key of each scenario object sent to or returned by a worker (shared by every worker). */
const scenarioKeys = new WeakMap();
let nextKey = 1;

/**
 * Declares that `copy` (e.g. a shallow copy with the same fields) is the same cluster as
 * `original`, so calls on it reuse what the worker keeps for `original`.
 */
export function sameScenario(copy, original) {
  scenarioKeys.set(copy, keyOf(original));
}

function keyOf(scenario) {
  let key = scenarioKeys.get(scenario);
  if (key === undefined) {
    key = nextKey++;
    scenarioKeys.set(scenario, key);
  }
  return key;
}

/**
 * The worker and its calls: `{id, op, args, scenario?, resultKey?}` out; `{id, progress}`,
 * `{id, result}`, `{id, miss}` or `{id, error}` back. The worker starts on the first call and
 * ends after IDLE_MS without calls. `held` is the keys this worker has been sent (it may have
 * dropped some since: it then answers `miss` and the call is sent again with the scenario).
 */
export function createWorkerClient(module) {
  let worker = null;
  let moduleName = 'page';
  let moveWhenIdle = false;
  let nextId = 1;
  let idle = null;
  let held = new Set();
  const traffic = { sent: 0, keyOnly: 0 };
  const pending = new Map(); // id → {op, args, scenario, resultKey?, resolve, reject, onProgress, replace}
  /** Calls made while the worker finishes its calls before moving to another module: they run on that one. */
  let waiting = new Map();

  function settled() {
    clearTimeout(idle);
    if (pending.size > 0) return;
    if (moveWhenIdle) {
      const queued = waiting;
      waiting = new Map();
      restart();
      for (const [id, call] of queued) dispatch(id, call);
    } else {
      idle = setTimeout(() => pending.size === 0 && restart(), IDLE_MS);
    }
  }

  /** Sends a call to the worker (started when there is none). */
  function dispatch(id, call) {
    if (!worker) start();
    pending.set(id, call);
    send(id, call);
  }

  function start() {
    worker = new Worker(new URL('./engine-worker.js', import.meta.url), { type: 'module' });
    held = new Set();
    worker.postMessage({ op: 'init', module });
    worker.addEventListener('message', ({ data }) => {
      const call = pending.get(data.id);
      if (!call) return;
      if (data.progress) {
        call.onProgress?.(data.progress);
        return;
      }
      if (data.miss) {
        send(data.id, call, { withScenario: true });
        return;
      }
      pending.delete(data.id);
      if ('error' in data) {
        call.reject(revive(data.error));
      } else {
        if (call.resultKey !== undefined) keepResultKey(data.result, call.resultKey);
        call.resolve(data.result);
      }
      settled(); // last: a worker moving to another module ends here, forgetting what it held
    });
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      failAll(new Error(`the engine worker failed: ${event.message ?? 'unknown error'}`));
      restart();
    });
  }

  /**
   * A run's final cluster is kept in the worker under `key`: the timeline's `scenario` and the
   * last command's that changed the cluster are both that cluster.
   */
  function keepResultKey(trace, key) {
    if (!trace?.scenario) return;
    scenarioKeys.set(trace.scenario, key);
    const last = (trace.commands ?? []).findLast((command) => command.scenario);
    if (last) scenarioKeys.set(last.scenario, key);
    held.add(key);
  }

  /** Posts a call; its scenario as a key alone when this worker was sent it before. */
  function send(id, call, { withScenario = false } = {}) {
    const message = { id, op: call.op, args: call.args };
    if (call.scenario) {
      const key = keyOf(call.scenario);
      const value = withScenario || !held.has(key) ? call.scenario : undefined;
      message.scenario = value === undefined ? { key } : { key, value };
      if (value === undefined) traffic.keyOnly += 1;
      else traffic.sent += 1;
      held.add(key);
    }
    if (call.resultKey !== undefined) message.resultKey = call.resultKey;
    worker.postMessage(message);
  }

  function failAll(error) {
    for (const call of [...pending.values(), ...waiting.values()]) call.reject(error);
    pending.clear();
    waiting.clear();
  }

  function restart() {
    worker?.terminate();
    worker = null;
    moveWhenIdle = false;
    held = new Set();
    failAll(new Stopped());
  }

  return {
    call(op, args, { onProgress = null, replace = null, scenario = null, keepResult = false } = {}) {
      clearTimeout(idle);
      if (replace) {
        for (const calls of [pending, waiting]) {
          for (const [id, call] of calls) {
            if (call.replace === replace) {
              calls.delete(id);
              call.reject(new Stopped('replaced by a newer call'));
            }
          }
        }
      }
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const call = { op, args, scenario, resolve, reject, onProgress, replace };
        if (keepResult) call.resultKey = nextKey++;
        if (moveWhenIdle) waiting.set(id, call);
        else dispatch(id, call);
      });
    },
    /**
     * Runs the calls from now on on `next` (a compiled module with the same bindings, named
     * `name`): a live worker ends once its calls are answered (with the memory it holds); calls
     * made meanwhile wait for it, then start a worker on `next`, sending their clusters again.
     */
    useModule(next, name) {
      module = next;
      moduleName = name;
      if (!worker) return;
      if (pending.size === 0) restart();
      else moveWhenIdle = true;
    },
    moduleName: () => moduleName,
    traffic: () => ({ ...traffic }),
    restart,
  };
}

/** Errors cross from the worker as plain objects; give them back their class and fields. */
function revive(data) {
  if (data?.crashed) return new EngineCrash(data.call, { message: data.message });
  const error = new Error(data?.message ?? 'unknown error');
  Object.assign(error, data?.fields ?? {});
  return error;
}
