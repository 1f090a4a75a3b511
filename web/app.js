// ECS Placement Playground, the page: loads the engine, mounts the playground on the document
// (js/playground.js) and reports a failure to start in place of the page.

import { h, replaceChildren } from './js/dom.js';
import { createEngine } from './js/engine.js';
import { describeError } from './js/errors.js';
import { mountPlayground, nextTask } from './js/playground.js';
import { createStatus } from './js/status.js';

const $ = (id) => document.getElementById(id);

window.__playgroundReady = false;

async function boot() {
  const status = createStatus($('status-area'));
  window.addEventListener('error', (event) => status.show('page', 'error', `Unexpected error: ${event.message}`));
  window.addEventListener('unhandledrejection', (event) => status.show('page', 'error', `Unexpected error: ${describeError(event.reason).message}`));
  let engine;
  try {
    engine = await createEngine({ onCrash: (crash) => status.show('engine', 'error', crash.message) });
  } catch (error) {
    showBootFailure(error);
    return;
  }
  await nextTask();
  try {
    window.__playground = await mountPlayground({ root: document, engine, status, mode: 'page' });
  } catch (error) {
    showBootFailure(error, 'The playground failed while starting.');
    return;
  }
  window.__playgroundReady = true;
  document.documentElement.dataset.ready = 'true';
}

function showBootFailure(error, title = 'The WebAssembly engine could not be loaded.') {
  const { message } = describeError(error);
  window.__playgroundError = message;
  $('cluster-name').textContent = 'Unavailable';
  const el = $('boot');
  el.classList.add('boot--failed');
  el.setAttribute('role', 'alert');
  replaceChildren(el,
    h('h2', { class: 'boot__title' }, title),
    h('p', {}, 'The page needs its WebAssembly bundle in ', h('code', {}, 'pkg/'), ', which is generated. Build and serve the playground with ',
      h('code', {}, 'cargo xtask serve'), ' and open the address it prints.'),
    h('p', { class: 'boot__detail' }, h('code', {}, message)));
}

boot();
