// The engine's worker: runs the long calls of engine.js on its own thread. It receives the
// compiled module once (`{op: 'init', module}`), then calls `{id, op, args, scenario?}` and
// answers `{id, result}` or `{id, error}`; `runScript` also posts `{id, progress}` after each
// command. A trap (a bug in the core) is answered as `{crashed: true}` and the module is
// instantiated again for the next call.
//
// Calls on a cluster (`scenario: {key, value?}`) run on a Session: the scenario read into the
// module once and kept there under its key, so a cluster crosses the boundary once instead of on
// every call. The page sends `value` only for a key it has not sent to this worker; a key the
// worker no longer holds is answered `{id, miss: true}` and the page sends the value again. A
// run (`resultKey`) keeps the cluster it leaves under that key, for the calls on its result.

import init, * as bindings from '../pkg/ecs_placement_wasm.js';

const CALLS = new Set(['runScript', 'explainTask', 'explainEditTask', 'filter', 'explain', 'loadPreset', 'parseScenario', 'clusterView']);
/** How many clusters the worker keeps (the oldest used is dropped first). */
const KEPT = 8;
let ready = null;
let module = null;
let generation = 0;
let current = bindings;
/** key → Session, least recently used first. */
let sessions = new Map();

self.addEventListener('message', async ({ data }) => {
  if (data.op === 'init') {
    module = data.module;
    ready = init({ module_or_path: module });
    return;
  }
  const { id, op, args, scenario, resultKey } = data;
  try {
    await ready;
    if (!CALLS.has(op)) throw new Error(`the worker has no call \`${op}\``);
    const extra = op === 'runScript' ? [(progress) => self.postMessage({ id, progress })] : [];
    if (!scenario) {
      self.postMessage({ id, result: current[op](...args, ...extra) });
      return;
    }
    const session = sessionOf(scenario);
    if (!session) {
      self.postMessage({ id, miss: true });
      return;
    }
    const target = resultKey ? session.fork() : session;
    let result;
    try {
      result = target[op](...args, ...extra);
    } catch (error) {
      if (target !== session && !(error instanceof WebAssembly.RuntimeError)) target.free();
      throw error;
    }
    if (resultKey) keep(resultKey, target);
    self.postMessage({ id, result });
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError) {
      self.postMessage({ id, error: { crashed: true, call: op, message: error.message } });
      await restart();
      return;
    }
    self.postMessage({ id, error: { message: error?.message ?? String(error), fields: fieldsOf(error) } });
  }
});

/** The session of `{key, value?}`: kept, or read from `value`; null when neither. */
function sessionOf({ key, value }) {
  const kept = sessions.get(key);
  if (kept) {
    sessions.delete(key);
    sessions.set(key, kept);
    return kept;
  }
  if (value === undefined) return null;
  const session = new current.Session(value);
  keep(key, session);
  return session;
}

/** Keeps `session` under `key`, dropping the least recently used beyond KEPT. */
function keep(key, session) {
  sessions.get(key)?.free();
  sessions.delete(key);
  sessions.set(key, session);
  for (const [oldest, dropped] of sessions) {
    if (sessions.size <= KEPT) break;
    sessions.delete(oldest);
    dropped.free();
  }
}

/** A fresh instance of the bindings after a trap (new module state, same compiled module). */
async function restart() {
  generation += 1;
  sessions = new Map(); // they lived in the trapped instance
  const fresh = await import(`../pkg/ecs_placement_wasm.js?instance=${generation}`);
  ready = fresh.default({ module_or_path: module });
  await ready;
  current = fresh;
}

/** The core's error fields (`kind`, `exception`, `path`, `diagnostics`, `hint`), cloneable. */
function fieldsOf(error) {
  const fields = {};
  for (const key of ['kind', 'exception', 'path', 'diagnostics', 'hint', 'sourceText']) {
    if (error && error[key] !== undefined) fields[key] = structuredClone(error[key]);
  }
  return fields;
}
