// Words for the engine's typed placement data: strategies (`{type, field}`), decisions, fates and
// skip causes become the sentences the funnel and the bins show. Pure functions (no DOM), unit-
// tested under Node. The rules are said in words here; the semantics document has them in full.

import { plural } from './format.js';

export const SEMANTICS_URL = 'https://github.com/ecs-placement-playground/ecs-placement-playground/blob/main/crates/ecs-placement/docs/semantics.md';

/** `binpack(memory)`, `spread(attribute:ecs.availability-zone)`, `random`: the AWS notation. */
export function strategyLabel(strategy) {
  if (!strategy) return '';
  return strategy.field ? `${strategy.type}(${strategy.field})` : strategy.type;
}

/** What a strategy keeps, in words. */
export function strategyRule(strategy) {
  switch (strategy?.type) {
    case 'binpack': return `keeps the instances with the least ${strategy.field === 'cpu' ? 'CPU' : 'memory'} left that still fit`;
    case 'spread': {
      const field = strategy.field === 'instanceId' || strategy.field === 'host'
        ? 'instance'
        : String(strategy.field).replace(/^attribute:/, '');
      return field === 'instance'
        ? 'keeps the instances running the fewest tasks of the group'
        : `keeps the ${field} value with the fewest tasks of the group`;
    }
    case 'random': return 'picks one of the instances left at random (seeded)';
    default: return '';
  }
}

/** Where the strategy chain came from, in words (`strategySource`). */
export function chainSource(source) {
  switch (source) {
    case 'runTaskDefault': return 'No strategy was given: RunTask places tasks at random by default.';
    case 'serviceDefault': return 'No strategy was given: services spread over Availability Zones, then over instances, by default.';
    case 'daemon': return 'A daemon service runs one task on every instance that can take it: it has no strategy.';
    case 'startTask': return 'StartTask puts the task on the container instance the command names, if it passes the checks: no strategy, no placement constraints.';
    default: return null;
  }
}

/**
 * The decision in a sentence.
 * @param {{kind: string, step?: number, strategy?: object, among?: number, seed?: number}} decision
 * @param {string} chosen the chosen instance's name
 */
export function decisionSentence(decision, chosen) {
  switch (decision?.kind) {
    case 'onlyCandidate': return `Only ${chosen} passed every check and constraint.`;
    case 'strategy': return `${strategyLabel(decision.strategy)} decided: it left ${chosen} alone.`;
    case 'tieBreak':
      return `${decision.among} instances were equally good after every strategy; a random draw seeded with ${decision.seed} picked ${chosen} (the same seed always picks the same one).`;
    case 'randomStrategy': return `The random strategy picked ${chosen} among ${decision.among} instances (seed ${decision.seed}).`;
    case 'failed': return 'No instance passed every check and constraint: the task was not placed.';
    default: return '';
  }
}

/** A short form for the player's status line. */
export function decisionShort(decision) {
  switch (decision?.kind) {
    case 'onlyCandidate': return 'the only instance that passed';
    case 'strategy': return `decided by ${strategyLabel(decision.strategy)}`;
    case 'tieBreak': return `random tie-break among ${decision.among} (seed ${decision.seed})`;
    case 'randomStrategy': return `random strategy among ${decision.among} (seed ${decision.seed})`;
    case 'failed': return 'not placed';
    default: return '';
  }
}

/** Why an instance was not considered (`SkipCause`). */
export function skipText(cause) {
  switch (cause?.kind) {
    case 'notActive': return `${cause.status}: only ACTIVE instances receive tasks`;
    case 'external': return 'external instance: launch type EC2 uses EC2 instances';
    case 'notExternal': return 'EC2 instance: launch type EXTERNAL uses external instances';
    default: return 'not considered';
  }
}

/**
 * Marks for the bins at one step: `arn → {state, text, detail?}`. Without the explanation only the
 * chosen instance is known (from the frame). With `stage` (a funnel row in focus) the instances
 * that row kept are marked kept (whatever a later row did to them) and the others dropped.
 * @param {{frame: object, call: object|null, task: object|null, stage?: number|null}} input
 */
export function stepMarks({ frame, call, task, stage = null, stop = null }) {
  const marks = new Map();
  if (stop) {
    marks.set(stop.containerInstanceArn, { state: 'stopped', text: 'Task stopped here', detail: stopWhy(stop.why, 'this instance').headline });
    return marks;
  }
  for (const skipped of call?.skipped ?? []) {
    marks.set(skipped.containerInstanceArn, { state: 'skipped', text: 'Not considered', detail: skipText(skipped.cause) });
  }
  const chosenArn = frame?.instance?.containerInstanceArn ?? task?.placedOn ?? null;
  if (!task) {
    if (chosenArn) marks.set(chosenArn, { state: 'chosen', text: `Task ${frame.attempt} placed here` });
    return marks;
  }
  // The strategy rows the funnel draws: the row after them is the chosen one.
  const steps = funnelRows({ frame, call, task }).length - 3;
  for (const instance of task.instances ?? []) {
    const arn = instance.containerInstanceArn;
    const mark = instanceMark(instance, task, frame);
    if (stage === null) marks.set(arn, mark);
    else if (keptAt(instance.fate, stage, steps)) marks.set(arn, mark.state === 'chosen' ? mark : { state: 'kept', text: 'Kept by this step', detail: mark.text });
    else marks.set(arn, ['failed', 'skipped'].includes(mark.state) ? mark : { ...mark, state: 'dropped' });
  }
  return marks;
}

function instanceMark(instance, task, frame) {
  const fate = instance.fate ?? {};
  switch (fate.kind) {
    case 'chosen': return { state: 'chosen', text: `Task ${frame?.attempt ?? task.attempt} placed here` };
    case 'dropped': {
      const step = task.steps?.[fate.step];
      const candidate = step?.candidates?.find((c) => c.containerInstanceArn === instance.containerInstanceArn);
      const best = step?.candidates?.find((c) => c.kept);
      return {
        state: 'dropped',
        text: `Dropped by ${step?.strategy?.type ?? 'a strategy'}`,
        detail: candidate ? `${candidate.label}${best ? `; the kept ones have ${best.label}` : ''}` : undefined,
      };
    }
    case 'notDrawn': return { state: 'notDrawn', text: 'Tied, not drawn', detail: 'as good as the chosen one; the seeded draw picked another' };
    case 'failedCheck':
    case 'failedConstraint': {
      const finding = (instance.findings ?? []).find((f) => f.check === fate.check);
      return {
        state: 'failed',
        text: `Fails ${finding?.title ?? fate.check}`,
        detail: finding ? `${finding.reason} — ${stripTicks(finding.detail)}` : undefined,
      };
    }
    default: return { state: 'kept', text: 'Eligible' };
  }
}

function stripTicks(text) {
  return String(text ?? '').replace(/`/g, '');
}

/**
 * Whether an instance with this fate is still in the funnel at `stage`: 0 = ACTIVE, 1 = passed
 * the cluster checks, 2 = passed the constraints, 3 + k = kept by strategy step k, and the last
 * row (3 + steps) = chosen.
 */
export function keptAt(fate, stage, steps = Infinity) {
  const kind = fate?.kind;
  if (stage <= 0) return true;
  if (kind === 'failedCheck') return false;
  if (stage === 1) return true;
  if (kind === 'failedConstraint') return false;
  if (stage === 2) return true;
  const k = stage - 3;
  if (k >= steps) return kind === 'chosen';
  if (kind === 'dropped') return fate.step > k;
  return true;
}

/**
 * The funnel's rows for one step: `[{label, rule, count, note?}]`, from the frame's counts (always
 * there) and the explanation (details when it has arrived).
 */
export function funnelRows({ frame, call, task }) {
  const counts = frame?.funnel ?? task?.funnel ?? { active: 0, passedChecks: 0, passedConstraints: 0, strategies: [] };
  const skipped = call?.skipped?.length ?? 0;
  const constraints = call?.constraints ?? [];
  const rows = [
    { key: 'active', label: 'ACTIVE instances', rule: skipped ? `${skipped} not considered (not ACTIVE or the other launch type)` : 'every instance the call may use', count: counts.active },
    { key: 'checks', label: 'pass the cluster checks', rule: checksRule(task, call), count: counts.passedChecks },
    {
      key: 'constraints',
      label: constraints.length ? 'satisfy the constraints' : 'no placement constraints',
      rule: constraints.map((c) => (c.type === 'memberOf' ? `memberOf(${c.expression})` : c.type)).join(' · ') || 'nothing to satisfy',
      count: counts.passedConstraints,
    },
  ];
  (call?.strategies ?? []).forEach((strategy, k) => {
    if (k >= counts.strategies.length) return;
    const step = task?.steps?.[k];
    const best = step?.candidates?.find((c) => c.kept);
    rows.push({
      key: `strategy-${k}`,
      label: strategyLabel(strategy),
      rule: strategyRule(strategy),
      count: counts.strategies[k],
      note: best && strategy.type !== 'random' ? `kept: ${best.label}` : null,
    });
  });
  return rows;
}

function checksRule(task, call) {
  const titles = new Set();
  for (const instance of task?.instances ?? []) {
    for (const finding of instance.findings ?? []) if (!finding.constraint) titles.add(finding.title);
  }
  if (titles.size) return [...titles].join(', ');
  const needs = call?.reservation;
  return needs ? `agent, attributes, ${needs.cpu} CPU units, ${needs.memory} MiB${needs.ports?.length ? `, ports ${needs.ports.join(' ')}` : ''}` : 'agent, attributes, resources';
}

/** A failed task's instances grouped by their first failing check: `[{reason, summary, count, example}]`. */
export function failureGroups(task) {
  const groups = new Map();
  for (const instance of task?.instances ?? []) {
    if (instance.eligible) continue;
    const finding = (instance.findings ?? []).find((f) => !f.passed);
    if (!finding) continue;
    const group = groups.get(finding.check) ?? { reason: finding.reason, summary: finding.summary, count: 0, example: stripTicks(finding.detail) };
    group.count += 1;
    groups.set(finding.check, group);
  }
  return [...groups.values()];
}

// ---------------------------------------------------------------- the service scheduler

/** Why the scheduler placed a task, in words (`PlaceReason`). */
export function placeReasonText(reason) {
  switch (reason) {
    case 'scale-out': return 'the service runs fewer tasks than its desired count';
    case 'replace-draining': return 'a replacement for a task on a draining instance';
    case 'daemon': return 'a daemon task for an instance that has none';
    case 'rebalance': return 'AZ rebalancing: a task for the zone with the fewest';
    default: return String(reason ?? '');
  }
}

/** Why the scheduler stopped tasks, in words (`StopReason`). */
export function stopReasonText(reason) {
  switch (reason) {
    case 'scale-in': return 'the service runs more tasks than its desired count';
    case 'draining': return 'the task\u2019s instance is draining';
    case 'daemon-ineligible': return 'the daemon no longer belongs on the instance';
    case 'rebalance': return 'AZ rebalancing: a task from the zone with the most';
    case 'delete': return 'the service was deleted';
    default: return String(reason ?? '');
  }
}

/**
 * Why this task was the one stopped (`StopWhy`): a headline and the lines behind it.
 * @returns {{headline: string, lines: string[]}}
 */
export function stopWhy(why, instanceName) {
  switch (why?.kind) {
    case 'scaleIn': return scaleInWords(why, instanceName);
    case 'instanceDraining':
      return { headline: `${instanceName} is draining: its service tasks are stopped and replaced on ACTIVE instances, as the deployment's minimum and maximum percent allow.`, lines: [] };
    case 'daemonIneligible': {
      const cause = why.cause?.kind === 'constraintUnsatisfied'
        ? `the constraint ${why.cause.expression} is false there`
        : why.cause?.kind === 'duplicate' ? 'another task of the daemon runs there' : 'the instance is not ACTIVE';
      return { headline: `The daemon no longer belongs on ${instanceName}: ${cause}.`, lines: [] };
    }
    case 'rebalance': {
      const choice = scaleInWords(why.choice, instanceName);
      return {
        headline: `AZ rebalancing: ${why.zone} ran ${why.zoneTasks} of the service's tasks and ${why.fewestZone} ${why.fewestTasks}; a task leaves ${why.zone}.`,
        lines: [choice.headline, ...choice.lines],
      };
    }
    case 'serviceDeleted': return { headline: 'The service was deleted: all its tasks stop.', lines: [] };
    default: return { headline: '', lines: [] };
  }
}

/** How scale-in chose among the service's tasks: its chain, reversed, then a seeded draw. */
function scaleInWords(choice, instanceName) {
  const lines = (choice?.steps ?? []).map((step) =>
    `${strategyLabel(step.strategy)}, reversed: narrows to ${plural(step.kept, 'task')} — ${step.label}`);
  return {
    headline: `Scale-in chose the task on ${instanceName} among ${choice?.candidates ?? 0}: ${decisionShort(choice?.decision)}.`,
    lines,
  };
}
