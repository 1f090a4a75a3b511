// The engine's worker: runs the long calls of engine.js on its own thread. It receives the
// compiled module once (`{op: 'init', module}`), then calls `{id, op, args}` and answers
// `{id, result}` or `{id, error}`; `runScript` also posts `{id, progress}` after each command.
// A trap (a bug in the core) is answered as `{crashed: true}` and the module is instantiated
// again for the next call.

import init, * as bindings from '../pkg/ecs_placement_wasm.js';

const CALLS = new Set(['runScript', 'explainTask', 'explainEditTask', 'filter', 'explain', 'loadPreset', 'parseScenario', 'clusterView']);
let ready = null;
let module = null;
let generation = 0;
let current = bindings;

self.addEventListener('message', async ({ data }) => {
  if (data.op === 'init') {
    module = data.module;
    ready = init({ module_or_path: module });
    return;
  }
  const { id, op, args } = data;
  try {
    await ready;
    if (!CALLS.has(op)) throw new Error(`the worker has no call \`${op}\``);
    const extra = op === 'runScript' ? [(progress) => self.postMessage({ id, progress })] : [];
    const result = current[op](...args, ...extra);
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

/** A fresh instance of the bindings after a trap (new module state, same compiled module). */
async function restart() {
  generation += 1;
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
