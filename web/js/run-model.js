// What the page derives from the reports of `runScript`: the command as run, a one-line summary
// of each response, and the placement timeline (one step per attempted task) with the cluster as
// it was after each step. Pure functions over plain data (no DOM): unit-tested under Node in
// tests/e2e/run-model.test.mjs.

import { shortId } from './format.js';

// ---------------------------------------------------------------- commands

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./\-]+$/;

/** A word as a POSIX shell would need it (single quotes when it has spaces or special characters). */
export function quoteWord(word) {
  const text = String(word ?? '');
  if (text !== '' && SAFE_WORD.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The words of a command as one copyable command line; long commands are broken before each
 * `--option` with `\` continuations, the way the AWS documentation prints them.
 */
export function formatCommand(words, { width = 80 } = {}) {
  const quoted = (words ?? []).map(quoteWord);
  const flat = quoted.join(' ');
  if (flat.length <= width) return flat;
  const lines = [];
  let current = [];
  for (const word of quoted) {
    if (word.startsWith('--') && current.some((w) => w.startsWith('--'))) {
      lines.push(current.join(' '));
      current = [];
    }
    current.push(word);
  }
  if (current.length > 0) lines.push(current.join(' '));
  return lines.map((line, i) => (i === 0 ? line : `  ${line}`)).join(' \\\n');
}

/**
 * Splits the script into one piece of text per report: report `k` ran the command that starts on
 * line `reports[k].line`, so its text runs up to the line before the next report's command.
 * Returns null when the line numbers are not increasing (nothing to rely on).
 */
export function commandSegments(text, reports) {
  const lines = String(text ?? '').split('\n');
  const starts = reports.map((r) => Number(r?.line));
  for (let i = 0; i < starts.length; i++) {
    if (!Number.isInteger(starts[i]) || starts[i] < 1 || starts[i] > lines.length) return null;
    if (i > 0 && starts[i] <= starts[i - 1]) return null;
  }
  return starts.map((start, i) => lines.slice(start - 1, i + 1 < starts.length ? starts[i + 1] - 1 : lines.length).join('\n'));
}

/**
 * The cluster after each command of a run, for exact intermediate placement frames: each
 * command's text is run again on the cluster after the previous one (the same cluster, seed and
 * commands give the same placements, decision D18) and must give the same response. Null when
 * the run has no placement, or when anything differs or fails (the timeline then works from the
 * final cluster alone).
 * @param {(scenario: object, text: string) => {scenario: object, reports: Array}} runScript
 * @param {object} before the cluster the run started from, with the run's seed
 * @param {string} text the script
 * @param {{scenario: object, reports: Array}} outcome the run's result
 */
export function placementSnapshots(runScript, before, text, outcome) {
  const { reports } = outcome;
  if (!reports.some((r) => r.explanation?.type === 'placement')) return null;
  if (reports.length === 1) return [outcome.scenario];
  const segments = commandSegments(text, reports);
  if (!segments) return null;
  try {
    const snapshots = [];
    let current = before;
    for (let k = 0; k < reports.length; k++) {
      const again = runScript(current, segments[k]);
      const [report] = again.reports;
      if (again.reports.length !== 1
        || JSON.stringify(report.response ?? null) !== JSON.stringify(reports[k].response ?? null)
        || (report.error?.text ?? null) !== (reports[k].error?.text ?? null)) return null;
      current = again.scenario;
      snapshots.push(current);
    }
    return JSON.stringify(current) === JSON.stringify(outcome.scenario) ? snapshots : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- names

/** `{arn → instance}` of a scenario. */
export function instanceIndex(scenario) {
  return new Map((scenario?.instances ?? []).map((i) => [i.containerInstanceArn, i]));
}

/** The name an instance is shown by: its EC2 instance ID, else its short container instance ID. */
export function instanceName(arn, instances) {
  const instance = instances?.get(arn);
  return instance?.ec2InstanceId || shortId(arn);
}

/** The AWS failure reason without a trailing period ("MemberOf placement constraint unsatisfied"). */
export function reasonText(reason) {
  return String(reason ?? '').replace(/\.$/, '');
}

// ---------------------------------------------------------------- summaries

function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

/** "a, b and 3 more" */
function listOf(items, max = 3) {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/**
 * A one-line summary of a command's outcome, e.g. "Placed 3 tasks: 2 on i-… (us-east-1a), 1 on
 * i-… (us-east-1b); 2 failures: RESOURCE:MEMORY on i-…, i-…".
 * @param {object} report a CommandReport
 * @param {object} scenario the cluster after the command (for instance names and zones)
 */
export function summarizeReport(report, scenario) {
  if (report?.error) return report.error.text ?? 'The command failed';
  const response = report?.response ?? {};
  const instances = instanceIndex(scenario);
  switch (report?.operation) {
    case 'RunTask':
      return summarizeRunTask(response, instances);
    case 'ListContainerInstances': {
      const arns = response.containerInstanceArns ?? [];
      if (arns.length === 0) return 'No container instance matches';
      return `${plural(arns.length, 'container instance')}: ${listOf(arns.map((a) => instanceName(a, instances)), 4)}`;
    }
    case 'RegisterTaskDefinition':
    case 'DeregisterTaskDefinition': {
      const td = response.taskDefinition ?? {};
      const verb = report.operation === 'RegisterTaskDefinition' ? 'Registered' : 'Deregistered';
      return td.family ? `${verb} task definition ${td.family}:${td.revision ?? '?'}` : `${verb} the task definition`;
    }
    case 'PutAttributes':
    case 'DeleteAttributes': {
      const attributes = response.attributes ?? [];
      const verb = report.operation === 'PutAttributes' ? 'Put' : 'Deleted';
      const names = [...new Set(attributes.map((a) => (a.value !== undefined && a.value !== null ? `${a.name}=${a.value}` : a.name)))];
      return `${verb} ${plural(attributes.length, 'attribute')}${names.length ? `: ${listOf(names)}` : ''}`;
    }
    case 'UpdateContainerInstancesState': {
      const updated = response.containerInstances ?? [];
      const failures = response.failures ?? [];
      const states = [...new Set(updated.map((i) => i.status))].join(', ');
      const parts = [`${plural(updated.length, 'instance')} now ${states || 'unchanged'}`];
      if (failures.length) parts.push(`${plural(failures.length, 'failure')}`);
      return parts.join('; ');
    }
    case 'StopTask':
      return response.task?.taskArn ? `Stopped task ${shortId(response.task.taskArn)}` : 'Stopped the task';
    case 'ListTasks':
      return plural((response.taskArns ?? []).length, 'task');
    case 'DescribeTasks':
      return `Described ${plural((response.tasks ?? []).length, 'task')}`;
    case 'DescribeContainerInstances':
      return `Described ${plural((response.containerInstances ?? []).length, 'container instance')}`;
    case 'ListTaskDefinitions':
      return plural((response.taskDefinitionArns ?? []).length, 'task definition');
    case 'DescribeTaskDefinition': {
      const td = response.taskDefinition ?? {};
      return td.family ? `Task definition ${td.family}:${td.revision ?? '?'}` : 'Described the task definition';
    }
    case 'ListAttributes':
      return plural((response.attributes ?? []).length, 'attribute');
    default:
      return 'Done';
  }
}

function summarizeRunTask(response, instances) {
  const tasks = response.tasks ?? [];
  const failures = response.failures ?? [];
  const parts = [];
  if (tasks.length === 0) {
    parts.push('Placed no task');
  } else {
    const byInstance = new Map();
    for (const task of tasks) {
      const arn = task.containerInstanceArn;
      const entry = byInstance.get(arn) ?? { count: 0, zone: task.availabilityZone ?? instances.get(arn)?.attributes?.['ecs.availability-zone'] ?? null };
      entry.count += 1;
      byInstance.set(arn, entry);
    }
    const groups = [...byInstance].map(([arn, { count, zone }]) => `${count} on ${instanceName(arn, instances)}${zone ? ` (${zone})` : ''}`);
    parts.push(`Placed ${plural(tasks.length, 'task')}: ${listOf(groups, 4)}`);
  }
  if (failures.length > 0) {
    const byReason = new Map();
    for (const failure of failures) {
      const reason = reasonText(failure.reason);
      const list = byReason.get(reason) ?? [];
      list.push(failure.arn ? instanceName(failure.arn, instances) : '');
      byReason.set(reason, list);
    }
    const groups = [...byReason].map(([reason, names]) => {
      const named = names.filter(Boolean);
      if (named.length === 0) return reason;
      return named.length > 2 ? `${reason} on ${named.length} instances` : `${reason} on ${named.join(', ')}`;
    });
    parts.push(`${plural(failures.length, 'failure')}: ${groups.join(', ')}`);
  }
  return parts.join('; ');
}

/** `{placed, failed}` counts of a RunTask response. */
export function runTaskCounts(report) {
  return {
    placed: (report?.response?.tasks ?? []).length,
    failed: (report?.response?.failures ?? []).length,
  };
}

// ---------------------------------------------------------------- frames

/**
 * The scenario with some tasks taken away (as if they had not been placed yet): their CPU, memory,
 * host ports and GPUs go back to their instances' remaining resources.
 * @param {object} scenario
 * @param {Set<string>} hidden task ARNs to take away
 */
export function withoutTasks(scenario, hidden) {
  if (!hidden || hidden.size === 0) return scenario;
  const removed = new Map();
  const tasks = [];
  for (const task of scenario.tasks ?? []) {
    if (hidden.has(task.taskArn)) {
      const list = removed.get(task.containerInstanceArn) ?? [];
      list.push(task);
      removed.set(task.containerInstanceArn, list);
    } else {
      tasks.push(task);
    }
  }
  if (removed.size === 0) return scenario;
  const instances = (scenario.instances ?? []).map((instance) => {
    const gone = removed.get(instance.containerInstanceArn);
    if (!gone || !instance.remainingResources) return instance;
    const remaining = { ...instance.remainingResources };
    for (const task of gone) {
      if (['STOPPED', 'DELETED'].includes(task.lastStatus)) continue; // held nothing
      remaining.cpu = Number(remaining.cpu ?? 0) + Number(task.cpu ?? 0);
      remaining.memory = Number(remaining.memory ?? 0) + Number(task.memory ?? 0);
      if (task.ports?.length) remaining.ports = releasePorts(remaining.ports, task.ports);
      if (task.portsUdp?.length) remaining.portsUdp = releasePorts(remaining.portsUdp, task.portsUdp);
      if (task.gpuIds?.length) remaining.gpus = [...(remaining.gpus ?? []), ...task.gpuIds];
    }
    return { ...instance, remainingResources: remaining };
  });
  return { ...scenario, instances, tasks };
}

/** `ports` minus one occurrence of each of `released` (AWS lists reserved ports as "remaining"). */
function releasePorts(ports, released) {
  if (!Array.isArray(ports) || !released?.length) return ports;
  const out = [...ports];
  for (const port of released) {
    const at = out.indexOf(port);
    if (at >= 0) out.splice(at, 1);
  }
  return out;
}

/**
 * The placement timeline of a run: one step per attempted task of every RunTask command that
 * has an explanation, in order. Each step knows its command, its TaskReport and the cluster
 * right after it (`scenario()`, computed on demand and cached).
 *
 * @param {Array} reports the run's CommandReports
 * @param {{after: object, snapshots?: Array<object>|null}} clusters `after`: the cluster after
 *   the whole run; `snapshots[k]`: the cluster after report `k` (exact intermediate states).
 *   Without snapshots, every intermediate state is `after` minus the tasks placed later in the
 *   run (other changes, e.g. a drained instance, then show from the start).
 */
export function buildTimeline(reports, { after, snapshots = null }) {
  const steps = [];
  const commands = [];
  const placedLater = []; // per report index: task ARNs placed by later reports (no snapshots)
  const placedBy = reports.map((report) => (report?.explanation?.tasks ?? []).map((t) => t.taskArn).filter(Boolean));
  let later = new Set();
  for (let k = reports.length - 1; k >= 0; k--) {
    placedLater[k] = later;
    later = new Set([...later, ...placedBy[k]]);
  }

  reports.forEach((report, reportIndex) => {
    const explanation = report?.explanation;
    if (explanation?.type !== 'placement' || !(explanation.tasks?.length > 0)) return;
    const end = snapshots?.[reportIndex] ?? after;
    const base = snapshots ? new Set() : placedLater[reportIndex];
    const arns = explanation.tasks.map((t) => t.taskArn ?? null);
    const command = {
      index: commands.length,
      reportIndex,
      report,
      explanation,
      first: steps.length,
      count: explanation.tasks.length,
    };
    commands.push(command);
    explanation.tasks.forEach((task, taskIndex) => {
      let cached = null;
      const hidden = new Set(base);
      for (const arn of arns.slice(taskIndex + 1)) if (arn) hidden.add(arn);
      steps.push({
        index: steps.length,
        command,
        taskIndex,
        task,
        placed: Boolean(task.placedOn),
        scenario() {
          cached ??= withoutTasks(end, hidden);
          return cached;
        },
      });
    });
  });
  return { steps, commands };
}

// ---------------------------------------------------------------- one step, per instance

const CHECK_ORDER = ['agent', 'attribute', 'location', 'cpu', 'memory', 'gpu', 'ports', 'eni', 'memberOf', 'distinctInstance'];

/** Column titles of the checks (the core's `Check::title`). */
export const CHECK_TITLES = {
  agent: 'agent',
  attribute: 'attributes',
  location: 'location',
  cpu: 'cpu',
  memory: 'memory',
  gpu: 'gpu',
  ports: 'ports',
  eni: 'eni',
  memberOf: 'memberOf',
  distinctInstance: 'distinctInstance',
};

/** The AWS failure reason of each check (decision D14). */
export const CHECK_REASONS = {
  agent: 'AGENT',
  attribute: 'ATTRIBUTE',
  location: 'LOCATION',
  cpu: 'RESOURCE:CPU',
  memory: 'RESOURCE:MEMORY',
  gpu: 'RESOURCE:GPU',
  ports: 'RESOURCE:PORTS',
  eni: 'RESOURCE:ENI',
  memberOf: 'MemberOf placement constraint unsatisfied.',
  distinctInstance: 'DistinctInstance placement constraint unsatisfied.',
};

/** The checks present in a task's findings, in the funnel's order (then any unknown ones). */
export function checkColumns(task) {
  const present = new Set();
  for (const instance of task?.instances ?? []) {
    for (const finding of instance.findings ?? []) present.add(finding.check);
  }
  const known = CHECK_ORDER.filter((c) => present.has(c));
  const unknown = [...present].filter((c) => !CHECK_ORDER.includes(c)).sort();
  return [...known, ...unknown];
}

/** The short name of a strategy: `binpack(memory)` → `binpack`. */
export function strategyName(strategy) {
  return String(strategy ?? '').split('(')[0];
}

/**
 * How each instance fared for one step: `chosen`, `eligible` (passed every check; `droppedBy`
 * names the strategy that dropped it, or it lost the tie-break), `ineligible` (with the AWS
 * reason) or `skipped` (not considered, e.g. DRAINING).
 * @returns {Map<string, {kind: string, reason?: string, detail?: string, droppedBy?: string, step?: number, tied?: boolean}>}
 */
export function instanceVerdicts(step) {
  const verdicts = new Map();
  if (!step) return verdicts;
  const { task, command } = step;
  for (const skipped of command.explanation.skipped ?? []) {
    verdicts.set(skipped.containerInstanceArn, { kind: 'skipped', reason: skipped.reason });
  }
  for (const instance of task.instances ?? []) {
    const arn = instance.containerInstanceArn;
    if (!instance.eligible) {
      const failed = (instance.findings ?? []).find((f) => !f.passed);
      verdicts.set(arn, { kind: 'ineligible', reason: instance.reason ?? CHECK_REASONS[failed?.check] ?? 'not eligible', detail: failed?.detail });
      continue;
    }
    if (arn === task.placedOn) {
      verdicts.set(arn, { kind: 'chosen' });
      continue;
    }
    const at = (task.steps ?? []).findIndex((s) => s.candidates?.some((c) => c.containerInstanceArn === arn && !c.kept));
    if (at >= 0) {
      verdicts.set(arn, { kind: 'eligible', droppedBy: task.steps[at].strategy, step: at + 1 });
    } else {
      verdicts.set(arn, { kind: 'eligible', tied: (task.tied ?? []).includes(arn) });
    }
  }
  return verdicts;
}
