// The placement timeline of a run, from the core's trace (`runScript`) or from what a cluster edit
// made the service scheduler do: one step per task the funnel placed (RunTask, and the scheduler's
// placements) and per task the scheduler stopped, in order, and the cluster view at any step. The
// view at a step is the view before its command with the command's steps applied up to it: each
// step carries its instance's figures as the core computed them (and the placed task), so nothing
// is recomputed here — values are only copied. Pure functions over plain data, unit-tested under
// Node.

/**
 * @param {{seed: number, scenario: object, commands: Array<{report: object, scenario?: object, view?: object}>}} trace
 * @param {{scenario: object, view: object}} start the cluster the run started from (with the run's seed)
 * @param {{edit?: object}} options `edit`: the timeline is that cluster edit's scheduler steps
 */
export function buildTimeline(trace, start, { edit = null } = {}) {
  const commands = [];
  const steps = [];
  let scenario = start.scenario;
  let view = start.view;
  trace.commands.forEach((entry, index) => {
    const report = entry.report ?? {};
    const command = {
      index,
      report,
      edit,
      before: { scenario, view },
      after: { scenario: entry.scenario ?? scenario, view: entry.view ?? view },
      call: report.placement?.call ?? null,
      firstStep: steps.length,
      steps: [],
      events: [],
    };
    const add = (step) => {
      Object.assign(step, { index: steps.length, command: index, position: command.steps.length });
      command.steps.push(step);
      steps.push(step);
    };
    const frames = report.placement?.frames ?? [];
    for (const frame of frames) add({ kind: 'place', frame, call: report.placement.call, of: frames.length, ordinal: frame.attempt });
    (report.scheduler ?? []).forEach((step, i) => addScheduled(step, i, add, command, steps));
    commands.push(command);
    scenario = command.after.scenario;
    view = command.after.view;
  });
  return { seed: trace.seed, commands, steps, end: { scenario, view }, cache: new Map() };
}

/** The steps of one of the scheduler's steps (placements, stops), or its event or note. */
function addScheduled(step, i, add, command, steps) {
  const scheduler = { step: i, service: step.service, reason: step.reason };
  if (step.kind === 'placement') {
    const frames = step.placement?.frames ?? [];
    for (const frame of frames) {
      add({ kind: 'place', frame, call: step.placement.call, of: frames.length, ordinal: frame.attempt, scheduler: { ...scheduler, failures: step.failures ?? [] } });
    }
  } else if (step.kind === 'stop') {
    (step.tasks ?? []).forEach((stop, k) => add({ kind: 'stop', stop, of: step.tasks.length, ordinal: k + 1, scheduler }));
  } else if (step.kind === 'fargate') {
    // Fargate tasks have no funnel and no bin: the command's view draws them in their lanes.
  } else {
    command.events.push({ ...step, afterStep: steps.length - 1 });
  }
}

/** The cluster view right after step `index` (the run's end view for an index outside the steps). */
export function viewAt(timeline, index) {
  const step = timeline.steps[index];
  if (!step) return timeline.end.view;
  const cached = timeline.cache.get(index);
  if (cached) return cached;
  const command = timeline.commands[step.command];
  // Start from the nearest cached step of the same command, else from the command's start.
  let from = -1;
  let view = command.before.view;
  for (let p = step.position - 1; p >= 0; p--) {
    const hit = timeline.cache.get(command.firstStep + p);
    if (hit) {
      from = p;
      view = hit;
      break;
    }
  }
  for (let p = from + 1; p <= step.position; p++) {
    view = applyStep(view, command.steps[p]);
    if (timeline.cache.size > 2000) timeline.cache.clear();
    timeline.cache.set(command.firstStep + p, view);
  }
  return view;
}

/** The view with one step applied (a new object). */
export function applyStep(view, step) {
  return step?.kind === 'stop' ? applyStop(view, step.stop) : applyFrame(view, step?.frame);
}

/** The view with one frame's task added and its instance's figures replaced (a new object). */
export function applyFrame(view, frame) {
  if (!frame?.task || !frame.instance) return view;
  const arn = frame.instance.containerInstanceArn;
  return {
    ...view,
    instances: view.instances.map((i) => (i.containerInstanceArn === arn ? frame.instance : i)),
    tasks: [...view.tasks, frame.task],
  };
}

/** The view with a stopped task taken off and its instance's figures replaced (a new object). */
export function applyStop(view, stop) {
  if (!stop?.instance) return view;
  const arn = stop.instance.containerInstanceArn;
  return {
    ...view,
    instances: view.instances.map((i) => (i.containerInstanceArn === arn ? stop.instance : i)),
    tasks: view.tasks.filter((t) => t.taskArn !== stop.taskArn),
  };
}

/**
 * What the core needs to explain the task placed at step `index`: the cluster its command (or
 * edit) started from, the command's words or the edit, the scheduler's step, the attempt. Null
 * for a stop (its reasons come with it) or outside the steps.
 */
export function explainRequest(timeline, index) {
  const step = timeline.steps[index];
  if (!step || step.kind !== 'place') return null;
  const command = timeline.commands[step.command];
  const schedulerStep = step.scheduler?.step ?? null;
  return {
    scenario: command.before.scenario,
    words: command.report.words ?? [],
    edit: command.edit,
    schedulerStep,
    attempt: step.frame.attempt,
    key: `${step.command}:${schedulerStep ?? '-'}:${step.frame.attempt}`,
  };
}

/** The events and notes of a step's command up to that step (newest last). */
export function eventsAt(timeline, index) {
  const step = timeline.steps[index];
  if (!step) return [];
  return timeline.commands[step.command].events.filter((e) => e.afterStep <= index);
}

/** `{placed, failed, stopped}` tasks over the whole run. */
export function runCounts(timeline) {
  let placed = 0;
  let failed = 0;
  let stopped = 0;
  for (const step of timeline.steps) {
    if (step.kind === 'stop') stopped += 1;
    else if (step.frame.decision?.kind === 'failed') failed += 1;
    else placed += 1;
  }
  return { placed, failed, stopped };
}
