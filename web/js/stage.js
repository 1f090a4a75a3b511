// The stage: the cluster's bins, the player and the placement funnel, drawn from the state. At a
// step of a run it shows the cluster right after that task (the core's frames), the chosen bin,
// and — once the core's explanation of the task arrives — where every other instance dropped out
// of the funnel.

import { renderCanvasBins } from './bins-canvas.js';
import { renderBins } from './bins.js';
import { renderExplanationTable } from './explanation-table.js';
import { displayName, plural } from './format.js';
import { renderFargateLanes } from './fargate-lanes.js';
import { renderFunnel } from './funnel.js';
import { renderLegend } from './legend.js';
import { createPlayer } from './player.js';
import { decisionShort, placeReasonText, stepMarks, stopReasonText } from './placement-words.js';
import { eventsAt, viewAt } from './timeline.js';

/** From this many instances on, the bins are drawn compactly on a canvas. */
export const COMPACT_FROM = 50;


/**
 * @param {{$: (id: string) => HTMLElement, store: object, runs: object, query: object, cluster: object, actions: object}} deps
 *   `actions.start()`: runs the console's commands (the player's Play before any run)
 */
export function createStage({ $, store, runs, query, cluster, actions }) {
  const renderPlayer = createPlayer($('player'), {
    go: runs.go, stepBy: runs.stepBy, play: runs.play, pause: runs.pause, setSpeed: runs.setSpeed, stop: runs.stop, close: runs.close, start: actions.start,
  });
  const bins = $('bins');
  let compact = null;
  $('explain-details').addEventListener('toggle', (event) => store.update({ explainOpen: event.target.open }));
  $('undo').addEventListener('click', () => cluster.undo());
  $('reset').addEventListener('click', () => cluster.reset());
  const onHighlight = (stage) => {
    if (store.get().highlight !== stage) store.update({ highlight: stage });
  };

  /** Draws the stage; `model`: the state's `stepModel` (the inspector draws from it too). */
  return function render(state, model) {
    const large = model.view.instances.length >= COMPACT_FROM;
    if (compact !== large) {
      compact = large;
      bins.replaceChildren();
      bins.dataset.compact = String(large);
    }
    const binModel = {
      view: model.view, marks: model.marks, newTask: model.frame?.task?.taskArn ?? null,
      matches: state.query?.text === state.expr ? state.query.matches : null,
      hideUnmatched: state.hideUnmatched, selected: state.selected, onSelect: query.select,
    };
    (large ? renderCanvasBins : renderBins)(bins, binModel);
    renderFargateLanes($('fargate'), {
      lanes: model.view.fargate ?? [], selected: state.fargateTask ?? null,
      onSelect: (taskArn) => store.update({ fargateTask: taskArn }),
      onStop: (taskArn) => cluster.edit({ type: 'stopTask', task: taskArn }),
    });
    renderLegend($('legend'), model.view);
    const funnel = $('funnel');
    const onShow = Boolean(model.frame || model.stop);
    funnel.hidden = !onShow;
    $('stage').dataset.running = String(onShow);
    if (onShow) {
      renderFunnel(funnel, {
        frame: model.frame, stop: model.stop, scheduler: model.scheduler, events: model.events, call: model.call, task: model.task,
        loading: state.explanation?.status === 'loading',
        error: state.explanation?.status === 'failed' ? state.explanation.error : null,
        position: model.position, chosenName: model.chosenName, highlight: state.highlight, onHighlight,
      });
    }
    const details = $('explain-details');
    details.hidden = !model.frame;
    if (model.frame && state.explainOpen) renderExplanationTable($('explain-table'), { task: model.task, call: model.call });
    renderPlayer(playerModel(state, model));
    const summary = clusterSummary(state, model.view);
    if ($('cluster-summary').textContent !== summary) $('cluster-summary').textContent = summary;
    $('cluster-summary').dataset.tasks = String(model.view.instances.reduce((n, i) => n + i.runningTasks, 0));
    $('undo').disabled = state.history.length === 0 || !state.history[state.history.length - 1] || state.run?.status === 'running';
    $('reset').disabled = state.journal.length === 0 || state.run?.status === 'running';
  };
}

/** Everything the stage needs at the state's step. */
export function stepModel(state) {
  const timeline = shownTimeline(state);
  const step = timeline && state.step >= 0 ? timeline.steps[state.step] : null;
  if (!step) return { view: state.view, frame: null, stop: null, marks: null, task: null, call: null, position: null, chosenName: '' };
  const command = timeline.commands[step.command];
  const view = viewAt(timeline, step.index);
  const position = { task: step.ordinal, of: step.of, line: command.report.line, kind: step.kind, scheduler: step.scheduler ?? null };
  const events = eventsAt(timeline, step.index);
  if (step.kind === 'stop') {
    return {
      view, frame: null, stop: step.stop, scheduler: step.scheduler, marks: stepMarks({ stop: step.stop }), task: null, call: null, command,
      position, events, chosenName: displayName(step.stop.instance),
    };
  }
  const explained = state.explanation?.status === 'ready' ? state.explanation.data : null;
  const task = explained?.tasks?.[0] ?? null;
  const call = explained ?? step.call;
  const marks = stepMarks({ frame: step.frame, call, task, stage: state.highlight });
  const chosen = step.frame.instance;
  return {
    view, frame: step.frame, stop: null, scheduler: step.scheduler ?? null, marks, task, call, command, position, events,
    chosenName: chosen ? displayName(chosen) : '',
  };
}

/** The timeline of the run on show: a finished run not undone. */
function shownTimeline(state) {
  return state.run?.status === 'done' && !state.run.undone ? state.run.timeline : null;
}

function playerModel(state, model) {
  const run = state.run;
  const timeline = shownTimeline(state);
  const count = timeline?.steps.length ?? 0;
  let text = '';
  let mode = 'idle';
  if (run?.status === 'running') {
    mode = 'running';
    text = run.progress ? `Running the commands: ${run.progress.done} of ${run.progress.total} done…` : 'Running the commands…';
  } else if (timeline && count > 0) {
    mode = 'steps';
    if (model.frame || model.stop) {
      text = stepText(model);
    } else {
      text = `The cluster after the run: ${plural(count, 'task')} attempted. Press Play or pick a task to watch.`;
    }
  } else if (timeline) {
    const onFargate = fargateCount(timeline.end.view) - fargateCount(timeline.commands[0]?.before.view);
    text = onFargate > 0
      ? `The commands started ${plural(onFargate, 'task')} on Fargate: no container instance, so no funnel — they are in the Fargate lanes.`
      : 'The commands placed no tasks.';
  } else {
    const ready = state.tab === 'build' ? state.builder.script : state.console.trim();
    text = ready ? 'Press Play to run the commands and watch each task placed.' : 'Pick a use case or type commands, then press Play.';
  }
  return {
    mode, index: state.step, count, playing: state.playing, speed: state.speed, text, progress: run?.progress ?? null,
    canStart: Boolean(state.tab === 'build' ? state.builder.script : state.console.trim()) && run?.status !== 'running',
  };
}

/** One line about the step on show: which task, where, why. */
function stepText(model) {
  const { position } = model;
  const source = position.scheduler ? `service ${position.scheduler.service}` : position.line ? `RunTask on line ${position.line}` : 'RunTask';
  if (model.stop) {
    const zone = model.stop.instance.availabilityZone ?? 'no zone';
    return `Stop ${position.task} of ${position.of} · ${source}: stopped a task on ${model.chosenName} (${zone}) · ${stopReasonText(position.scheduler?.reason)}`;
  }
  const where = model.frame.instance ? ` on ${model.chosenName} (${model.frame.instance.availabilityZone ?? 'no zone'})` : '';
  const why = position.scheduler ? ` · ${placeReasonText(position.scheduler.reason)}` : '';
  const outcome = model.frame.decision.kind === 'failed'
    ? 'not placed · no instance passed every check and constraint'
    : `placed${where} · ${decisionShort(model.frame.decision)}`;
  return `Task ${position.task} of ${position.of} · ${source}: ${outcome}${why}`;
}

/** The running Fargate tasks of a view (its lanes). */
function fargateCount(view) {
  return (view?.fargate ?? []).reduce((n, lane) => n + lane.tasks.filter((t) => !t.stopping).length, 0);
}

function clusterSummary(state, view) {
  const zones = new Set(view.instances.map((i) => i.availabilityZone).filter(Boolean));
  const running = view.instances.reduce((n, i) => n + i.runningTasks, 0);
  const fargate = fargateCount(view);
  const onFargate = fargate > 0 ? ` · ${fargate} on Fargate` : '';
  return `${state.base.label} · ${plural(view.instances.length, 'instance')} in ${plural(zones.size, 'zone')} · ${plural(running, 'running task')}${onFargate}`;
}
