// Unit tests of web/js/share-link.js: the page's state in the URL hash (readable keys, and the
// compressed `s=1.<data>` part for edited clusters, several runs and long scripts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  LINK_VERSION, MAX_CMD_LENGTH, MAX_INFLATED_BYTES, decodeState, deflate, encodeState, formatHash, inflate, parseHash,
} from '../../web/js/share-link.js';

/** The defaults the page passes (link-actions.js): the commands tab, the sample cluster. */
const DEFAULTS = { tab: 'run', preset: 'sample' };

/** What `decodeState` returns for an empty hash: every field, nothing set. */
const EMPTY = {
  preset: null, usecase: null, tab: null, expr: null, instance: null, console: null, base: null, journal: [], step: null,
};

const JAKE = 'aws ecs run-task --task-definition nouvelleApp --count 9 \\\n'
  + '  --placement-strategy type="spread",field="attribute:ecs.availability-zone" type="binpack",field="memory"';

const run = (script, { usecase = null, whatIf = false } = {}) => ({ type: 'run', script, usecase, whatIf });

async function roundTrip(state, defaults = DEFAULTS) {
  const hash = await encodeState(state, defaults);
  const decoded = await decodeState(`#${hash}`);
  return { hash, ...decoded };
}

// ---------------------------------------------------------------- the readable keys

test('expressions with every special character round-trip through the readable keys', () => {
  const exprs = [
    'attribute:ecs.instance-type =~ t2.*',
    "ec2InstanceId in ['i-abcd1234', 'i-wxyx7890'] && a == \"x&y=z#w+v%20\"",
    'attribute:café == "naïve🙂"\nand not(x == y)',
  ];
  for (const expr of exprs) {
    const hash = formatHash({ expr, instance: 'abc/def', preset: 'other' });
    assert.deepEqual(parseHash(`#${hash}`), { expr, instance: 'abc/def', preset: 'other' });
  }
});

test('the readable keys stay readable: `:`, `=`, `*`, `/` are not escaped; `&`, `+`, `#`, spaces are', () => {
  assert.equal(formatHash({ expr: 'attribute:ecs.instance-type =~ t2.*' }), 'expr=attribute:ecs.instance-type%20=~%20t2.*');
  assert.equal(formatHash({ expr: 'a == b & c' }), 'expr=a%20==%20b%20%26%20c');
  assert.equal(formatHash({ cmd: 'a+b#c' }), 'cmd=a%2Bb%23c');
  assert.equal(formatHash({ instance: 'arn:aws:ecs:us-east-1:1:container-instance/default/a1' }),
    'instance=arn:aws:ecs:us-east-1:1:container-instance/default/a1');
});

test('keys are written in a fixed order, empty values and unknown keys left out', () => {
  assert.equal(
    formatHash({ step: 2, cmd: 'x', instance: 'i', expr: 'e', tab: 'query', usecase: 'jake', preset: 'blog', other: 'no' }),
    'preset=blog&usecase=jake&tab=query&expr=e&instance=i&cmd=x&step=2',
  );
  assert.equal(formatHash({ expr: '', instance: null, preset: undefined }), '');
  assert.equal(formatHash({ step: 0 }), 'step=0', 'zero is a value, not an empty one');
});

test('parseHash ignores unknown keys and malformed escapes, accepts + as a space', () => {
  assert.deepEqual(parseHash('#expr=%E0%A4%A&foo=bar&instance=i-1'), { instance: 'i-1' });
  assert.deepEqual(parseHash('expr=a+%3D%3D+b'), { expr: 'a == b' });
  assert.deepEqual(parseHash(''), {});
  assert.deepEqual(parseHash(null), {});
  assert.deepEqual(parseHash('#&&expr'), { expr: '' });
  assert.deepEqual(parseHash('#expr=a=b'), { expr: 'a=b' }, 'a value may hold `=`');
});

test('a state with only readable keys round-trips without a compressed part', async () => {
  const state = { preset: 'blog', tab: 'query', expr: 'attribute:ecs.instance-type =~ t2.*', instance: 'a1-micro' };
  const { hash, state: back, problem } = await roundTrip(state);
  assert.equal(hash, 'preset=blog&tab=query&expr=attribute:ecs.instance-type%20=~%20t2.*&instance=a1-micro');
  assert.equal(problem, null);
  assert.deepEqual(back, { ...EMPTY, ...state });
});

test('defaults are left out: the default cluster and tab give an empty hash', async () => {
  assert.equal(await encodeState({ preset: 'sample', tab: 'run', expr: '', journal: [], console: '' }, DEFAULTS), '');
  assert.equal(await encodeState({ preset: 'sample', tab: 'query', expr: 'x == y' }, DEFAULTS), 'tab=query&expr=x%20==%20y');
  assert.deepEqual(await decodeState(''), { state: EMPTY, problem: null });
  assert.deepEqual(await decodeState('#'), { state: EMPTY, problem: null });
});

test('a use case names its cluster: no preset is written next to it', async () => {
  const { hash, state } = await roundTrip({ preset: 'blog', usecase: 'jake', tab: 'run', journal: [], console: JAKE, useCaseScript: JAKE });
  assert.equal(hash, 'usecase=jake', 'the use case\'s own script is not copied into the link');
  assert.deepEqual(state, { ...EMPTY, usecase: 'jake' });
});

test('a use case that ran, on show at task 4: `#usecase=jake&step=4`', async () => {
  const state = {
    preset: 'blog', usecase: 'jake', useCaseScript: JAKE, console: JAKE, tab: 'run',
    journal: [run(JAKE, { usecase: 'jake' })], step: 4,
  };
  const { hash, state: back, problem } = await roundTrip(state);
  assert.equal(hash, 'usecase=jake&step=4');
  assert.equal(problem, null);
  // The run's script is the console's (null: the page runs what the console holds, the use case's script).
  assert.deepEqual(back, { ...EMPTY, usecase: 'jake', step: 4, journal: [run(null, { usecase: 'jake' })] });
});

test('step 0 (the cluster after the run) is kept; no step is written when nothing ran', async () => {
  const ran = await roundTrip({ preset: 'blog', console: 'aws ecs list-tasks', journal: [run('aws ecs list-tasks')], step: 0 });
  assert.equal(ran.hash, 'preset=blog&cmd=aws%20ecs%20list-tasks&step=0');
  assert.equal(ran.state.step, 0);
  assert.deepEqual(ran.state.journal, [run(null)]);
  assert.equal(ran.state.console, 'aws ecs list-tasks');

  const typed = await roundTrip({ preset: 'blog', console: 'aws ecs list-tasks', journal: [], step: 3 });
  assert.equal(typed.hash, 'preset=blog&cmd=aws%20ecs%20list-tasks', 'a step without a run means nothing');
  assert.deepEqual(typed.state.journal, []);
  assert.equal(typed.state.step, null);
});

test('an edited use case script is written as `cmd`', async () => {
  const edited = `${JAKE} --count 3`;
  const { hash, state } = await roundTrip({
    usecase: 'jake', useCaseScript: JAKE, console: edited, journal: [run(edited, { usecase: 'jake' })], step: 2,
  });
  assert.match(hash, /^usecase=jake&cmd=aws%20ecs%20run-task%20/);
  assert.doesNotMatch(hash, /s=/, 'one plain run of the console needs no compressed part');
  assert.equal(state.console, edited);
  assert.equal(state.usecase, 'jake');
  assert.deepEqual(state.journal, [run(null, { usecase: 'jake' })]);
  assert.equal(state.step, 2);
});

// ---------------------------------------------------------------- the compressed part

test('a journal of several runs, edits and seed changes round-trips in `s=1.…`', async () => {
  const journal = [
    { type: 'seed', seed: 0 },
    run('aws ecs run-task --task-definition web --count 3'),
    { type: 'edit', edit: { type: 'addInstances', count: 2, instanceType: 't2.micro', zone: 'us-east-1a' } },
    { type: 'seed', seed: Number.MAX_SAFE_INTEGER },
    run('aws ecs run-task --task-definition web --count 30', { whatIf: true }),
    run(JAKE, { usecase: 'jake' }),
  ];
  const state = { preset: 'blog', console: JAKE, journal, step: 7, tab: 'run', expr: 'runningTasksCount == 0' };
  const { hash, state: back, problem } = await roundTrip(state);
  assert.match(hash, new RegExp(`^preset=blog&expr=runningTasksCount%20==%200&cmd=aws%20.*&step=7&s=${LINK_VERSION}\\.[A-Za-z0-9_-]+$`));
  assert.equal(problem, null);
  assert.deepEqual(back, { ...EMPTY, preset: 'blog', console: JAKE, journal, step: 7, expr: 'runningTasksCount == 0' });
});

test('one what-if run of the console is not a plain run: it goes in the journal', async () => {
  const script = 'aws ecs run-task --task-definition web --count 40';
  const { hash, state } = await roundTrip({ preset: 'blog', console: script, journal: [run(script, { whatIf: true })], step: 40 });
  assert.match(hash, /&s=1\./);
  assert.deepEqual(state.journal, [run(script, { whatIf: true })]);
  assert.equal(state.step, 40);
});

test('an imported cluster (`base`) round-trips, with the runs on it', async () => {
  const base = {
    cluster: { name: 'imported' },
    seed: 42,
    instances: [
      {
        containerInstanceArn: 'arn:aws:ecs:eu-west-1:123456789012:container-instance/prod/0b6f0a1c2b3c',
        ec2InstanceId: 'i-0123456789abcdef0',
        status: 'ACTIVE',
        agentConnected: true,
        attributes: { 'ecs.availability-zone': 'eu-west-1a', 'ecs.instance-type': 'm5.large', stack: 'prod' },
        registeredResources: { cpu: 2048, memory: 7987 },
        remainingResources: { cpu: 2048, memory: 7987 },
      },
    ],
    tasks: [],
  };
  const script = 'aws ecs run-task --task-definition web';
  const { hash, state, problem } = await roundTrip({ base, console: script, journal: [run(script)], step: 1, preset: null });
  assert.match(hash, /^cmd=aws%20ecs%20run-task%20--task-definition%20web&step=1&s=1\.[A-Za-z0-9_-]+$/);
  assert.equal(problem, null);
  assert.deepEqual(state.base, base);
  assert.deepEqual(state.journal, [run(script)], 'with a base the run is written out');
  assert.equal(state.console, script);
});

test(`a console text longer than ${MAX_CMD_LENGTH} characters goes in the compressed part`, async () => {
  const long = `# a long script\n${'aws ecs put-attributes --attributes name=stack,value=prod,targetId=a1-micro\n'.repeat(10)}`;
  assert.ok(long.length > MAX_CMD_LENGTH);
  const { hash, state, problem } = await roundTrip({ preset: 'blog', console: long, journal: [] });
  assert.doesNotMatch(hash, /cmd=/);
  assert.match(hash, /^preset=blog&s=1\.[A-Za-z0-9_-]+$/);
  assert.ok(hash.length < long.length, 'compressed, the repeated lines take less room');
  assert.equal(problem, null);
  assert.equal(state.console, long);

  const short = 'x'.repeat(MAX_CMD_LENGTH);
  assert.equal((await roundTrip({ preset: 'blog', console: short })).hash, `preset=blog&cmd=${short}`, 'at the limit it stays readable');
});

test('a run of a long console script is not lost: the link replays it', async () => {
  // Regression: one plain run of a console text over MAX_CMD_LENGTH was written as `s=1.{c}&step=N`
  // without the run, and the link opened with an empty journal (nothing ran) at step N.
  const long = 'aws ecs run-task --task-definition web --count 1\n'.repeat(20);
  assert.ok(long.length > MAX_CMD_LENGTH);
  const { state, problem } = await roundTrip({ preset: 'blog', console: long, journal: [run(long)], step: 3 });
  assert.equal(problem, null);
  assert.equal(state.console, long);
  assert.deepEqual(state.journal, [run(long)]);
  assert.equal(state.step, 3);
});

test('a run with no step on show (stopped or failed after it) is not lost either', async () => {
  const script = 'aws ecs run-task --task-definition web';
  const { hash, state } = await roundTrip({ preset: 'blog', console: script, journal: [run(script)], step: null });
  assert.doesNotMatch(hash, /step=/);
  assert.deepEqual(state.journal, [run(script)]);
  assert.equal(state.step, null);
});

test('deflate and inflate are inverse, for Unicode and for empty text', async () => {
  for (const text of ['', '{}', 'attribute:café == "naïve🙂"', JSON.stringify({ j: [{ r: JAKE }] }), 'a'.repeat(100_000)]) {
    const data = await deflate(text);
    assert.match(data, /^[A-Za-z0-9_-]*$/, 'base64url without padding');
    assert.equal(await inflate(data), text);
  }
});

// ---------------------------------------------------------------- links of earlier versions

test('the keys of earlier versions (`#expr=…&instance=…&preset=…&tab=run&usecase=…&cmd=…`) still open', async () => {
  const cmd = "# Jake\naws ecs run-task --task-definition nouvelleApp \\\n  --placement-strategy type=\"spread\",field='attribute:ecs.availability-zone' & more#";
  const old = 'expr=attribute:ecs.instance-type%20=~%20t2.*&instance=a1-micro&preset=blog&tab=run&usecase=jake'
    + `&cmd=${encodeURIComponent(cmd)}`;
  const { state, problem } = await decodeState(`#${old}`);
  assert.equal(problem, null);
  assert.deepEqual(state, {
    ...EMPTY, preset: 'blog', usecase: 'jake', tab: 'run', expr: 'attribute:ecs.instance-type =~ t2.*', instance: 'a1-micro', console: cmd,
  });
  // Old links wrote `+` for spaces in places; they read as spaces.
  assert.equal((await decodeState('#expr=a+%3D%3D+b')).state.expr, 'a == b');
});

test('what the old format wrote, the new one writes and reads back the same', async () => {
  const cmd = "# Jake\naws ecs run-task --task-definition nouvelleApp \\\n  --placement-strategy type=\"spread\",field='attribute:ecs.availability-zone' & more#";
  const state = { preset: 'other', tab: 'query', usecase: null, expr: 'a == "x&y=z#w+v%20"', instance: 'abc/def', console: cmd };
  const { state: back, problem } = await roundTrip(state);
  assert.equal(problem, null);
  assert.deepEqual(back, { ...EMPTY, ...state });
});

// ---------------------------------------------------------------- damaged links

/** `decodeState` on a hash: it never throws, and says what went wrong in a sentence. */
async function problemOf(hash) {
  const { state, problem } = await decodeState(hash);
  assert.equal(typeof problem, 'string', `${hash.slice(0, 60)}: a problem is reported`);
  assert.match(problem, /^[a-z`].*[^.]$/s, 'a sentence fragment the caller ends (link-actions adds the period)');
  return { state, problem };
}

test('damaged base64 is a problem, not an exception', async () => {
  const { problem, state } = await problemOf('#preset=blog&s=1.abc!def&step=2');
  assert.match(problem, /damaged/);
  assert.equal(state.preset, 'blog', 'the readable keys are still returned');
  assert.equal(state.step, 2);
  assert.deepEqual(state.journal, [], 'no journal is made up from a damaged one');
  assert.match((await problemOf('#s=1.a')).problem, /damaged/, 'a length base64 cannot have');
});

test('a link cut short is a problem', async () => {
  const data = await deflate(JSON.stringify({ j: [{ r: JAKE }, { s: 7 }], c: 'x'.repeat(700) }));
  for (const cut of [Math.floor(data.length / 2), data.length - 4, 0]) {
    const { problem } = await problemOf(`#s=1.${data.slice(0, cut)}`);
    assert.match(problem, /damaged/);
  }
});

test('saved state that is not JSON, or not an object, is a problem', async () => {
  assert.match((await problemOf(`#s=1.${await deflate('{"j": [')}`)).problem, /not JSON/);
  assert.match((await problemOf(`#s=1.${await deflate('[1, 2]')}`)).problem, /damaged/);
  assert.match((await problemOf(`#s=1.${await deflate('null')}`)).problem, /damaged/);
  // Bytes that are not UTF-8.
  const latin1 = await deflateBytes(Uint8Array.from([0x7b, 0xe9, 0x7d]));
  assert.match((await problemOf(`#s=1.${latin1}`)).problem, /damaged/);
});

test('a journal that is not an array, or an entry that is not readable, is a problem', async () => {
  assert.match((await problemOf(`#s=1.${await deflate('{"j": {"r": "aws ecs list-tasks"}}')}`)).problem, /history is damaged/);
  assert.match((await problemOf(`#s=1.${await deflate('{"j": "r"}')}`)).problem, /history is damaged/);
  for (const entry of [{ x: 1 }, { s: -1 }, { s: 1.5 }, { e: 'not an object' }, null, 3]) {
    const { problem } = await problemOf(`#s=1.${await deflate(JSON.stringify({ j: [{ r: 'aws ecs list-tasks' }, entry] }))}`);
    assert.match(problem, /not readable/, JSON.stringify(entry));
  }
});

test('a link of a newer format says so', async () => {
  const data = await deflate('{}');
  const { problem } = await problemOf(`#s=9.${data}`);
  assert.match(problem, /newer version of the playground \(format 9; this page reads format 1\)/);
  assert.equal(LINK_VERSION, 1);
});

test('a saved state without a version is a problem', async () => {
  const data = await deflate('{}');
  for (const value of [data, `.${data}`, `x.${data}`, '']) {
    assert.match((await problemOf(`#s=${value}`)).problem, /no version/, value.slice(0, 10));
  }
});

test('`step=abc` is not a task number', async () => {
  for (const step of ['abc', '-1', '2.5']) {
    const { state, problem } = await problemOf(`#usecase=jake&step=${step}`);
    assert.equal(problem, `\`step=${step}\` is not a task number`);
    assert.equal(state.step, null);
    assert.deepEqual(state.journal, [], 'no run is made up for a step that is not one');
    assert.equal(state.usecase, 'jake');
  }
});

test('a damaged saved state is reported before a bad step', async () => {
  const { problem } = await problemOf('#s=9.AA&step=abc');
  assert.match(problem, /newer version/);
});

test(`saved state inflating past ${MAX_INFLATED_BYTES} bytes (a deflate bomb) is refused`, async () => {
  const bomb = await deflate(`{"c":"${'a'.repeat(MAX_INFLATED_BYTES)}"}`);
  assert.ok(bomb.length < 64 * 1024, 'a small link');
  await assert.rejects(inflate(bomb), /too large/);
  const { problem, state } = await problemOf(`#preset=blog&s=1.${bomb}`);
  assert.match(problem, /damaged/);
  assert.equal(state.console, null);
  assert.equal(state.preset, 'blog');
  // A large but reasonable state (a 1,000-instance cluster is ~1 MB) still opens.
  const big = 'b'.repeat(2 * 1024 * 1024);
  assert.equal((await decodeState(`#s=1.${await deflate(JSON.stringify({ c: big }))}`)).state.console, big);
});

/** deflate-raw + base64url of raw bytes (to build saved state that is not UTF-8). */
async function deflateBytes(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  const out = new Uint8Array(await new Response(stream).arrayBuffer());
  return btoa(String.fromCharCode(...out)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
