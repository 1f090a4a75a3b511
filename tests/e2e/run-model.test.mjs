// Unit tests of web/js/run-model.js (what the page derives from the reports of `runScript`), on
// the real wasm bundle loaded in Node: command formatting, summaries, the placement timeline and
// the cluster drawn at each step.

import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  buildTimeline, checkColumns, commandSegments, formatCommand, instanceVerdicts, placementSnapshots, quoteWord,
  summarizeReport, withoutTasks,
} from '../../web/js/run-model.js';

const PKG = new URL('../../web/pkg/', import.meta.url);
let wasm;

before(async () => {
  try {
    wasm = await import(new URL('ecs_placement_wasm.js', PKG).href);
    await wasm.default({ module_or_path: await readFile(new URL('ecs_placement_wasm_bg.wasm', PKG)) });
  } catch (error) {
    throw new Error(`cannot load web/pkg (build it with \`cargo xtask build-web\`): ${error.message}`);
  }
});

const OPTIONS = { explain: true, keepGoing: true };

/** Runs a use case on its preset, as the page does. */
function runExample(name) {
  const example = wasm.examples().find((e) => e.name === name);
  const scenario = wasm.loadPreset(example.preset);
  const options = { ...OPTIONS, files: Object.fromEntries(example.files) };
  const outcome = wasm.runScript(scenario, example.script, options);
  const seeded = { ...scenario, seed: outcome.scenario.seed };
  const snapshots = placementSnapshots((s, text) => wasm.runScript(s, text, options), seeded, example.script, outcome);
  return { example, before: seeded, outcome, snapshots };
}

const tasksOn = (scenario) => (scenario.tasks ?? []).filter((t) => t.desiredStatus === 'RUNNING').length;

test('commands are printed as copyable shell words, broken before options when long', () => {
  assert.equal(quoteWord('type=spread,field=attribute:ecs.availability-zone'), 'type=spread,field=attribute:ecs.availability-zone');
  assert.equal(quoteWord('a b'), "'a b'");
  assert.equal(quoteWord("it's"), "'it'\\''s'");
  assert.equal(quoteWord(''), "''");
  assert.equal(formatCommand(['aws', 'ecs', 'run-task', '--count', '2']), 'aws ecs run-task --count 2');
  assert.equal(
    formatCommand(['aws', 'ecs', 'run-task', '--task-definition', 'nouvelleApp', '--count', '9', '--placement-constraints', 'type=memberOf,expression=attribute:ecs.instance-type =~ g2.*']),
    "aws ecs run-task --task-definition nouvelleApp \\\n  --count 9 \\\n  --placement-constraints 'type=memberOf,expression=attribute:ecs.instance-type =~ g2.*'",
  );
});

test('a script splits into one piece per command from the reports\' line numbers', () => {
  const text = '# one\naws ecs a \\\n  --x 1\n\n# two\naws ecs b';
  assert.deepEqual(commandSegments(text, [{ line: 2 }, { line: 6 }]), ['aws ecs a \\\n  --x 1\n\n# two', 'aws ecs b']);
  assert.equal(commandSegments(text, [{ line: 2 }, { line: 2 }]), null, 'two commands on one line');
  assert.equal(commandSegments(text, [{ line: 9 }]), null);
});

test('RunTask summaries count tasks per instance and failures per reason', () => {
  const { outcome } = runExample('jake');
  assert.match(summarizeReport(outcome.reports[0], outcome.scenario),
    /^Placed 9 tasks: 3 on i-b1micro0+ \(us-east-1b\), 3 on i-c4micro0+ \(us-east-1c\), 3 on i-a1micro0+ \(us-east-1a\)$/);
  const aditya = runExample('aditya').outcome;
  assert.equal(summarizeReport(aditya.reports[0], aditya.scenario),
    'Placed no task; 12 failures: RESOURCE:MEMORY on 6 instances, MemberOf placement constraint unsatisfied on i-a3g20000000000000, i-c3p20000000000000, RESOURCE:GPU on 4 instances');
  const failed = wasm.runScript(wasm.loadPreset('blog'), 'aws ecs run-task --task-definition nope', OPTIONS);
  assert.equal(summarizeReport(failed.reports[0], failed.scenario),
    'An error occurred (ClientException) when calling the RunTask operation: TaskDefinition not found.');
  const list = wasm.runScript(wasm.loadPreset('blog'), "aws ecs list-container-instances --filter 'attribute:ecs.instance-type =~ p2.*'", OPTIONS);
  assert.equal(summarizeReport(list.reports[0], list.scenario), '1 container instance: i-c3p20000000000000');
});

test('taking tasks away gives their resources back to their instances', () => {
  const { outcome } = runExample('jake');
  const after = outcome.scenario;
  const arns = new Set(after.tasks.map((t) => t.taskArn));
  const empty = withoutTasks(after, arns);
  const initial = wasm.loadPreset('blog');
  assert.equal(empty.tasks.length, 0);
  assert.deepEqual(empty.instances.map((i) => i.remainingResources), initial.instances.map((i) => i.remainingResources));
  assert.equal(withoutTasks(after, new Set()), after, 'nothing hidden: the same object');
  // Ports and GPUs come back too.
  const gpu = runExample('aditya').outcome.scenario;
  const gpuTask = gpu.tasks[0];
  const back = withoutTasks(gpu, new Set([gpuTask.taskArn])).instances.find((i) => i.containerInstanceArn === gpuTask.containerInstanceArn);
  assert.equal(back.remainingResources.gpus.length, back.registeredResources.gpus.length);
});

test('the timeline has one step per attempted task, each with the cluster right after it', () => {
  const { outcome, snapshots } = runExample('jake');
  assert.deepEqual(snapshots, [outcome.scenario], 'one command: its snapshot is the final cluster');
  const { steps, commands } = buildTimeline(outcome.reports, { after: outcome.scenario, snapshots });
  assert.equal(commands.length, 1);
  assert.equal(steps.length, 9);
  steps.forEach((step, i) => {
    assert.equal(tasksOn(step.scenario()), i + 1);
    assert.ok(step.scenario().tasks.some((t) => t.taskArn === step.task.taskArn), 'the step\'s task is drawn');
  });
  assert.equal(steps[8].scenario(), outcome.scenario);
  assert.equal(steps[2].task.decidedBy, 'binpack(memory)');
  const verdicts = instanceVerdicts(steps[2]);
  assert.equal(verdicts.get(steps[2].task.placedOn).kind, 'chosen');
  assert.equal([...verdicts.values()].filter((v) => v.droppedBy === 'spread(attribute:ecs.availability-zone)').length, 8);
  assert.equal([...verdicts.values()].filter((v) => v.droppedBy === 'binpack(memory)').length, 3);
  assert.deepEqual(checkColumns(steps[0].task), ['agent', 'attribute', 'cpu', 'memory', 'gpu']);
});

test('with several commands, intermediate clusters come from exact per-command snapshots', () => {
  // ebs-mysql: register, run-task (node 1), drain node 1, run-task (node 2).
  const { outcome, snapshots } = runExample('ebs-mysql');
  assert.equal(outcome.reports.length, 4);
  assert.ok(snapshots, 'the per-command replays agree with the run');
  const { steps, commands } = buildTimeline(outcome.reports, { after: outcome.scenario, snapshots });
  assert.deepEqual(commands.map((c) => c.reportIndex), [1, 3]);
  assert.equal(steps.length, 2);
  const node1 = (scenario) => scenario.instances.find((i) => i.containerInstanceArn.endsWith('/ebs-node-1'));
  assert.equal(node1(steps[0].scenario()).status, 'ACTIVE', 'not drained yet when the first task lands');
  assert.equal(node1(steps[1].scenario()).status, 'DRAINING');
  assert.equal(instanceVerdicts(steps[1]).get(node1(outcome.scenario).containerInstanceArn).kind, 'skipped');

  // Without snapshots, the final cluster minus the later tasks stands in.
  const rough = buildTimeline(outcome.reports, { after: outcome.scenario, snapshots: null });
  assert.deepEqual(rough.steps.map((s) => tasksOn(s.scenario())), [1, 2]);
});

test('a failed attempt is a step that places nothing', () => {
  const { outcome, snapshots } = runExample('aditya');
  const { steps } = buildTimeline(outcome.reports, { after: outcome.scenario, snapshots });
  assert.deepEqual(steps.map((s) => s.placed), [false, true, true]);
  assert.equal(tasksOn(steps[0].scenario()), 0);
  assert.deepEqual([...instanceVerdicts(steps[0]).values()].map((v) => v.kind), Array(12).fill('ineligible'));
  assert.equal(instanceVerdicts(steps[0]).get(steps[1].task.placedOn).reason, 'MemberOf placement constraint unsatisfied.');
});
