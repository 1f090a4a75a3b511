// Actions on the cluster and its history: load a preset or a scenario (the base), edit the
// cluster, change the seed, and record runs. Every change is a journal entry (a run, an edit, a
// seed) with the cluster before it kept for Undo; the journal is what a share link replays.

import { describeError } from './errors.js';
import { shortId } from './format.js';

const MAX_HISTORY = 100;

/**
 * @param {{store: object, engine: object, status: object, hooks?: {scheduled?: Function}}} deps
 *   `hooks.scheduled(change, outcome, before, after)`: called when the service scheduler acted
 *   after an edit (set by the playground once the run actions exist)
 */
export function createClusterActions({ store, engine, status, hooks = {} }) {
  /** Replaces the cluster and forgets the history (a new base). `view`: when already known. */
  function setBase(base, scenario, { keepUseCase = false, view = engine.clusterView(scenario) } = {}) {
    store.update((s) => ({
      base, scenario, view, journal: [], history: [], run: null, step: -1, playing: false, explanation: null,
      highlight: null, usecase: keepUseCase ? s.usecase : null,
      selected: scenario.instances.some((i) => i.containerInstanceArn === s.selected) ? s.selected : null,
    }));
  }

  /** Loads a preset (`options.scenario`: when already loaded); the base keeps it for Reset. */
  function loadPreset(name, options = {}) {
    const scenario = options.scenario ?? engine.loadPreset(name);
    setBase({ preset: name, label: name, scenario }, scenario, options);
  }

  function loadScenario(scenario, label, options = {}) {
    setBase({ preset: null, scenario, label }, scenario, options);
  }

  /** Records a change: the journal entry, the cluster before it (for Undo) and the cluster after. */
  function record(entry, before, after) {
    store.update((s) => {
      const journal = [...s.journal, entry];
      const history = [...s.history, before];
      if (history.length > MAX_HISTORY) {
        // Past the limit the oldest change can no longer be undone, but links still replay it.
        history[0] = null;
      }
      return { journal, history, scenario: after.scenario, view: after.view };
    });
  }

  /**
   * Applies a cluster edit (`{type: 'addInstances', ...}`, see the core's `ClusterEdit`).
   * `quiet`: no message (replaying a link's history).
   */
  function edit(change, { quiet = false } = {}) {
    const { scenario, view } = store.get();
    let outcome;
    try {
      outcome = engine.applyEdit(scenario, change);
    } catch (error) {
      const { message, path } = describeError(error);
      status.show('edit', 'error', `The change was not made: ${message}`, { path });
      return null;
    }
    if (!quiet) status.show('edit', 'info', [outcome.summary, ...(outcome.warnings ?? [])].join(' '), { timeout: 6000 });
    leaveRun();
    const after = { scenario: outcome.scenario, view: engine.clusterView(outcome.scenario) };
    record({ type: 'edit', edit: change }, { scenario, view }, after);
    if (!quiet) hooks.scheduled?.(change, outcome, { scenario, view }, after);
    return outcome;
  }

  /** Sets the seed of every later random choice (consecutive changes make one journal entry). */
  function setSeed(seed) {
    const s = store.get();
    const scenario = { ...s.scenario, seed };
    const last = s.journal[s.journal.length - 1];
    if (last?.type === 'seed') {
      store.update({ scenario, journal: [...s.journal.slice(0, -1), { type: 'seed', seed }] });
    } else {
      record({ type: 'seed', seed }, { scenario: s.scenario, view: s.view }, { scenario, view: s.view });
    }
  }

  /** The run on show stays in the results but its steps no longer match the cluster. */
  function leaveRun() {
    store.update((s) => (s.run ? { run: { ...s.run, undone: s.run.status === 'done' }, step: -1, playing: false, explanation: null } : null));
  }

  function undo() {
    const s = store.get();
    const before = s.history[s.history.length - 1];
    if (!before) return;
    const entry = s.journal[s.journal.length - 1];
    store.update({
      journal: s.journal.slice(0, -1), history: s.history.slice(0, -1),
      scenario: before.scenario, view: before.view,
      run: entry?.type === 'run' && s.run ? { ...s.run, undone: true } : s.run,
      step: -1, playing: false, explanation: null,
    });
    status.show('edit', 'info', `Undone: ${describeEntry(entry)}.`, { timeout: 5000 });
  }

  function reset() {
    const { base } = store.get();
    if (base.preset) loadPreset(base.preset, { keepUseCase: true, scenario: base.scenario });
    else loadScenario(base.scenario, base.label);
  }

  return { loadPreset, loadScenario, record, edit, setSeed, undo, reset, leaveRun };
}

/** The seed a seed field's text names (a whole number from 0 to 2^53 − 1), or null. */
export function parseSeed(text) {
  const value = Number(text);
  return String(text).trim() !== '' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

/** A journal entry in a few words (the journal list, and what Undo took back). */
export function describeEntry(entry) {
  switch (entry?.type) {
    case 'run': return `Ran ${entry.script.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#')).length} command line(s)${entry.usecase ? ` (use case ${entry.usecase})` : ''}`;
    case 'seed': return `Seed set to ${entry.seed}`;
    case 'edit': return editText(entry.edit);
    default: return 'the last change';
  }
}

function editText(edit) {
  switch (edit.type) {
    case 'addInstances': return `Added ${edit.count} ${edit.instanceType} in ${edit.availabilityZone}`;
    case 'cloneInstance': return `Cloned ${shortId(edit.instance)}`;
    case 'removeInstance': return `Removed ${shortId(edit.instance)}`;
    case 'setStatus': return `${edit.status === 'DRAINING' ? 'Drained' : 'Activated'} ${shortId(edit.instance)}`;
    case 'setAgentConnected': return `${edit.connected ? 'Connected' : 'Disconnected'} the agent of ${shortId(edit.instance)}`;
    case 'putAttribute': return `Set ${edit.name}${edit.value === null ? '' : `=${edit.value}`} on ${shortId(edit.instance)}`;
    case 'deleteAttribute': return `Deleted ${edit.name} from ${shortId(edit.instance)}`;
    case 'stopTask': return `Stopped task ${shortId(edit.task)}`;
    default: return 'Changed the cluster';
  }
}
