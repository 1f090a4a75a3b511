// Actions of a run: run the console's (or the builder's) commands in the worker, stop them, and
// step through the placements (go, play, pause, speed). The step on show gets its full
// explanation from the core on demand; explanations are cached per run.

import { Stopped } from './engine.js';
import { buildTimeline, explainRequest } from './timeline.js';

/** Milliseconds per task at 1×. */
export const STEP_MS = 900;
const MAX_CACHED = 400;

/**
 * @param {{store: object, engine: object, status: object, history: object, reducedMotion: () => boolean}} deps
 */
export function createRunActions({ store, engine, status, history, reducedMotion }) {
  let runs = 0;
  let timer = null;
  const explanations = new Map(); // `${runId}|${key}` → explanation

  /** The files a use case's script reads with `file://`. */
  function filesOf(usecase) {
    const example = store.get().examples.find((e) => e.name === usecase);
    return Object.fromEntries(example?.files ?? []);
  }

  /**
   * Runs a script on the current cluster. Resolves when done (or stopped); a failure never loses
   * the cluster. `replay` runs quietly (restoring a link): no autoplay.
   */
  async function run(script, { usecase = null, whatIf = false, replay = false, step = null } = {}) {
    const state = store.get();
    if (state.run?.status === 'running') return false;
    const id = ++runs;
    const start = { scenario: state.scenario, view: state.view };
    pause();
    store.update({
      run: { id, status: 'running', progress: null, script, usecase, whatIf },
      step: -1, explanation: null, highlight: null,
    });
    let trace;
    try {
      trace = await engine.run(start.scenario, script, { keepGoing: true, whatIf, files: filesOf(usecase) }, {
        onProgress: (progress) => store.update((s) => (s.run?.id === id ? { run: { ...s.run, progress } } : null)),
      });
    } catch (error) {
      const stopped = error instanceof Stopped;
      store.update((s) => (s.run?.id === id ? { run: { ...s.run, status: stopped ? 'stopped' : 'failed', error: stopped ? null : error.message } } : null));
      if (!stopped && error.name === 'EngineCrash') status.show('engine', 'error', error.message);
      return false;
    }
    const seeded = { scenario: { ...start.scenario, seed: trace.seed }, view: start.view };
    if (start.scenario.seed === trace.seed) engine.sameScenario(seeded.scenario, start.scenario);
    const timeline = buildTimeline(trace, seeded);
    history.record({ type: 'run', script, usecase, whatIf }, seeded, { scenario: trace.scenario, view: timeline.end.view });
    const count = timeline.steps.length;
    const first = step !== null ? clampStep(step, count) : count > 0 ? 0 : -1;
    store.update({
      run: { id, status: 'done', progress: null, script, usecase, whatIf, timeline },
      step: first,
      playing: false,
    });
    if (!replay && count > 1 && !reducedMotion()) play();
    else explainStep();
    return true;
  }

  function clampStep(step, count) {
    if (count === 0 || step === 0) return -1;
    return Math.min(count - 1, Math.max(0, step - 1));
  }

  function stop() {
    engine.stop();
  }

  function timeline() {
    const { run: current } = store.get();
    return current?.status === 'done' ? current.timeline : null;
  }

  /** Shows step `index` (clamped); -1 shows the cluster after the run. */
  function go(index, { fromTimer = false } = {}) {
    const t = timeline();
    if (!t) return;
    if (!fromTimer) pause();
    const target = index < 0 ? -1 : Math.min(t.steps.length - 1, index);
    store.update({ step: target, highlight: null });
    explainStep();
  }

  /** Moves `delta` tasks from the one on show (the keyboard and the previous/next buttons). */
  function stepBy(delta) {
    go(Math.max(0, store.get().step + delta));
  }

  function play() {
    const t = timeline();
    if (!t || t.steps.length === 0) return;
    const { step } = store.get();
    if (step >= t.steps.length - 1 || step < 0) go(0, { fromTimer: true });
    store.update({ playing: true });
    explainStep();
    schedule();
  }

  function schedule() {
    clearTimeout(timer);
    const { speed } = store.get();
    timer = setTimeout(tick, STEP_MS / speed);
  }

  function tick() {
    const t = timeline();
    const { playing, step } = store.get();
    if (!t || !playing) return;
    if (step >= t.steps.length - 1) {
      pause();
      return;
    }
    go(step + 1, { fromTimer: true });
    if (step + 1 >= t.steps.length - 1) pause();
    else schedule();
  }

  function pause() {
    clearTimeout(timer);
    timer = null;
    if (store.get().playing) store.update({ playing: false });
  }

  function setSpeed(speed) {
    store.update({ speed });
    if (store.get().playing) schedule();
  }

  /** Asks the core for the full explanation of the step on show (cached). */
  function explainStep() {
    const state = store.get();
    const t = timeline();
    const request = t ? explainRequest(t, state.step) : null;
    if (!request) {
      if (state.explanation) store.update({ explanation: null });
      return;
    }
    const cacheKey = `${state.run.id}|${request.key}`;
    const cached = explanations.get(cacheKey);
    if (cached) {
      store.update({ explanation: { key: cacheKey, status: 'ready', data: cached } });
      return;
    }
    if (state.explanation?.key === cacheKey) return;
    store.update({ explanation: { key: cacheKey, status: 'loading', data: null } });
    const options = { whatIf: state.run.whatIf, files: filesOf(state.run.usecase), schedulerStep: request.schedulerStep };
    const explaining = request.edit
      ? engine.explainEditTask(request.scenario, request.edit, request.schedulerStep, request.attempt)
      : engine.explainTask(request.scenario, request.words, options, request.attempt);
    explaining.then((data) => {
      if (explanations.size >= MAX_CACHED) explanations.delete(explanations.keys().next().value);
      explanations.set(cacheKey, data);
      store.update((s) => (s.explanation?.key === cacheKey ? { explanation: { key: cacheKey, status: 'ready', data } } : null));
    }, (error) => {
      if (error instanceof Stopped) {
        store.update((s) => (s.explanation?.key === cacheKey ? { explanation: null } : null));
        return;
      }
      store.update((s) => (s.explanation?.key === cacheKey ? { explanation: { key: cacheKey, status: 'failed', error: error.message } } : null));
    });
  }

  /**
   * Shows what the service scheduler did after a cluster edit as a run of its own (its placements
   * and stops step by step), when it did anything.
   */
  function showScheduler(change, outcome, before, after) {
    if (!outcome.scheduler?.length) return;
    const trace = { seed: before.scenario.seed ?? 0, scenario: after.scenario, commands: [{ report: { scheduler: outcome.scheduler, operation: 'ClusterEdit', words: [] }, scenario: after.scenario, view: after.view }] };
    const timeline = buildTimeline(trace, before, { edit: change });
    if (timeline.steps.length === 0 && !timeline.commands[0].events.length) return;
    const id = ++runs;
    pause();
    store.update({ run: { id, status: 'done', progress: null, script: null, usecase: null, whatIf: false, timeline, edit: change }, step: timeline.steps.length ? 0 : -1, explanation: null, highlight: null });
    if (timeline.steps.length > 1 && !reducedMotion()) play();
    else explainStep();
  }

  /** Closes the player: the bins show the cluster after the run. */
  function close() {
    pause();
    store.update({ step: -1, explanation: null, highlight: null });
  }

  return { run, stop, go, stepBy, play, pause, setSpeed, close, explainStep, showScheduler };
}
