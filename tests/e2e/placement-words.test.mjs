// Unit tests of web/js/placement-words.js: the words and marks the funnel and the bins show for
// the engine's typed placement data (strategies, decisions, fates, skip causes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  chainSource, decisionShort, decisionSentence, failureGroups, funnelRows, keptAt, placeReasonText, skipText, stepMarks,
  stopReasonText, stopWhy, strategyLabel, strategyRule,
} from '../../web/js/placement-words.js';

// ---------------------------------------------------------------- fixtures

const CI = 'arn:aws:ecs:us-east-1:123456789012:container-instance/default/';
const arn = (id) => `${CI}${id}`;
const SPREAD_ZONE = { type: 'spread', field: 'attribute:ecs.availability-zone' };
const BINPACK_MEMORY = { type: 'binpack', field: 'memory' };

const FINDINGS = {
  agent: (passed = true) => ({ check: 'agent', title: 'agent', reason: 'AGENT', summary: 'The ECS agent is disconnected', constraint: false, passed, detail: passed ? 'agent connected' : 'agent disconnected' }),
  attribute: () => ({ check: 'attribute', title: 'attributes', reason: 'ATTRIBUTE', summary: 'An attribute the task definition requires is missing', constraint: false, passed: true, detail: 'no attributes required' }),
  cpu: () => ({ check: 'cpu', title: 'cpu', reason: 'RESOURCE:CPU', summary: 'Not enough CPU left', constraint: false, passed: true, detail: 'needs 256 CPU units, 768 CPU units remaining' }),
  memory: (remaining) => ({ check: 'memory', title: 'memory', reason: 'RESOURCE:MEMORY', summary: 'Not enough memory left', constraint: false, passed: remaining >= 300, detail: `needs 300 MiB, ${remaining} MiB remaining` }),
  memberOf: (passed) => ({ check: 'memberOf', title: 'memberOf', reason: 'MemberOf placement constraint unsatisfied.', summary: 'The memberOf expression does not match', constraint: true, passed, detail: passed ? '`attribute:stack` is `prod`' : '`attribute:stack` is `dev`, not `prod`' }),
};

function report(id, zone, fate, { memory = 693, stack = true, agent = true } = {}) {
  const findings = [FINDINGS.agent(agent), FINDINGS.attribute(), FINDINGS.cpu(), FINDINGS.memory(memory), FINDINGS.memberOf(stack)];
  return {
    containerInstanceArn: arn(id), ec2InstanceId: `i-${id}`, instanceType: 't2.micro', availabilityZone: zone,
    eligible: findings.every((f) => f.passed), fate, findings,
  };
}

const CALL = {
  group: 'family:web',
  reservation: { cpu: 256, memory: 300, gpus: 0, ports: [], portsUdp: [], dynamicPorts: 0, eni: false },
  constraints: [{ type: 'memberOf', expression: 'attribute:stack == prod' }, { type: 'distinctInstance' }],
  strategies: [SPREAD_ZONE, BINPACK_MEMORY],
  strategySource: 'request',
  seed: 7,
  skipped: [
    { containerInstanceArn: arn('s1'), cause: { kind: 'notActive', status: 'DRAINING' } },
    { containerInstanceArn: arn('s2'), cause: { kind: 'external' } },
  ],
};

/**
 * Task 2 of a call: every fate once. x1 lacks memory, x2 is in the wrong stack, spread drops x3
 * (its zone has more tasks), binpack drops x4 (more memory left), x5 and x6 tie and the draw
 * picks x6.
 */
const TASK = {
  attempt: 2,
  instances: [
    report('x1', 'us-east-1a', { kind: 'failedCheck', check: 'memory' }, { memory: 200 }),
    report('x2', 'us-east-1a', { kind: 'failedConstraint', check: 'memberOf' }, { stack: false }),
    report('x3', 'us-east-1b', { kind: 'dropped', step: 0 }),
    report('x4', 'us-east-1a', { kind: 'dropped', step: 1 }, { memory: 700 }),
    report('x5', 'us-east-1a', { kind: 'notDrawn' }, { memory: 393 }),
    report('x6', 'us-east-1a', { kind: 'chosen' }, { memory: 393 }),
  ],
  steps: [
    {
      strategy: SPREAD_ZONE,
      candidates: [
        { containerInstanceArn: arn('x3'), value: 2, label: 'us-east-1b: 2 tasks', kept: false },
        { containerInstanceArn: arn('x4'), value: 1, label: 'us-east-1a: 1 task', kept: true },
        { containerInstanceArn: arn('x5'), value: 1, label: 'us-east-1a: 1 task', kept: true },
        { containerInstanceArn: arn('x6'), value: 1, label: 'us-east-1a: 1 task', kept: true },
      ],
      kept: 3,
      best: 1,
    },
    {
      strategy: BINPACK_MEMORY,
      candidates: [
        { containerInstanceArn: arn('x4'), value: 700, label: '700 MiB remaining', kept: false },
        { containerInstanceArn: arn('x5'), value: 393, label: '393 MiB remaining', kept: true },
        { containerInstanceArn: arn('x6'), value: 393, label: '393 MiB remaining', kept: true },
      ],
      kept: 2,
      best: 393,
    },
  ],
  decision: { kind: 'tieBreak', among: 2, seed: 7 },
  funnel: { active: 6, passedChecks: 5, passedConstraints: 4, strategies: [3, 2] },
  tied: [arn('x5'), arn('x6')],
  placedOn: arn('x6'),
};

const FRAME = {
  attempt: 2,
  decision: TASK.decision,
  funnel: TASK.funnel,
  task: { taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/default/t2', containerInstanceArn: arn('x6'), group: 'family:web', cpu: 256, memory: 300 },
  instance: { containerInstanceArn: arn('x6'), availabilityZone: 'us-east-1a', status: 'ACTIVE', agentConnected: true, cpu: { registered: 1024, remaining: 512 }, memory: { registered: 993, remaining: 93 } },
};

/** A task no instance could take: three lack memory, one has no agent (and no memory), one is in the wrong stack. */
const FAILED_TASK = {
  attempt: 3,
  instances: [
    report('y1', 'us-east-1a', { kind: 'failedCheck', check: 'memory' }, { memory: 100 }),
    report('y2', 'us-east-1a', { kind: 'failedCheck', check: 'agent' }, { memory: 0, agent: false }),
    report('y3', 'us-east-1b', { kind: 'failedCheck', check: 'memory' }, { memory: 200 }),
    report('y4', 'us-east-1b', { kind: 'failedConstraint', check: 'memberOf' }, { stack: false }),
    report('y5', 'us-east-1c', { kind: 'failedCheck', check: 'memory' }, { memory: 299 }),
  ],
  steps: [],
  decision: { kind: 'failed' },
  funnel: { active: 5, passedChecks: 1, passedConstraints: 0, strategies: [] },
};

/** The real explanation of task 4 of the jake use case (the core's snapshot). */
async function jakeTask() {
  const url = new URL('../../crates/ecs-placement/tests/snapshots/trace__jake_task_explanation_snapshot.snap', import.meta.url);
  const text = await readFile(url, 'utf8');
  const explanation = JSON.parse(text.slice(text.indexOf('{')));
  return { call: explanation, task: explanation.tasks[0] };
}

/** The funnel's count at every row, the chosen row last (what funnel.js draws). */
function rowCounts(task) {
  const chosen = task.decision.kind === 'failed' ? 0 : 1;
  return [task.funnel.active, task.funnel.passedChecks, task.funnel.passedConstraints, ...task.funnel.strategies, chosen];
}

// ---------------------------------------------------------------- words

test('strategy labels in the AWS notation', () => {
  const table = [
    [BINPACK_MEMORY, 'binpack(memory)'],
    [{ type: 'binpack', field: 'cpu' }, 'binpack(cpu)'],
    [SPREAD_ZONE, 'spread(attribute:ecs.availability-zone)'],
    [{ type: 'spread', field: 'instanceId' }, 'spread(instanceId)'],
    [{ type: 'random' }, 'random'],
    [null, ''],
    [undefined, ''],
  ];
  for (const [strategy, label] of table) assert.equal(strategyLabel(strategy), label, JSON.stringify(strategy));
});

test('strategy rules in words', () => {
  const table = [
    [BINPACK_MEMORY, 'keeps the instances with the least memory left that still fit'],
    [{ type: 'binpack', field: 'cpu' }, 'keeps the instances with the least CPU left that still fit'],
    [{ type: 'spread', field: 'instanceId' }, 'keeps the instances running the fewest tasks of the group'],
    [{ type: 'spread', field: 'host' }, 'keeps the instances running the fewest tasks of the group'],
    [SPREAD_ZONE, 'keeps the ecs.availability-zone value with the fewest tasks of the group'],
    [{ type: 'spread', field: 'attribute:stack' }, 'keeps the stack value with the fewest tasks of the group'],
    [{ type: 'random' }, 'picks one of the instances left at random (seeded)'],
    [{ type: 'other' }, ''],
    [null, ''],
  ];
  for (const [strategy, rule] of table) assert.equal(strategyRule(strategy), rule, JSON.stringify(strategy));
});

test('where the strategy chain came from', () => {
  assert.equal(chainSource('runTaskDefault'), 'No strategy was given: RunTask places tasks at random by default.');
  assert.equal(chainSource('serviceDefault'), 'No strategy was given: services spread over Availability Zones, then over instances, by default.');
  assert.equal(chainSource('request'), null, 'a chain the command gave needs no note');
  assert.equal(chainSource(undefined), null);
});

test('every decision kind in a sentence and in short', () => {
  const table = [
    [{ kind: 'onlyCandidate' }, 'Only a1-micro passed every check and constraint.', 'the only instance that passed'],
    [{ kind: 'strategy', step: 1, strategy: BINPACK_MEMORY }, 'binpack(memory) decided: it left a1-micro alone.', 'decided by binpack(memory)'],
    [
      { kind: 'tieBreak', among: 3, seed: 2016 },
      '3 instances were equally good after every strategy; a random draw seeded with 2016 picked a1-micro (the same seed always picks the same one).',
      'random tie-break among 3 (seed 2016)',
    ],
    [{ kind: 'randomStrategy', among: 12, seed: 0 }, 'The random strategy picked a1-micro among 12 instances (seed 0).', 'random strategy among 12 (seed 0)'],
    [{ kind: 'failed' }, 'No instance passed every check and constraint: the task was not placed.', 'not placed'],
    [{ kind: 'somethingNew' }, '', ''],
    [null, '', ''],
  ];
  for (const [decision, sentence, short] of table) {
    assert.equal(decisionSentence(decision, 'a1-micro'), sentence, JSON.stringify(decision));
    assert.equal(decisionShort(decision), short, JSON.stringify(decision));
  }
});

test('every skip cause in words', () => {
  const table = [
    [{ kind: 'notActive', status: 'DRAINING' }, 'DRAINING: only ACTIVE instances receive tasks'],
    [{ kind: 'notActive', status: 'INACTIVE' }, 'INACTIVE: only ACTIVE instances receive tasks'],
    [{ kind: 'external' }, 'external instance: launch type EC2 uses EC2 instances'],
    [{ kind: 'notExternal' }, 'EC2 instance: launch type EXTERNAL uses external instances'],
    [{ kind: 'somethingNew' }, 'not considered'],
    [undefined, 'not considered'],
  ];
  for (const [cause, text] of table) assert.equal(skipText(cause), text, JSON.stringify(cause));
});

// ---------------------------------------------------------------- marks

test('without the explanation only the chosen instance and the skipped ones are marked', () => {
  const marks = stepMarks({ frame: FRAME, call: CALL, task: null });
  assert.deepEqual([...marks], [
    [arn('s1'), { state: 'skipped', text: 'Not considered', detail: 'DRAINING: only ACTIVE instances receive tasks' }],
    [arn('s2'), { state: 'skipped', text: 'Not considered', detail: 'external instance: launch type EC2 uses EC2 instances' }],
    [arn('x6'), { state: 'chosen', text: 'Task 2 placed here' }],
  ]);
  const failed = stepMarks({ frame: { attempt: 3, decision: { kind: 'failed' }, funnel: FAILED_TASK.funnel }, call: CALL, task: null });
  assert.deepEqual([...failed.keys()], [arn('s1'), arn('s2')], 'a failed task marks no instance as chosen');
  assert.equal(stepMarks({ frame: FRAME, call: null, task: null }).size, 1);
});

test('with the explanation every instance gets the mark of its fate', () => {
  const marks = stepMarks({ frame: FRAME, call: CALL, task: TASK });
  assert.deepEqual(Object.fromEntries([...marks].map(([a, m]) => [a.slice(CI.length), m])), {
    s1: { state: 'skipped', text: 'Not considered', detail: 'DRAINING: only ACTIVE instances receive tasks' },
    s2: { state: 'skipped', text: 'Not considered', detail: 'external instance: launch type EC2 uses EC2 instances' },
    x1: { state: 'failed', text: 'Fails memory', detail: 'RESOURCE:MEMORY — needs 300 MiB, 200 MiB remaining' },
    x2: { state: 'failed', text: 'Fails memberOf', detail: 'MemberOf placement constraint unsatisfied. — attribute:stack is dev, not prod' },
    x3: { state: 'dropped', text: 'Dropped by spread', detail: 'us-east-1b: 2 tasks; the kept ones have us-east-1a: 1 task' },
    x4: { state: 'dropped', text: 'Dropped by binpack', detail: '700 MiB remaining; the kept ones have 393 MiB remaining' },
    x5: { state: 'notDrawn', text: 'Tied, not drawn', detail: 'as good as the chosen one; the seeded draw picked another' },
    x6: { state: 'chosen', text: 'Task 2 placed here' },
  });
});

test('marks say what they can when the explanation lacks details', () => {
  const task = {
    attempt: 5,
    steps: [],
    instances: [
      { containerInstanceArn: arn('z1'), fate: { kind: 'dropped', step: 3 }, findings: [] },
      { containerInstanceArn: arn('z2'), fate: { kind: 'failedCheck', check: 'ports' }, findings: [] },
      { containerInstanceArn: arn('z3'), findings: [] },
      { containerInstanceArn: arn('z4'), fate: { kind: 'chosen' } },
    ],
  };
  const marks = stepMarks({ frame: null, call: null, task });
  assert.deepEqual(marks.get(arn('z1')), { state: 'dropped', text: 'Dropped by a strategy', detail: undefined });
  assert.deepEqual(marks.get(arn('z2')), { state: 'failed', text: 'Fails ports', detail: undefined });
  assert.deepEqual(marks.get(arn('z3')), { state: 'kept', text: 'Eligible' });
  assert.deepEqual(marks.get(arn('z4')), { state: 'chosen', text: 'Task 5 placed here' }, 'the task\'s attempt without a frame');
});

test('a highlighted funnel row marks what it kept as kept and the rest as out', () => {
  const counts = rowCounts(TASK);
  counts.forEach((count, stage) => {
    const marks = stepMarks({ frame: FRAME, call: CALL, task: TASK, stage });
    const kept = [...marks.values()].filter((m) => m.state === 'kept' || m.state === 'chosen').length;
    assert.equal(kept, count, `row ${stage} keeps ${count}`);
    assert.equal(marks.get(arn('s1')).state, 'skipped', 'skipped instances stay skipped whatever the row');
  });
  const plain = stepMarks({ frame: FRAME, call: CALL, task: TASK });
  assert.deepEqual(stepMarks({ frame: FRAME, call: CALL, task: TASK, stage: null }), plain, 'null: no row highlighted');
  assert.equal(plain.get(arn('x5')).state, 'notDrawn', 'without a row, each instance shows its final fate');
});

test('the highlighted chosen row keeps only the chosen instance', async () => {
  // The chosen row is the one after the strategy rows (funnel.js): row 5 here.
  const chosenRow = funnelRows({ frame: FRAME, call: CALL, task: TASK }).length;
  const marks = stepMarks({ frame: FRAME, call: CALL, task: TASK, stage: chosenRow });
  assert.equal(marks.get(arn('x6')).state, 'chosen');
  assert.deepEqual(marks.get(arn('x5')), { state: 'dropped', text: 'Tied, not drawn', detail: 'as good as the chosen one; the seeded draw picked another' });
  // The same on the core's jake explanation: a1 chosen, b1 and c4 tied and not drawn.
  const jake = await jakeTask();
  const frame = { attempt: 4, decision: jake.task.decision, funnel: jake.task.funnel, instance: { containerInstanceArn: jake.task.placedOn } };
  const row = funnelRows({ frame, call: jake.call, task: jake.task }).length;
  const states = [...stepMarks({ frame, call: jake.call, task: jake.task, stage: row }).values()].map((m) => m.state);
  assert.equal(states.filter((s) => s !== 'dropped' && s !== 'failed' && s !== 'skipped').length, 1, 'as many as the row counts: 1');
});

test('a highlighted strategy row shows every instance it kept', () => {
  const marks = stepMarks({ frame: FRAME, call: CALL, task: TASK, stage: 3 });
  const shown = [...marks].filter(([, m]) => !['dropped', 'failed', 'skipped'].includes(m.state)).map(([a]) => a);
  assert.deepEqual(shown, [arn('x4'), arn('x5'), arn('x6')], 'the spread row keeps 3');
});

// ---------------------------------------------------------------- the funnel

test('keptAt: the instances kept at each row number the funnel\'s count for that row', async () => {
  for (const [name, task] of [['every fate', TASK], ['failed', FAILED_TASK], ['jake task 4', (await jakeTask()).task]]) {
    const steps = task.funnel.strategies.length;
    const counts = rowCounts(task);
    counts.forEach((count, stage) => {
      const kept = task.instances.filter((i) => keptAt(i.fate, stage, steps)).length;
      assert.equal(kept, count, `${name}: row ${stage}`);
    });
  }
});

test('keptAt row by row for each fate', () => {
  const table = [
    // fate, kept at rows 0 … 5 (rows 3 and 4: strategies 0 and 1; row 5: chosen)
    [{ kind: 'failedCheck', check: 'cpu' }, [true, false, false, false, false, false]],
    [{ kind: 'failedConstraint', check: 'memberOf' }, [true, true, false, false, false, false]],
    [{ kind: 'dropped', step: 0 }, [true, true, true, false, false, false]],
    [{ kind: 'dropped', step: 1 }, [true, true, true, true, false, false]],
    [{ kind: 'notDrawn' }, [true, true, true, true, true, false]],
    [{ kind: 'chosen' }, [true, true, true, true, true, true]],
  ];
  for (const [fate, rows] of table) {
    assert.deepEqual(rows.map((_, stage) => keptAt(fate, stage, 2)), rows, JSON.stringify(fate));
  }
  assert.equal(keptAt({ kind: 'notDrawn' }, 5), true, 'without the number of steps there is no chosen row');
  assert.equal(keptAt({ kind: 'failedCheck', check: 'cpu' }, -1, 2), true, 'before the first row everything is in');
});

test('funnel rows from the frame\'s counts alone, before the explanation arrives', () => {
  const rows = funnelRows({ frame: FRAME, call: CALL, task: null });
  assert.deepEqual(rows, [
    { key: 'active', label: 'ACTIVE instances', rule: '2 not considered (not ACTIVE or the other launch type)', count: 6 },
    { key: 'checks', label: 'pass the cluster checks', rule: 'agent, attributes, 256 CPU units, 300 MiB', count: 5 },
    { key: 'constraints', label: 'satisfy the constraints', rule: 'memberOf(attribute:stack == prod) · distinctInstance', count: 4 },
    { key: 'strategy-0', label: 'spread(attribute:ecs.availability-zone)', rule: 'keeps the ecs.availability-zone value with the fewest tasks of the group', count: 3, note: null },
    { key: 'strategy-1', label: 'binpack(memory)', rule: 'keeps the instances with the least memory left that still fit', count: 2, note: null },
  ]);
});

test('funnel rows with the explanation: the checks that ran and what each strategy kept', () => {
  const rows = funnelRows({ frame: FRAME, call: CALL, task: TASK });
  assert.equal(rows[1].rule, 'agent, attributes, cpu, memory', 'the checks\' titles, constraints left out');
  assert.deepEqual(rows.slice(3).map((r) => r.note), ['kept: us-east-1a: 1 task', 'kept: 393 MiB remaining']);
  assert.deepEqual(rows.map((r) => r.count), [6, 5, 4, 3, 2]);
});

test('funnel rows: ports in the reservation, no call, no constraints, a random strategy', () => {
  const withPorts = { ...CALL, reservation: { ...CALL.reservation, ports: [80, 443] }, constraints: [], skipped: [] };
  const rows = funnelRows({ frame: FRAME, call: withPorts, task: null });
  assert.equal(rows[0].rule, 'every instance the call may use');
  assert.equal(rows[1].rule, 'agent, attributes, 256 CPU units, 300 MiB, ports 80 443');
  assert.deepEqual([rows[2].label, rows[2].rule], ['no placement constraints', 'nothing to satisfy']);

  const bare = funnelRows({ frame: FRAME, call: null, task: null });
  assert.equal(bare.length, 3, 'no call: no strategy rows');
  assert.equal(bare[1].rule, 'agent, attributes, resources');

  // `random` ends the chain: the core counts one strategy step, later ones get no row.
  const random = { ...CALL, strategies: [{ type: 'random' }, BINPACK_MEMORY] };
  const frame = { ...FRAME, decision: { kind: 'randomStrategy', among: 4, seed: 7 }, funnel: { ...FRAME.funnel, strategies: [4] } };
  const task = { ...TASK, steps: [{ strategy: { type: 'random' }, candidates: [{ containerInstanceArn: arn('x3'), label: 'any', kept: true }] }] };
  const randomRows = funnelRows({ frame, call: random, task });
  assert.deepEqual(randomRows.slice(3).map((r) => [r.label, r.count, r.note]), [['random', 4, null]], 'random keeps no "best"');

  const nothing = funnelRows({ frame: null, call: CALL, task: null });
  assert.deepEqual(nothing.map((r) => r.count), [0, 0, 0], 'no counts at all: empty rows, no strategy rows');
});

test('failureGroups groups a failed task\'s instances by their first failing check', () => {
  assert.deepEqual(failureGroups(FAILED_TASK), [
    { reason: 'RESOURCE:MEMORY', summary: 'Not enough memory left', count: 3, example: 'needs 300 MiB, 100 MiB remaining' },
    { reason: 'AGENT', summary: 'The ECS agent is disconnected', count: 1, example: 'agent disconnected' },
    { reason: 'MemberOf placement constraint unsatisfied.', summary: 'The memberOf expression does not match', count: 1, example: 'attribute:stack is dev, not prod' },
  ]);
  const total = failureGroups(FAILED_TASK).reduce((n, g) => n + g.count, 0);
  assert.equal(total, FAILED_TASK.funnel.active - FAILED_TASK.funnel.passedConstraints, 'every instance that did not pass is in a group');
  assert.deepEqual(failureGroups(TASK).map((g) => [g.reason, g.count]), [['RESOURCE:MEMORY', 1], ['MemberOf placement constraint unsatisfied.', 1]],
    'eligible instances are not failures');
  assert.deepEqual(failureGroups(null), []);
});

// ---------------------------------------------------------------- the service scheduler

/** The variants of a Rust enum of the core, as serde writes them in kebab-case. */
async function kebabVariants(enumName) {
  const source = await readFile(new URL('../../crates/ecs-placement/src/service/steps.rs', import.meta.url), 'utf8');
  const body = source.slice(source.indexOf(`pub enum ${enumName} {`)).split('\n}')[0];
  return [...body.matchAll(/^ {4}([A-Z][A-Za-z]+),$/gm)].map((m) => m[1].replace(/[A-Z]/g, (c, i) => (i ? '-' : '') + c.toLowerCase()));
}

test('every reason the scheduler gives for placing or stopping has words, never the raw label', async () => {
  const place = await kebabVariants('PlaceReason');
  const stop = await kebabVariants('StopReason');
  assert.deepEqual(place, ['scale-out', 'replace-draining', 'daemon', 'rebalance']);
  assert.deepEqual(stop, ['scale-in', 'draining', 'daemon-ineligible', 'rebalance', 'delete']);
  for (const reason of place) assert.notEqual(placeReasonText(reason), reason);
  for (const reason of stop) assert.notEqual(stopReasonText(reason), reason);
  assert.equal(placeReasonText('replace-draining'), 'a replacement for a task on a draining instance');
  assert.equal(stopReasonText('scale-in'), 'the service runs more tasks than its desired count');
  assert.equal(stopReasonText(undefined), '');
});

const SCALE_IN = {
  candidates: 3,
  strategySource: 'serviceDefault',
  steps: [
    { strategy: SPREAD_ZONE, kept: 2, value: 2, label: 'us-east-1a: 2 tasks of the service' },
    { strategy: { type: 'spread', field: 'instanceId' }, kept: 1, value: 1, label: 'a1: 1 task of the service' },
  ],
  decision: { kind: 'strategy', step: 1, strategy: { type: 'spread', field: 'instanceId' } },
};

test('stopWhy: scale-in tells the reversed chain step by step', () => {
  const why = stopWhy({ kind: 'scaleIn', ...SCALE_IN }, 'a1');
  assert.match(why.headline, /^Scale-in chose the task on a1 among 3: /);
  assert.deepEqual(why.lines, [
    'spread(attribute:ecs.availability-zone), reversed: narrows to 2 tasks — us-east-1a: 2 tasks of the service',
    'spread(instanceId), reversed: narrows to 1 task — a1: 1 task of the service',
  ]);
});

test('stopWhy: draining, daemons, rebalancing and deletion', () => {
  assert.match(stopWhy({ kind: 'instanceDraining' }, 'b1').headline, /^b1 is draining: /);
  assert.equal(stopWhy({ kind: 'daemonIneligible', cause: { kind: 'constraintUnsatisfied', expression: 'attribute:stack == prod' } }, 'b1').headline,
    'The daemon no longer belongs on b1: the constraint attribute:stack == prod is false there.');
  assert.match(stopWhy({ kind: 'daemonIneligible', cause: { kind: 'duplicate' } }, 'b1').headline, /another task of the daemon runs there/);
  assert.match(stopWhy({ kind: 'daemonIneligible', cause: { kind: 'notActive' } }, 'b1').headline, /the instance is not ACTIVE/);
  const rebalance = stopWhy({ kind: 'rebalance', zone: 'us-east-1a', zoneTasks: 3, fewestZone: 'us-east-1b', fewestTasks: 1, choice: SCALE_IN }, 'a1');
  assert.equal(rebalance.headline, 'AZ rebalancing: us-east-1a ran 3 of the service\'s tasks and us-east-1b 1; a task leaves us-east-1a.');
  assert.equal(rebalance.lines.length, 3, 'the choice within the zone follows');
  assert.equal(stopWhy({ kind: 'serviceDeleted' }, 'a1').headline, 'The service was deleted: all its tasks stop.');
  assert.deepEqual(stopWhy(undefined, 'a1'), { headline: '', lines: [] });
});
