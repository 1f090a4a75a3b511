// The console's words for command reports: the command as run (copyable shell words) and a
// one-line summary of each AWS response. Pure functions over plain data (no DOM): unit-tested
// under Node in tests/e2e/report-text.test.mjs.

import { plural, shortId, zoneOf } from './format.js';

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
    case 'StartTask':
      return summarizeRunTask(response, instances);
    case 'ListClusters':
      return plural((response.clusterArns ?? []).length, 'cluster');
    case 'DescribeClusters': {
      const [cluster] = response.clusters ?? [];
      const missing = (response.failures ?? []).length;
      const parts = cluster
        ? [`Cluster ${cluster.clusterName}: ${plural(cluster.registeredContainerInstancesCount ?? 0, 'instance')}, ${plural(cluster.runningTasksCount ?? 0, 'running task')}, ${plural(cluster.activeServicesCount ?? 0, 'service')}`]
        : ['No cluster described'];
      if (missing) parts.push(`${plural(missing, 'cluster')} missing`);
      return parts.join('; ');
    }
    case 'DeregisterContainerInstance': {
      const arn = response.containerInstance?.containerInstanceArn;
      return arn ? `Deregistered ${instanceName(arn, instances)}` : 'Deregistered the container instance';
    }
    case 'ListTaskDefinitionFamilies':
      return plural((response.families ?? []).length, 'task definition family', 'task definition families');
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
      const fargate = task.launchType === 'FARGATE';
      const arn = fargate ? `fargate:${task.availabilityZone}` : task.containerInstanceArn;
      const entry = byInstance.get(arn) ?? { count: 0, fargate, zone: task.availabilityZone ?? zoneOf(instances.get(arn)) };
      entry.count += 1;
      byInstance.set(arn, entry);
    }
    const where = (arn, fargate) => (fargate ? 'Fargate' : instanceName(arn, instances));
    const groups = [...byInstance].map(([arn, { count, fargate, zone }]) => `${count} on ${where(arn, fargate)}${zone ? ` (${zone})` : ''}`);
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
