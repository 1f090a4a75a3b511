// Unit tests of web/js/timeline.js: the placement timeline of a run (one step per attempted task
// and per task the service scheduler stopped) and the cluster view at any step, from a hand-built
// trace in the shape `runScript` returns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFrame, applyStop, buildTimeline, eventsAt, explainRequest, runCounts, viewAt } from '../../web/js/timeline.js';

// ---------------------------------------------------------------- fixture

const CI = 'arn:aws:ecs:us-east-1:123456789012:container-instance/default/';
const TASK = 'arn:aws:ecs:us-east-1:123456789012:task/default/';
const GROUP = 'family:web';

/** A cluster view instance (t2.micro-like: 1024 CPU units, 993 MiB). */
function instance(id, zone, { cpu = 1024, memory = 993, status = 'ACTIVE', runningTasks = 0 } = {}) {
  return {
    containerInstanceArn: `${CI}${id}`,
    ec2InstanceId: `i-${id.replace('-', '')}000000000`,
    instanceType: 't2.micro',
    availabilityZone: zone,
    status,
    agentConnected: true,
    cpu: { registered: 1024, remaining: cpu },
    memory: { registered: 993, remaining: memory },
    enis: { inUse: 0, limit: 1 },
    runningTasks,
  };
}

function task(id, on) {
  return { taskArn: `${TASK}${id}`, containerInstanceArn: `${CI}${on}`, group: GROUP, cpu: 256, memory: 300 };
}

function placed(attempt, decision, chip, after, strategies = [3, 1]) {
  return { attempt, decision, funnel: { active: 3, passedChecks: 3, passedConstraints: 3, strategies }, task: chip, instance: after };
}

const failedFrame = (attempt) => ({
  attempt, decision: { kind: 'failed' }, funnel: { active: 2, passedChecks: 0, passedConstraints: 0, strategies: [] },
});

const CALL = {
  group: GROUP,
  reservation: { cpu: 256, memory: 300, gpus: 0, ports: [], portsUdp: [], dynamicPorts: 0, eni: false },
  constraints: [],
  strategies: [{ type: 'spread', field: 'attribute:ecs.availability-zone' }, { type: 'binpack', field: 'memory' }],
  strategySource: 'request',
  seed: 7,
  skipped: [],
};

const runTask = (count) => ['aws', 'ecs', 'run-task', '--task-definition', 'web', '--count', String(count)];

// The cluster before the run: a1 and a2 in us-east-1a, b1 in us-east-1b.
const START_VIEW = { instances: [instance('a1-micro', 'us-east-1a'), instance('a2-micro', 'us-east-1a'), instance('b1-micro', 'us-east-1b')], tasks: [] };
const START = { scenario: { name: 'start', seed: 7 }, view: START_VIEW };

// The views the core reports, written out by hand (not computed with applyFrame).
const A1_ONE = instance('a1-micro', 'us-east-1a', { cpu: 768, memory: 693, runningTasks: 1 });
const A1_TWO = instance('a1-micro', 'us-east-1a', { cpu: 512, memory: 393, runningTasks: 2 });
const A2_ONE = instance('a2-micro', 'us-east-1a', { cpu: 768, memory: 693, runningTasks: 1 });
const B1_ONE = instance('b1-micro', 'us-east-1b', { cpu: 768, memory: 693, runningTasks: 1 });
const B1_DRAINING = instance('b1-micro', 'us-east-1b', { cpu: 768, memory: 693, runningTasks: 1, status: 'DRAINING' });

// Every expected view of the run, in order (step 0 … step 4).
const EXPECTED = [
  { instances: [A1_ONE, START_VIEW.instances[1], START_VIEW.instances[2]], tasks: [task('t1', 'a1-micro')] },
  { instances: [A1_ONE, START_VIEW.instances[1], B1_ONE], tasks: [task('t1', 'a1-micro'), task('t2', 'b1-micro')] },
  { instances: [A1_ONE, START_VIEW.instances[1], B1_ONE], tasks: [task('t1', 'a1-micro'), task('t2', 'b1-micro')] },
  { instances: [A1_TWO, START_VIEW.instances[1], B1_DRAINING], tasks: [task('t1', 'a1-micro'), task('t2', 'b1-micro'), task('t4', 'a1-micro')] },
  {
    instances: [A1_TWO, A2_ONE, B1_DRAINING],
    tasks: [task('t1', 'a1-micro'), task('t2', 'b1-micro'), task('t4', 'a1-micro'), task('t5', 'a2-micro')],
  },
];

const AFTER_DRAIN = { instances: [A1_ONE, START_VIEW.instances[1], B1_DRAINING], tasks: EXPECTED[1].tasks };

/**
 * register-task-definition (no placement), run-task --count 3 (two placed, the third failed),
 * drain b1 (no placement, the view changes), run-task --count 2 (both placed).
 */
function trace() {
  return deepFreeze({
    seed: 7,
    scenario: { name: 'after the run', seed: 7 },
    commands: [
      {
        report: { line: 1, words: ['aws', 'ecs', 'register-task-definition', '--cli-input-json', 'file://web.json'], operation: 'RegisterTaskDefinition', response: { taskDefinition: { family: 'web', revision: 1 } } },
        scenario: { name: 'with web:1', seed: 7 },
        view: START_VIEW,
      },
      {
        report: {
          line: 3, words: runTask(3), operation: 'RunTask',
          response: { tasks: [{ taskArn: `${TASK}t1` }, { taskArn: `${TASK}t2` }], failures: [{ reason: 'RESOURCE:MEMORY' }] },
          placement: {
            call: CALL,
            frames: [
              placed(1, { kind: 'tieBreak', among: 2, seed: 7 }, task('t1', 'a1-micro'), A1_ONE),
              placed(2, { kind: 'strategy', step: 0, strategy: CALL.strategies[0] }, task('t2', 'b1-micro'), B1_ONE),
              failedFrame(3),
            ],
          },
        },
        scenario: { name: 'after run 1', seed: 7 },
        view: EXPECTED[2],
      },
      {
        report: { line: 5, words: ['aws', 'ecs', 'update-container-instances-state', '--container-instances', 'b1-micro', '--status', 'DRAINING'], operation: 'UpdateContainerInstancesState', response: {} },
        scenario: { name: 'b1 draining', seed: 7 },
        view: AFTER_DRAIN,
      },
      {
        report: {
          line: 7, words: runTask(2), operation: 'RunTask',
          response: { tasks: [{ taskArn: `${TASK}t4` }, { taskArn: `${TASK}t5` }], failures: [] },
          placement: {
            call: { ...CALL, skipped: [{ containerInstanceArn: `${CI}b1-micro`, cause: { kind: 'notActive', status: 'DRAINING' } }] },
            frames: [
              placed(1, { kind: 'strategy', step: 1, strategy: CALL.strategies[1] }, task('t4', 'a1-micro'), A1_TWO, [2, 1]),
              placed(2, { kind: 'onlyCandidate' }, task('t5', 'a2-micro'), A2_ONE, [1, 1]),
            ],
          },
        },
        scenario: { name: 'after run 2', seed: 7 },
        view: EXPECTED[4],
      },
    ],
  });
}

function deepFreeze(value) {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

deepFreeze(START);
deepFreeze(EXPECTED);

// ---------------------------------------------------------------- tests

test('one step per attempted task, over every placement command, in order', () => {
  const timeline = buildTimeline(trace(), START);
  assert.equal(timeline.seed, 7);
  assert.deepEqual(timeline.steps.map((s) => [s.index, s.command, s.position, s.frame.attempt]),
    [[0, 1, 0, 1], [1, 1, 1, 2], [2, 1, 2, 3], [3, 3, 0, 1], [4, 3, 1, 2]]);
  assert.deepEqual(timeline.commands.map((c) => c.firstStep), [0, 0, 3, 3]);
  assert.deepEqual(timeline.commands.map((c) => c.steps.length), [0, 3, 0, 2]);
  assert.ok(timeline.steps.every((s) => s.kind === 'place' && s.scheduler === undefined), 'RunTask steps: placements, no service');
  assert.equal(timeline.commands[0].call, null, 'a command that places nothing has no call');
  assert.equal(timeline.commands[1].call, CALL);
  assert.equal(timeline.commands[3].report.line, 7);
});

test('commands chain: each starts from the cluster the previous one left', () => {
  const t = trace();
  const timeline = buildTimeline(t, START);
  assert.equal(timeline.commands[0].before.view, START.view);
  assert.equal(timeline.commands[0].before.scenario, START.scenario);
  for (let i = 1; i < t.commands.length; i++) {
    assert.equal(timeline.commands[i].before.view, t.commands[i - 1].view, `command ${i} starts from command ${i - 1}'s view`);
    assert.equal(timeline.commands[i].before.scenario, t.commands[i - 1].scenario);
    assert.equal(timeline.commands[i].after.view, t.commands[i].view);
  }
  assert.equal(timeline.end.view, EXPECTED[4]);
  assert.equal(timeline.end.scenario, t.commands[3].scenario);
});

test('the view at each step is the command\'s start view with its frames applied so far', () => {
  const timeline = buildTimeline(trace(), START);
  EXPECTED.forEach((expected, i) => assert.deepEqual(viewAt(timeline, i), expected, `step ${i}`));
  // The second run starts from the drained cluster: b1 stays DRAINING while a1 and a2 fill.
  assert.equal(viewAt(timeline, 3).instances[2].status, 'DRAINING');
  assert.equal(viewAt(timeline, 0).instances[2].status, 'ACTIVE');
});

test('the last step of each placement command shows the view the core reported after it', () => {
  const t = trace();
  const timeline = buildTimeline(t, START);
  for (const command of timeline.commands.filter((c) => c.steps.length)) {
    assert.deepEqual(viewAt(timeline, command.firstStep + command.steps.length - 1), command.after.view);
  }
});

test('a failed attempt is a step that changes nothing', () => {
  const timeline = buildTimeline(trace(), START);
  const step = timeline.steps[2];
  assert.equal(step.frame.decision.kind, 'failed');
  assert.equal(step.frame.task, undefined);
  assert.deepEqual(viewAt(timeline, 2), viewAt(timeline, 1));
  assert.equal(applyFrame(EXPECTED[1], step.frame), EXPECTED[1], 'the same view, not a copy');
  assert.equal(applyFrame(EXPECTED[1], null), EXPECTED[1]);
  assert.equal(applyFrame(EXPECTED[1], { ...step.frame, task: task('tx', 'a1-micro') }), EXPECTED[1], 'a task without its instance is not drawn');
});

test('outside the steps, the view is the run\'s end view', () => {
  const timeline = buildTimeline(trace(), START);
  for (const index of [-1, 5, 99, 1.5, NaN, undefined]) assert.equal(viewAt(timeline, index), EXPECTED[4], String(index));
});

test('a run without placements: no steps, the end view is the last command\'s', () => {
  const t = trace();
  const timeline = buildTimeline({ seed: 3, commands: [t.commands[0], t.commands[2]] }, START);
  assert.equal(timeline.steps.length, 0);
  assert.equal(viewAt(timeline, 0), AFTER_DRAIN);
  assert.deepEqual(runCounts(timeline), { placed: 0, failed: 0, stopped: 0 });
  const empty = buildTimeline({ seed: 3, commands: [] }, START);
  assert.equal(viewAt(empty, 0), START.view);
  assert.equal(empty.end.scenario, START.scenario);
});

test('a command reported without a view keeps the view it started from', () => {
  const t = trace();
  const { view, scenario, ...withoutView } = t.commands[2];
  const timeline = buildTimeline({ ...t, commands: [t.commands[0], t.commands[1], withoutView] }, START);
  assert.equal(timeline.commands[2].after.view, t.commands[1].view);
  assert.equal(timeline.commands[2].after.scenario, t.commands[1].scenario);
});

test('the cache gives the same views whichever order the steps are asked in', () => {
  const sequential = buildTimeline(trace(), START);
  const views = EXPECTED.map((_, i) => viewAt(sequential, i));
  for (const order of [[4, 3, 2, 1, 0], [2, 4, 0, 3, 1], [3, 0, 4, 4, 1, 2, 0], [1, 1, 3, 3]]) {
    const timeline = buildTimeline(trace(), START);
    for (const i of order) assert.deepEqual(viewAt(timeline, i), views[i], `order ${order}: step ${i}`);
    // And once everything is cached, again from the other end.
    for (let i = EXPECTED.length - 1; i >= 0; i--) assert.deepEqual(viewAt(timeline, i), EXPECTED[i]);
  }
  assert.equal(viewAt(sequential, 3), viewAt(sequential, 3), 'asking twice gives the same view');
});

test('views never change the trace or the start (the fixture is frozen)', () => {
  const timeline = buildTimeline(trace(), START);
  assert.doesNotThrow(() => EXPECTED.forEach((_, i) => viewAt(timeline, i)));
  assert.deepEqual(START.view.tasks, []);
  assert.equal(START.view.instances[0].cpu.remaining, 1024);
});

test('a long run past the cache\'s limit still gives the right view at every step, in any order', () => {
  // 2,500 tasks of 1 CPU unit each on one big instance: the view at step i has i + 1 tasks and
  // 10,000 - (i + 1) CPU units left.
  const COUNT = 2500;
  const big = (n) => ({ ...instance('big', 'us-east-1a'), cpu: { registered: 10_000, remaining: 10_000 - n }, runningTasks: n });
  const frames = Array.from({ length: COUNT }, (_, i) => ({
    attempt: i + 1, decision: { kind: 'onlyCandidate' }, funnel: { active: 1, passedChecks: 1, passedConstraints: 1, strategies: [] },
    task: { taskArn: `${TASK}${i + 1}`, containerInstanceArn: `${CI}big`, group: GROUP, cpu: 1, memory: 0 }, instance: big(i + 1),
  }));
  const t = { seed: 1, commands: [{ report: { line: 1, words: [], operation: 'RunTask', placement: { call: CALL, frames } }, view: { instances: [big(COUNT)], tasks: frames.map((f) => f.task) } }] };
  const timeline = buildTimeline(t, { scenario: {}, view: { instances: [big(0)], tasks: [] } });
  const check = (i) => {
    const view = viewAt(timeline, i);
    assert.equal(view.tasks.length, i + 1);
    assert.equal(view.tasks[i].taskArn, `${TASK}${i + 1}`);
    assert.equal(view.instances[0].cpu.remaining, 10_000 - (i + 1));
  };
  for (const i of [COUNT - 1, 0, 2100, 1999, 2001, 1200, COUNT - 1, 5]) check(i);
  for (let i = 0; i < COUNT; i += 97) check(i);
  assert.deepEqual(viewAt(timeline, COUNT - 1), t.commands[0].view);
});

test('explainRequest gives the cluster the step\'s command started from, its words and the attempt', () => {
  const t = trace();
  const timeline = buildTimeline(t, START);
  assert.deepEqual(explainRequest(timeline, 1), { scenario: t.commands[0].scenario, words: runTask(3), edit: null, schedulerStep: null, attempt: 2, key: '1:-:2' });
  assert.deepEqual(explainRequest(timeline, 4), { scenario: t.commands[2].scenario, words: runTask(2), edit: null, schedulerStep: null, attempt: 2, key: '3:-:2' });
  assert.equal(explainRequest(timeline, 3).scenario, t.commands[2].scenario, 'the drained cluster, not the run\'s start');
  assert.notEqual(explainRequest(timeline, 0).key, explainRequest(timeline, 3).key, 'attempt 1 of two commands: two keys');
  assert.equal(explainRequest(timeline, 5), null);
  assert.equal(explainRequest(timeline, -1), null);
});

test('runCounts counts placed and failed tasks over the whole run', () => {
  assert.deepEqual(runCounts(buildTimeline(trace(), START)), { placed: 4, failed: 1, stopped: 0 });
});

test('applyFrame replaces the chosen instance\'s figures and adds the task, in a new view', () => {
  const frame = placed(1, { kind: 'onlyCandidate' }, task('t9', 'a2-micro'), A2_ONE);
  const view = applyFrame(START_VIEW, frame);
  assert.notEqual(view, START_VIEW);
  assert.deepEqual(view, { instances: [START_VIEW.instances[0], A2_ONE, START_VIEW.instances[2]], tasks: [task('t9', 'a2-micro')] });
  assert.equal(view.instances[0], START_VIEW.instances[0], 'the other instances are shared, not copied');
});

// ---------------------------------------------------------------- the service scheduler's steps

const SERVICE_CALL = { ...CALL, group: 'service:web-svc' };
const svcTask = (id, on) => ({ ...task(id, on), group: 'service:web-svc' });

/**
 * create-service (desired 2: the scheduler places two tasks, then reaches a steady state), then
 * update-container-instances-state draining b1 (the scheduler stops the task there and places a
 * replacement on a2).
 */
function serviceTrace() {
  const A1 = instance('a1-micro', 'us-east-1a', { cpu: 768, memory: 693, runningTasks: 1 });
  const B1 = instance('b1-micro', 'us-east-1b', { cpu: 768, memory: 693, runningTasks: 1 });
  const B1_DRAINED = instance('b1-micro', 'us-east-1b', { status: 'DRAINING' });
  const A2 = instance('a2-micro', 'us-east-1a', { cpu: 768, memory: 693, runningTasks: 1 });
  const placedBy = (frames) => ({ kind: 'placement', service: 'web-svc', reason: 'scale-out', placement: { call: SERVICE_CALL, frames }, failures: [] });
  const event = (message) => ({ kind: 'event', service: 'web-svc', message });
  return deepFreeze({
    seed: 7,
    commands: [
      {
        report: {
          line: 1, words: ['aws', 'ecs', 'create-service', '--service-name', 'web-svc'], operation: 'CreateService',
          scheduler: [
            placedBy([placed(1, { kind: 'onlyCandidate' }, svcTask('s1', 'a1-micro'), A1), placed(2, { kind: 'onlyCandidate' }, svcTask('s2', 'b1-micro'), B1)]),
            event('(service web-svc) has reached a steady state.'),
          ],
        },
        view: { instances: [A1, START_VIEW.instances[1], B1], tasks: [svcTask('s1', 'a1-micro'), svcTask('s2', 'b1-micro')] },
      },
      {
        report: {
          line: 2, words: ['aws', 'ecs', 'update-container-instances-state', '--container-instances', 'b1-micro', '--status', 'DRAINING'], operation: 'UpdateContainerInstancesState',
          scheduler: [
            { kind: 'stop', service: 'web-svc', reason: 'draining', tasks: [{ taskArn: `${TASK}s2`, instance: B1_DRAINED, why: { kind: 'instanceDraining' } }] },
            event('(service web-svc) has stopped 1 running tasks.'),
            { ...placedBy([placed(1, { kind: 'onlyCandidate' }, svcTask('s3', 'a2-micro'), A2)]), reason: 'replace-draining' },
          ],
        },
        view: { instances: [A1, A2, B1_DRAINED], tasks: [svcTask('s1', 'a1-micro'), svcTask('s3', 'a2-micro')] },
      },
    ],
  });
}

test('the scheduler\'s placements and stops are steps of the command that made them, in order', () => {
  const timeline = buildTimeline(serviceTrace(), START);
  assert.deepEqual(timeline.steps.map((s) => [s.kind, s.command, s.position, s.ordinal, s.of]),
    [['place', 0, 0, 1, 2], ['place', 0, 1, 2, 2], ['stop', 1, 0, 1, 1], ['place', 1, 1, 1, 1]]);
  assert.deepEqual(timeline.steps.map((s) => [s.scheduler.step, s.scheduler.service, s.scheduler.reason]),
    [[0, 'web-svc', 'scale-out'], [0, 'web-svc', 'scale-out'], [0, 'web-svc', 'draining'], [2, 'web-svc', 'replace-draining']]);
  assert.equal(timeline.steps[0].call, SERVICE_CALL);
  assert.deepEqual(runCounts(timeline), { placed: 3, failed: 0, stopped: 1 });
});

test('a stop takes the task off and gives its instance the figures the core reported', () => {
  const t = serviceTrace();
  const timeline = buildTimeline(t, START);
  const afterStop = viewAt(timeline, 2);
  assert.deepEqual(afterStop.tasks.map((x) => x.taskArn), [`${TASK}s1`]);
  assert.equal(afterStop.instances[2].status, 'DRAINING');
  assert.equal(afterStop.instances[2].runningTasks, 0);
  assert.deepEqual(viewAt(timeline, 3), t.commands[1].view, 'the replacement lands on a2: the command\'s end view');
  assert.equal(applyStop(START_VIEW, null), START_VIEW);
  assert.equal(applyStop(START_VIEW, { taskArn: 'x' }), START_VIEW, 'a stop without its instance changes nothing');
});

test('events belong to the step after which the scheduler wrote them', () => {
  const timeline = buildTimeline(serviceTrace(), START);
  assert.deepEqual(eventsAt(timeline, 0), [], 'not steady after the first of two placements');
  assert.deepEqual(eventsAt(timeline, 1).map((e) => e.message), ['(service web-svc) has reached a steady state.']);
  assert.deepEqual(eventsAt(timeline, 2).map((e) => e.message), ['(service web-svc) has stopped 1 running tasks.']);
  assert.equal(eventsAt(timeline, 3).length, 1, 'events of the draining command only');
  assert.deepEqual(eventsAt(timeline, 9), []);
});

test('explainRequest names the scheduler step of a scheduled placement, and nothing for a stop', () => {
  const t = serviceTrace();
  const timeline = buildTimeline(t, START);
  assert.deepEqual(explainRequest(timeline, 3), { scenario: START.scenario, words: t.commands[1].report.words, edit: null, schedulerStep: 2, attempt: 1, key: '1:2:1' });
  assert.equal(explainRequest(timeline, 2), null, 'a stop carries its reasons');
  const edit = { kind: 'setStatus', instance: 'b1-micro', status: 'DRAINING' };
  const edited = buildTimeline({ seed: 7, commands: [t.commands[1]] }, START, { edit });
  assert.equal(explainRequest(edited, 1).edit, edit, 'a timeline of a cluster edit asks about the edit');
});

test('a Fargate step of the scheduler is no funnel step and no event: its tasks are in the view\'s lanes', () => {
  const lanes = [{ availabilityZone: 'us-east-1a', tasks: [{ taskArn: 'f1', group: 'service:web' }] }];
  const after = { ...START.view, fargate: lanes };
  const fargate = { kind: 'fargate', service: 'web', at: '2024-01-01T00:00:01Z', action: { kind: 'started', reason: 'scale-out', tasks: lanes[0].tasks } };
  const event = { kind: 'event', service: 'web', event: { message: '(service web) has started 1 tasks: (task f1).' } };
  const timeline = buildTimeline({ seed: 1, commands: [{ report: { scheduler: [fargate, event] }, scenario: START.scenario, view: after }] }, START);
  assert.equal(timeline.steps.length, 0);
  assert.deepEqual(timeline.commands[0].events.map((e) => e.kind), ['event']);
  assert.equal(viewAt(timeline, 0), after);
});
