// Unit tests of web/js/url-state.js: the page state in the URL hash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatHash, parseHash } from '../../web/js/url-state.js';

test('round-trips expressions with every special character', () => {
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

test('keeps the hash readable', () => {
  assert.equal(formatHash({ expr: 'attribute:ecs.instance-type =~ t2.*' }), 'expr=attribute:ecs.instance-type%20=~%20t2.*');
  assert.equal(formatHash({ expr: 'a == b & c' }), 'expr=a%20==%20b%20%26%20c');
});

test('leaves out empty and default values', () => {
  assert.equal(formatHash({ expr: '', instance: null, preset: 'sample' }, { preset: 'sample' }), '');
  assert.equal(formatHash({ expr: 'x == y', preset: 'sample' }, { preset: 'sample' }), 'expr=x%20==%20y');
});

test('ignores unknown keys and malformed escapes, accepts + as a space', () => {
  assert.deepEqual(parseHash('#expr=%E0%A4%A&foo=bar&instance=i-1'), { instance: 'i-1' });
  assert.deepEqual(parseHash('expr=a+%3D%3D+b'), { expr: 'a == b' });
  assert.deepEqual(parseHash(''), {});
  assert.deepEqual(parseHash('#&&expr'), { expr: '' });
});

test('round-trips the console: a use case, the tab, multi-line commands with quotes', () => {
  const cmd = "# Jake\naws ecs run-task --task-definition nouvelleApp \\\n  --placement-strategy type=\"spread\",field='attribute:ecs.availability-zone' & more#";
  const state = { preset: 'blog', tab: 'run', usecase: 'jake', cmd };
  assert.deepEqual(parseHash(`#${formatHash(state)}`), state);
  assert.equal(formatHash({ tab: 'query', preset: 'sample' }, { tab: 'query', preset: 'sample' }), '');
  assert.equal(formatHash({ usecase: 'jake', tab: 'run' }), 'tab=run&usecase=jake');
});
