// End-to-end tests of the module optimised for speed: a cluster of 1,000 instances or more moves
// the page's worker to it (the page's own module, optimised for size, keeps the short calls), and
// it places exactly as the page's module does; a site without it keeps working on the page's
// module. The server and browser come from harness.mjs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TIMEOUT_MS, closePage, openPage, problems, useServer } from './harness.mjs';

useServer();

const FAST_MODULE = '**/ecs_placement_wasm_fast_bg.wasm';

/** Spread by zone, then binpack by memory, over the large fleet, then a service of 40 tasks. */
const SCRIPT = [
  'aws ecs run-task --cluster default --task-definition webserver --count 200 '
    + '--placement-strategy type=spread,field=attribute:ecs.availability-zone type=binpack,field=memory',
  'aws ecs create-service --cluster default --service-name checkout --task-definition webserver --desired-count 40',
].join('\n');

/** Runs SCRIPT on the page's cluster in the worker; returns the worker's module and the run. */
async function runScript(page) {
  return page.evaluate(async (script) => {
    const { engine, store } = window.__playground;
    const { scenario } = store.get();
    const trace = await engine.run(scenario, script, { keepGoing: true, whatIf: true });
    return { module: engine.workerModule(), trace: JSON.stringify(trace), before: scenario.tasks.length };
  }, SCRIPT);
}

const QUERY = 'attribute:ecs.instance-type =~ m5.* and not(task:group == family:cache)';

/** Types QUERY on the Query tab (evaluated in the worker) and returns the match count's words. */
async function matchCount(page) {
  await page.getByRole('tab', { name: 'Query' }).click();
  await page.getByTestId('cql-input').fill(QUERY);
  await page.waitForFunction(() => /of 1,000 instances match/.test(document.querySelector('[data-testid="match-count"]')?.textContent ?? ''), null, { timeout: 30_000 });
  return (await page.getByTestId('match-count').textContent()).replace(/\s+/g, ' ').trim();
}

/** What the run placed: every command's report and how many tasks the cluster gained. */
function placed({ trace, before }) {
  const { commands, scenario } = JSON.parse(trace);
  assert.equal(commands.length, 2);
  return { reports: commands.map((command) => command.report), added: scenario.tasks.length - before };
}

test('a large cluster runs in the worker on the module optimised for speed, placing as the page\'s module', { timeout: TEST_TIMEOUT_MS * 2 }, async () => {
  const fetched = [];
  const fast = await openPage('#preset=fleet-1000', {
    prepare: (context) => context.route(FAST_MODULE, (route) => {
      fetched.push(route.request().url());
      return route.continue();
    }),
  });
  await fast.waitForFunction(() => window.__playground.engine.workerModule() === 'fast', null, { timeout: 30_000 });
  const onFast = await runScript(fast);
  assert.equal(onFast.module, 'fast');
  // Stop starts a fresh worker: it stays on the fast module and places the same.
  await fast.evaluate(() => window.__playground.engine.stop());
  const afterStop = await runScript(fast);
  assert.equal(afterStop.module, 'fast');
  assert.equal(afterStop.trace, onFast.trace);
  assert.equal(fetched.length, 1, 'the fast module is fetched once per page');
  const fastCount = await matchCount(fast);
  await closePage(fast);

  // The same page where the fast module cannot be compiled (a site deployed without it).
  const small = await openPage('#preset=fleet-1000', {
    prepare: (context) => context.route(FAST_MODULE, (route) => route.fulfill({ status: 200, contentType: 'application/wasm', body: 'not a module' })),
  });
  await small.waitForTimeout(500);
  const onSmall = await runScript(small);
  // The generated fleets come with the full module: the same engine, optimised for size.
  assert.equal(onSmall.module, 'full');
  assert.equal(await matchCount(small), fastCount);
  await closePage(small);

  const a = placed(onFast);
  const b = placed(onSmall);
  assert.equal(a.added, 240, 'the 200 tasks and the 40 of the service');
  assert.deepEqual(a.reports, b.reports);
  assert.equal(onFast.trace, onSmall.trace);
});

test('a small cluster never fetches the module optimised for speed', { timeout: TEST_TIMEOUT_MS }, async () => {
  const fetched = [];
  const page = await openPage('#preset=fleet-300', {
    prepare: (context) => context.route(FAST_MODULE, (route) => {
      fetched.push(route.request().url());
      return route.continue();
    }),
  });
  const run = await runScript(page);
  assert.equal(run.module, 'full', 'the generated fleets come with the full module');
  assert.ok(placed(run).added > 0, 'the run placed tasks');
  assert.deepEqual(fetched, []);
  await closePage(page);
});

test('no console errors or page errors', () => {
  assert.deepEqual(problems, []);
});
