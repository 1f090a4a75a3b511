// The placement timeline of a run, from the core's trace (`runScript`): one step per attempted
// task of every placement command, and the cluster view at any step. The view at a step is the
// view before its command with the command's frames applied up to the step: each frame carries the
// new task and its instance's figures as the core computed them, so nothing is recomputed here —
// values are only copied. Pure functions over plain data, unit-tested under Node.

/**
 * @param {{seed: number, scenario: object, commands: Array<{report: object, scenario?: object, view?: object}>}} trace
 * @param {{scenario: object, view: object}} start the cluster the run started from (with the run's seed)
 */
export function buildTimeline(trace, start) {
  const commands = [];
  const steps = [];
  let scenario = start.scenario;
  let view = start.view;
  trace.commands.forEach((entry, index) => {
    const frames = entry.report?.placement?.frames ?? [];
    const command = {
      index,
      report: entry.report,
      before: { scenario, view },
      after: { scenario: entry.scenario ?? scenario, view: entry.view ?? view },
      call: entry.report?.placement?.call ?? null,
      firstStep: steps.length,
      frames,
    };
    frames.forEach((frame, position) => steps.push({ index: steps.length, command: index, position, frame }));
    commands.push(command);
    scenario = command.after.scenario;
    view = command.after.view;
  });
  return { seed: trace.seed, commands, steps, end: { scenario, view }, cache: new Map() };
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
    view = applyFrame(view, command.frames[p]);
    if (timeline.cache.size > 2000) timeline.cache.clear();
    timeline.cache.set(command.firstStep + p, view);
  }
  return view;
}

/** The view with one frame's task added and its instance's figures replaced (a new object). */
export function applyFrame(view, frame) {
  if (!frame?.task || !frame.instance) return view;
  const arn = frame.instance.containerInstanceArn;
  return {
    instances: view.instances.map((i) => (i.containerInstanceArn === arn ? frame.instance : i)),
    tasks: [...view.tasks, frame.task],
  };
}

/** The cluster a step's command started from and the command's words: what `explainTask` needs. */
export function explainRequest(timeline, index) {
  const step = timeline.steps[index];
  if (!step) return null;
  const command = timeline.commands[step.command];
  return {
    scenario: command.before.scenario,
    words: command.report.words,
    attempt: step.frame.attempt,
    key: `${step.command}:${step.frame.attempt}`,
  };
}

/** `{placed, failed}` tasks over the whole run. */
export function runCounts(timeline) {
  let placed = 0;
  let failed = 0;
  for (const step of timeline.steps) {
    if (step.frame.decision?.kind === 'failed') failed += 1;
    else placed += 1;
  }
  return { placed, failed };
}
