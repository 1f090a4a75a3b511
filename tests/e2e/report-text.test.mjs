// Unit tests of web/js/report-text.js: the console's words for command reports (the command as
// copyable shell words, a one-line summary of each AWS response). Some cases come from the tests
// of its predecessor, run-model.js, with the reports written out by hand instead of run on wasm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  formatCommand, instanceName, instanceIndex, quoteWord, reasonText, runTaskCounts, summarizeReport,
} from '../../web/js/report-text.js';

// ---------------------------------------------------------------- fixtures

const CI = 'arn:aws:ecs:us-east-1:123456789012:container-instance/default/';
const TASK = 'arn:aws:ecs:us-east-1:123456789012:task/default/';

/** The blog preset's instances: `a1-micro` → EC2 ID `i-a1micro0000000000`, zone from the first letter. */
const IDS = ['a1-micro', 'a2-small', 'a3-g2', 'a4-m5', 'b1-micro', 'b2-small', 'b3-m5', 'b4-medium', 'c1-small', 'c2-m5', 'c3-p2', 'c4-micro'];
const ec2Id = (id) => `i-${id.replace('-', '')}`.padEnd(19, '0');
const zoneOf = (id) => `us-east-1${id[0]}`;
const BLOG = {
  instances: IDS.map((id) => ({
    containerInstanceArn: `${CI}${id}`,
    ec2InstanceId: ec2Id(id),
    attributes: { 'ecs.availability-zone': zoneOf(id) },
  })),
  tasks: [],
};

let taskCount = 0;
const placedOn = (id, { zone = zoneOf(id) } = {}) => ({
  taskArn: `${TASK}${(taskCount += 1).toString(16).padStart(32, '0')}`,
  containerInstanceArn: `${CI}${id}`,
  ...(zone ? { availabilityZone: zone } : {}),
  desiredStatus: 'RUNNING',
});
const failure = (id, reason) => ({ arn: `${CI}${id}`, reason });
const runTask = (tasks, failures = []) => ({ operation: 'RunTask', words: ['aws', 'ecs', 'run-task'], response: { tasks, failures } });

// ---------------------------------------------------------------- commands

test('words are quoted only when a shell needs it', () => {
  const table = [
    ['type=spread,field=attribute:ecs.availability-zone', 'type=spread,field=attribute:ecs.availability-zone'],
    ['--placement-constraints', '--placement-constraints'],
    ['arn:aws:ecs:us-east-1:123456789012:task-definition/web:1', 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1'],
    ['name=stack,value=prod@2+1%', 'name=stack,value=prod@2+1%'],
    ['a b', "'a b'"],
    ["it's", "'it'\\''s'"],
    ['', "''"],
    [null, "''"],
    [undefined, "''"],
    [9, '9'],
    ['attribute:ecs.instance-type =~ g2.*', "'attribute:ecs.instance-type =~ g2.*'"],
    ['t2.*', "'t2.*'"],
    ['$HOME', "'$HOME'"],
    ['~', "'~'"],
    ['"x"', `'"x"'`],
    ['café', "'café'"],
    ['file://web.json', 'file://web.json'],
  ];
  for (const [word, quoted] of table) assert.equal(quoteWord(word), quoted, String(word));
});

test('a POSIX shell reads every quoted word back as it was', { skip: !existsSync('/bin/sh') && 'no /bin/sh' }, () => {
  const words = ["it's", 'a b', '$HOME', '*', 'x"y', 'new\nline', 'café', '', '~', '!', 'a\\b', '#c', "''", 'type=spread,field=host', '`id`', '$(id)', ';', '&&'];
  const out = execFileSync('/bin/sh', ['-c', `printf '%s\\0' ${words.map(quoteWord).join(' ')}`], { encoding: 'utf8' });
  assert.deepEqual(out.split('\0').slice(0, -1), words);
});

test('commands are printed as copyable shell words, broken before options when long', () => {
  assert.equal(formatCommand(['aws', 'ecs', 'run-task', '--count', '2']), 'aws ecs run-task --count 2');
  assert.equal(
    formatCommand(['aws', 'ecs', 'run-task', '--task-definition', 'nouvelleApp', '--count', '9', '--placement-constraints', 'type=memberOf,expression=attribute:ecs.instance-type =~ g2.*']),
    "aws ecs run-task --task-definition nouvelleApp \\\n  --count 9 \\\n  --placement-constraints 'type=memberOf,expression=attribute:ecs.instance-type =~ g2.*'",
  );
  assert.equal(formatCommand([]), '');
  assert.equal(formatCommand(null), '');
});

test('a command is broken only past the width, and only before options', () => {
  const words = ['aws', 'ecs', 'run-task', '--task-definition', 'web', '--count', '3'];
  const flat = 'aws ecs run-task --task-definition web --count 3';
  assert.equal(formatCommand(words, { width: flat.length }), flat, 'exactly the width: one line');
  assert.equal(formatCommand(words, { width: flat.length - 1 }), 'aws ecs run-task --task-definition web \\\n  --count 3');
  const noOptions = ['aws', 'ecs', 'list-tasks', 'x'.repeat(100)];
  assert.equal(formatCommand(noOptions), `aws ecs list-tasks ${'x'.repeat(100)}`, 'no option to break before: one long line');
});

test('a broken command is the same command once its continuations are joined', () => {
  const commands = [
    ['aws', 'ecs', 'run-task', '--cluster', 'default', '--task-definition', 'nouvelleApp', '--count', '9',
      '--placement-strategy', 'type=spread,field=attribute:ecs.availability-zone', 'type=binpack,field=memory'],
    ['aws', 'ecs', 'put-attributes', '--attributes', 'name=stack,value=prod,targetId=arn:aws:ecs:us-east-1:123456789012:container-instance/default/a1-micro', '--cluster', 'default'],
    ['aws', 'ecs', 'list-container-instances', '--filter', "attribute:ecs.instance-type =~ t2.* and attribute:stack == 'prod'", '--status', 'ACTIVE'],
  ];
  for (const words of commands) {
    const text = formatCommand(words, { width: 40 });
    assert.ok(text.includes('\\\n'), 'long: broken');
    const lines = text.split('\n');
    lines.slice(1).forEach((line) => assert.match(line, /^ {2}--/, 'each continuation starts with an option'));
    lines.slice(0, -1).forEach((line) => assert.match(line, / \\$/, 'each broken line ends with a continuation'));
    assert.equal(text.replace(/ \\\n {2}/g, ' '), words.map(quoteWord).join(' '));
  }
});

// ---------------------------------------------------------------- summaries

test('RunTask summaries count tasks per instance, with names and zones', () => {
  // jake: spread over the zones, then binpack on memory, 9 tasks.
  const jake = runTask(['b1-micro', 'c4-micro', 'a1-micro', 'a1-micro', 'b1-micro', 'c4-micro', 'b1-micro', 'a1-micro', 'c4-micro'].map((id) => placedOn(id)));
  assert.equal(summarizeReport(jake, BLOG),
    'Placed 9 tasks: 3 on i-b1micro0000000000 (us-east-1b), 3 on i-c4micro0000000000 (us-east-1c), 3 on i-a1micro0000000000 (us-east-1a)');
  assert.equal(summarizeReport(runTask([placedOn('a3-g2')]), BLOG), 'Placed 1 task: 1 on i-a3g20000000000000 (us-east-1a)');
});

test('RunTask summaries count failures per reason, naming up to two instances', () => {
  // aditya: a g2 task that needs memory and a GPU, on the 12 blog instances.
  const memory = ['a1-micro', 'a2-small', 'b1-micro', 'b2-small', 'c1-small', 'c4-micro'].map((id) => failure(id, 'RESOURCE:MEMORY'));
  const memberOf = ['a3-g2', 'c3-p2'].map((id) => failure(id, 'MemberOf placement constraint unsatisfied.'));
  const gpu = ['a4-m5', 'b3-m5', 'b4-medium', 'c2-m5'].map((id) => failure(id, 'RESOURCE:GPU'));
  assert.equal(summarizeReport(runTask([], [...memory, ...memberOf, ...gpu]), BLOG),
    'Placed no task; 12 failures: RESOURCE:MEMORY on 6 instances, MemberOf placement constraint unsatisfied on i-a3g20000000000000, i-c3p20000000000000, RESOURCE:GPU on 4 instances');
  assert.equal(summarizeReport(runTask([placedOn('a1-micro')], [failure('b1-micro', 'RESOURCE:CPU')]), BLOG),
    'Placed 1 task: 1 on i-a1micro0000000000 (us-east-1a); 1 failure: RESOURCE:CPU on i-b1micro0000000000');
  assert.equal(summarizeReport(runTask([], [{ reason: 'MISSING' }, { reason: 'MISSING' }]), BLOG), 'Placed no task; 2 failures: MISSING',
    'failures without an instance: the reason alone');
});

test('RunTask summaries: more than four instances, unknown instances, zones from the cluster', () => {
  const spread = runTask(['a1-micro', 'b1-micro', 'c1-small', 'a2-small', 'b2-small', 'c2-m5'].map((id) => placedOn(id)));
  assert.match(summarizeReport(spread, BLOG), /^Placed 6 tasks: 1 on i-a1micro0+ \(us-east-1a\), .*, 1 on i-a2small0+ \(us-east-1a\) and 2 more$/);
  // A task without its zone: the instance's zone attribute; an instance the cluster does not know: its short ID, no zone.
  assert.equal(summarizeReport(runTask([placedOn('b4-medium', { zone: null })]), BLOG), 'Placed 1 task: 1 on i-b4medium000000000 (us-east-1b)');
  assert.equal(summarizeReport(runTask([placedOn('gone', { zone: null })]), BLOG), 'Placed 1 task: 1 on gone');
  assert.equal(summarizeReport(runTask([placedOn('a1-micro')]), null), 'Placed 1 task: 1 on a1-micro (us-east-1a)', 'no cluster: short IDs');
});

test('an AWS CLI error is shown as the CLI prints it', () => {
  const error = { operation: 'RunTask', error: { text: 'An error occurred (ClientException) when calling the RunTask operation: TaskDefinition not found.' } };
  assert.equal(summarizeReport(error, BLOG), 'An error occurred (ClientException) when calling the RunTask operation: TaskDefinition not found.');
  assert.equal(summarizeReport({ operation: 'RunTask', error: {} }, BLOG), 'The command failed');
});

test('a summary for every other operation', () => {
  const arns = (ids) => ids.map((id) => `${CI}${id}`);
  const table = [
    [{ operation: 'ListContainerInstances', response: { containerInstanceArns: arns(['c3-p2']) } }, '1 container instance: i-c3p20000000000000'],
    [{ operation: 'ListContainerInstances', response: { containerInstanceArns: arns(IDS.slice(0, 6)) } },
      '6 container instances: i-a1micro0000000000, i-a2small0000000000, i-a3g20000000000000, i-a4m50000000000000 and 2 more'],
    [{ operation: 'ListContainerInstances', response: { containerInstanceArns: [] } }, 'No container instance matches'],
    [{ operation: 'RegisterTaskDefinition', response: { taskDefinition: { family: 'web', revision: 3 } } }, 'Registered task definition web:3'],
    [{ operation: 'RegisterTaskDefinition', response: { taskDefinition: { family: 'web' } } }, 'Registered task definition web:?'],
    [{ operation: 'DeregisterTaskDefinition', response: {} }, 'Deregistered the task definition'],
    [{ operation: 'PutAttributes', response: { attributes: arns(['a1-micro', 'b1-micro', 'c4-micro']).map((targetId) => ({ name: 'stack', value: 'prod', targetId })) } },
      'Put 3 attributes: stack=prod'],
    [{ operation: 'PutAttributes', response: { attributes: [{ name: 'a', value: '1' }, { name: 'b', value: '' }, { name: 'c', value: '3' }, { name: 'd', value: '4' }] } },
      'Put 4 attributes: a=1, b=, c=3 and 1 more'],
    [{ operation: 'DeleteAttributes', response: { attributes: [{ name: 'stack', targetId: `${CI}a1-micro` }] } }, 'Deleted 1 attribute: stack'],
    [{ operation: 'DeleteAttributes', response: {} }, 'Deleted 0 attributes'],
    [{ operation: 'UpdateContainerInstancesState', response: { containerInstances: [{ status: 'DRAINING' }, { status: 'DRAINING' }], failures: [{ reason: 'MISSING' }] } },
      '2 instances now DRAINING; 1 failure'],
    [{ operation: 'UpdateContainerInstancesState', response: { containerInstances: [{ status: 'ACTIVE' }], failures: [] } }, '1 instance now ACTIVE'],
    [{ operation: 'StopTask', response: { task: { taskArn: `${TASK}0b6f0a1c` } } }, 'Stopped task 0b6f0a1c'],
    [{ operation: 'StopTask', response: {} }, 'Stopped the task'],
    [{ operation: 'ListTasks', response: { taskArns: [`${TASK}1`] } }, '1 task'],
    [{ operation: 'ListTasks', response: {} }, '0 tasks'],
    [{ operation: 'DescribeTasks', response: { tasks: [{}, {}] } }, 'Described 2 tasks'],
    [{ operation: 'DescribeContainerInstances', response: { containerInstances: [{}] } }, 'Described 1 container instance'],
    [{ operation: 'ListTaskDefinitions', response: { taskDefinitionArns: ['a', 'b', 'c'] } }, '3 task definitions'],
    [{ operation: 'DescribeTaskDefinition', response: { taskDefinition: { family: 'nouvelleApp', revision: 1 } } }, 'Task definition nouvelleApp:1'],
    [{ operation: 'DescribeTaskDefinition', response: {} }, 'Described the task definition'],
    [{ operation: 'ListAttributes', response: { attributes: [{ name: 'stack' }] } }, '1 attribute'],
    [{ operation: 'CreateService', response: {} }, 'Done'],
    [null, 'Done'],
  ];
  for (const [report, summary] of table) assert.equal(summarizeReport(report, BLOG), summary, JSON.stringify(report).slice(0, 80));
});

test('runTaskCounts counts placed tasks and failures', () => {
  assert.deepEqual(runTaskCounts(runTask([placedOn('a1-micro'), placedOn('b1-micro')], [failure('c1-small', 'RESOURCE:CPU')])), { placed: 2, failed: 1 });
  assert.deepEqual(runTaskCounts({ operation: 'RunTask', error: { text: 'x' } }), { placed: 0, failed: 0 });
  assert.deepEqual(runTaskCounts(null), { placed: 0, failed: 0 });
});

test('instance names and failure reasons', () => {
  const index = instanceIndex(BLOG);
  assert.equal(index.size, 12);
  assert.equal(instanceName(`${CI}a1-micro`, index), 'i-a1micro0000000000');
  assert.equal(instanceName(`${CI}z9`, index), 'z9', 'unknown: the short container instance ID');
  assert.equal(instanceName(`${CI}a1-micro`, instanceIndex({ instances: [{ containerInstanceArn: `${CI}a1-micro` }] })), 'a1-micro',
    'no EC2 instance ID (an external instance)');
  assert.equal(instanceIndex(null).size, 0);
  assert.equal(reasonText('MemberOf placement constraint unsatisfied.'), 'MemberOf placement constraint unsatisfied');
  assert.equal(reasonText('RESOURCE:MEMORY'), 'RESOURCE:MEMORY');
  assert.equal(reasonText(undefined), '');
});

test('RunTask summaries count Fargate tasks per zone, with no instance', () => {
  const fargate = (zone) => ({ taskArn: `arn:aws:ecs:us-east-1:123456789012:task/default/${zone}`, launchType: 'FARGATE', availabilityZone: zone });
  const report = runTask([fargate('us-east-1a'), fargate('us-east-1b'), fargate('us-east-1a')]);
  assert.equal(summarizeReport(report, BLOG), 'Placed 3 tasks: 2 on Fargate (us-east-1a), 1 on Fargate (us-east-1b)');
});
