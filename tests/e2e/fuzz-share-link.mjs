// Fuzzes the share-link decoder (web/js/share-link.js) under Node: random and mutated hashes,
// including damaged compressed parts, must decode to a state and at most a `problem` sentence —
// never throw, never hang. Not run by the tests (it runs for minutes): `node fuzz-share-link.mjs
// [seconds]`. Prints how many inputs it tried.

import { decodeState, encodeState } from '../../web/js/share-link.js';

const seconds = Number(process.argv[2] ?? 60);
let seed = Number(process.env.SEED ?? 1);
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const pick = (list) => list[Math.floor(random() * list.length)];
const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.=&#%+ :/[](){}"\'\\\u00e9\u{1F642}';

function randomText(max) {
  let text = '';
  const length = Math.floor(random() * max);
  for (let i = 0; i < length; i++) text += pick([...ALPHABET]);
  return text;
}

async function seeds() {
  const states = [
    { usecase: 'jake', console: 'aws ecs run-task --task-definition nouvelleApp', journal: [{ type: 'run', script: 'x', usecase: null, whatIf: false }], step: 3 },
    { preset: 'blog', expr: 'attribute:stack == prod', instance: 'a1-micro', tab: 'query' },
    { base: { version: 1, instances: [{ containerInstanceArn: 'x' }] }, journal: [{ type: 'edit', edit: { type: 'addInstances', instanceType: 't2.micro', availabilityZone: 'a', count: 1 } }, { type: 'seed', seed: 7 }], step: 0 },
  ];
  return Promise.all(states.map((s) => encodeState(s, { tab: 'run', preset: 'sample' })));
}

function mutate(hash) {
  const chars = [...hash];
  const edits = 1 + Math.floor(random() * 6);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(random() * (chars.length + 1));
    switch (Math.floor(random() * 4)) {
      case 0: chars.splice(at, 1); break;
      case 1: chars.splice(at, 0, pick([...ALPHABET])); break;
      case 2: chars.splice(at, chars.length); break;
      default: chars[at] = pick([...ALPHABET]);
    }
  }
  return chars.join('');
}

const corpus = await seeds();
const end = Date.now() + seconds * 1000;
let tried = 0;
while (Date.now() < end) {
  const input = random() < 0.3 ? `#${randomText(200)}` : random() < 0.5 ? mutate(pick(corpus)) : `#s=1.${randomText(300)}`;
  try {
    const { state, problem } = await decodeState(input);
    if (typeof state !== 'object' || (problem !== null && typeof problem !== 'string')) throw new Error('bad shape');
  } catch (error) {
    console.error(`decodeState threw on ${JSON.stringify(input)}: ${error.stack}`);
    process.exit(1);
  }
  tried += 1;
}
console.log(`share-link decoder: ${tried} inputs in ${seconds} s, no exception`);
