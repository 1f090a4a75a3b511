// The "Run commands" tab: the blog use cases, the console (AWS CLI commands as the docs print
// them), Run, what-if, the seed, and the results of the last run.

import { parseSeed } from './cluster-actions.js';
import { focused, h, replaceChildren } from './dom.js';
import { renderResults, runAnnouncement, runStatusText } from './run-results.js';

/**
 * @param {{$: (id: string) => HTMLElement, store: object, engine: object, runs: object, cluster: object, actions: object, status: object}} deps
 *   `actions`: `{chooseUseCase(name), runConsole(), showCommand(index), useAsQuery(expression)}`
 */
export function createConsolePanel({ $, store, engine, cluster, actions, status }) {
  const input = $('console-input');
  const whatIf = $('what-if');
  const seed = $('seed-input');
  let chipsFor = null;
  let announced = null;

  input.addEventListener('input', () => store.update({ console: input.value }));
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.isComposing) {
      event.preventDefault();
      actions.runConsole();
    }
  });
  $('run-button').addEventListener('click', () => actions.runConsole());
  whatIf.addEventListener('change', () => store.update({ whatIf: whatIf.checked }));
  seed.addEventListener('change', () => {
    const value = parseSeed(seed.value);
    if (value !== null) cluster.setSeed(value);
    else seed.value = String(store.get().scenario?.seed ?? '');
  });
  $('new-seed').addEventListener('click', () => {
    try {
      cluster.setSeed(engine.drawSeed());
    } catch (error) {
      status.show('seed', 'error', `Drawing a seed failed: ${error.message}`);
    }
  });

  const resultActions = {
    onShowPlacements: (commandIndex) => actions.showCommand(commandIndex),
    onUseAsQuery: (expression) => actions.useAsQuery(expression),
  };

  return function render(state) {
    if (chipsFor !== state.examples) {
      chipsFor = state.examples;
      replaceChildren($('usecases'), state.examples.map((example) => {
        const chip = h('button', { type: 'button', class: 'chip chip--usecase', title: example.title, 'aria-pressed': 'false', dataset: { name: example.name }, 'data-testid': 'usecase' },
          useCaseLabel(example));
        chip.addEventListener('click', () => actions.chooseUseCase(example.name));
        return h('li', {}, chip);
      }));
    }
    for (const chip of $('usecases').querySelectorAll('.chip')) chip.setAttribute('aria-pressed', String(chip.dataset.name === state.usecase));
    if (input.value !== state.console && !focused(input)) input.value = state.console;
    whatIf.checked = state.whatIf;
    if (!focused(seed)) seed.value = String(state.scenario?.seed ?? '');
    const running = state.run?.status === 'running';
    $('run-button').disabled = running;
    $('run-button').textContent = running ? 'Running…' : 'Run';
    renderNote(state);
    const statusText = runStatusText(state.run);
    if ($('run-status').textContent !== statusText) $('run-status').textContent = statusText;
    renderResults($('run-results'), state.run, resultActions);
    const announcement = state.run?.status === 'running' ? null : `${state.run?.id}|${state.run?.status}`;
    if (announcement && announcement !== announced) {
      announced = announcement;
      const region = $('run-announce');
      region.textContent = '';
      setTimeout(() => { region.textContent = runAnnouncement(store.get().run); }, 50);
    }
  };

  function renderNote(state) {
    const note = $('usecase-note');
    const example = state.examples.find((e) => e.name === state.usecase);
    note.hidden = !example;
    if (!example) return;
    const key = `${example.name}|${state.console === example.script}`;
    if (note.dataset.key === key) return;
    note.dataset.key = key;
    const files = example.files ?? [];
    replaceChildren(note,
      h('p', { class: 'usecase-note__title' }, h('strong', {}, example.title), state.console === example.script ? null : h('span', { class: 'muted' }, ' (edited)')),
      h('p', { class: 'usecase-note__meta' }, 'On the built-in cluster ', h('code', {}, example.preset),
        files.length ? [' · bundled ', files.map(([name], i) => [i ? ', ' : '', h('code', {}, name)])] : null,
        '. Press ', h('strong', {}, 'Play'), ' (or Run) to watch the tasks placed.'),
      files.length
        ? h('details', { class: 'usecase-note__files' }, h('summary', {}, 'Show the bundled files'),
          files.map(([name, content]) => [h('p', {}, h('code', {}, `file://${name}`)), h('pre', { class: 'command' }, content)]))
        : null);
  }
}

/** "Jake" from "Jake: spread over zones, binpack memory". */
export function useCaseLabel(example) {
  const head = example.title.split(':')[0];
  if (head !== example.title) return head;
  return { 'task-placement-post': 'Task Placement post' }[example.name] ?? example.name;
}
