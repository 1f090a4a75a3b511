// End-to-end tests of the command console: blog use cases run from the page, placements replayed
// task by task with their explanation (the funnel and the table of every instance's figures), AWS
// CLI errors as results, Undo/Reset, what-if requests, the seed and the URL. The server and
// browser come from harness.mjs.
//
// The blog cluster has seed 2016, so every run here places its tasks the same way.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TIMEOUT_MS, axeViolations, closePage, openPage, problems, settle, useServer, waitForExplanation } from './harness.mjs';

useServer();

const STILL = { reducedMotion: 'reduce' };

/** Opens the console tab and loads a blog use case (its preset and script). */
async function chooseUseCase(page, name) {
  await page.getByTestId('tab-console').click();
  await page.locator(`[data-testid="usecase"][data-name="${name}"]`).click();
  await page.waitForFunction((n) => document.querySelector(`[data-testid="usecase"][data-name="${n}"]`)?.getAttribute('aria-pressed') === 'true', name);
}

/** Clicks Run and waits for the run to end and `count` results to show. */
async function run(page, count = null) {
  const before = await page.evaluate(() => window.__playground.store.get().run?.id ?? 0);
  await page.getByTestId('run-button').click();
  await page.waitForFunction((id) => {
    const current = window.__playground.store.get().run;
    return current && current.id !== id && current.status !== 'running';
  }, before);
  if (count !== null) {
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="command-result"]').length === n, count);
  }
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/** Replaces the console text. */
async function setCommands(page, text) {
  await page.getByTestId('console-input').fill(text);
}

/** Running tasks drawn per Availability Zone, in zone order. */
async function zoneTasks(page) {
  return page.$$eval('#bins .zone', (zones) => zones.map((z) => [z.dataset.zone, Number(z.dataset.tasks)]));
}

/** Running tasks of the cluster (after the run, whatever task the player shows). */
async function clusterTasks(page) {
  return page.evaluate(() => window.__playground.store.get().view.instances.reduce((n, i) => n + i.runningTasks, 0));
}

async function playerStep(page) {
  await settle(page);
  return Number(await page.getByTestId('player').getAttribute('data-step'));
}

async function results(page) {
  return page.$$eval('[data-testid="command-result"]', (items) => items.map((li) => ({
    status: li.dataset.status,
    operation: li.dataset.operation,
    summary: li.querySelector('[data-testid="result-summary"]')?.textContent ?? null,
    error: li.querySelector('[data-testid="result-error"]')?.textContent ?? null,
    warnings: [...li.querySelectorAll('[data-testid="result-warning"]')].map((w) => w.textContent),
  })));
}

test('Jake: nine tasks land one at a time, three per Availability Zone, each explained', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await openPage();
  await chooseUseCase(page, 'jake');
  assert.match(await page.getByTestId('usecase-note').textContent(), /Jake: spread over zones, binpack memory/);
  assert.match(await page.getByTestId('console-input').inputValue(), /--placement-strategy type="spread"/);
  assert.equal(await page.locator('[data-testid="instance-bin"]').count(), 12, 'the blog cluster is loaded');
  assert.equal(await clusterTasks(page), 0);

  await run(page, 1);
  // The placements play, one task at a time, and end on the ninth.
  await page.waitForFunction(() => {
    const p = document.querySelector('[data-testid="player"]');
    return p.dataset.step === '9' && p.dataset.playing === 'false';
  }, null, { timeout: 20_000 });
  const [result] = await results(page);
  assert.equal(result.status, 'ok');
  assert.match(result.summary, /^Placed 9 tasks: 3 on i-\S+ \(us-east-1[abc]\)/);
  assert.equal(await clusterTasks(page), 9);
  assert.deepEqual(await zoneTasks(page), [['us-east-1a', 3], ['us-east-1b', 3], ['us-east-1c', 3]]);

  // Back to the first task: one task drawn, on the chosen bin, its segment marked new.
  await page.getByTestId('player-first').click();
  assert.equal(await playerStep(page), 1);
  assert.equal((await zoneTasks(page)).map(([, n]) => n).reduce((a, b) => a + b), 1, 'one task so far');
  const chosen = page.locator('[data-testid="instance-bin"][data-placement="chosen"]');
  assert.equal(await chosen.count(), 1);
  assert.equal(await chosen.getAttribute('data-tasks'), '1');
  assert.equal(await chosen.locator('.seg--new').count(), 2, 'the new task in both tubes');
  const funnel = page.getByRole('region', { name: 'Placement funnel' });
  await waitForExplanation(page);
  const stages = await funnel.getByTestId('funnel-stage').evaluateAll((els) => els.map((e) => e.dataset.stage));
  assert.deepEqual(stages, ['active', 'checks', 'constraints', 'strategy-0', 'strategy-1', 'chosen']);
  assert.match(await funnel.getByTestId('funnel-decision').textContent(), /3 instances were equally good after every strategy; a random draw seeded with 2016 picked/);

  // Step with Next (and the keyboard) to the third task: binpack(memory) alone decides it.
  await page.getByTestId('player-next').click();
  await page.getByTestId('player-next').press('ArrowRight');
  assert.equal(await playerStep(page), 3);
  await page.waitForFunction(() => /binpack\(memory\) decided/.test(document.querySelector('[data-testid="funnel-decision"]').textContent));
  assert.match(await page.getByTestId('player-status').textContent(), /Task 3 of 9 · RunTask on line 3: placed on a1-micro \(us-east-1a\) · decided by binpack\(memory\)/);
  assert.equal((await zoneTasks(page)).map(([, n]) => n).reduce((a, b) => a + b), 3);
  const counts = await funnel.getByTestId('funnel-stage').evaluateAll((els) => els.map((e) => e.dataset.count));
  assert.deepEqual(counts, ['12', '12', '12', '4', '1', '1'], 'spread keeps the 4 instances of us-east-1a, binpack keeps one');

  // Every instance's figures for this task, in a table.
  await page.getByTestId('explain-details').locator('summary').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="explain-row"]').length === 12);
  assert.equal(await page.locator('[data-testid="explain-row"][data-fate="chosen"]').count(), 1);

  // Clicking a bin during the run shows how it fared for this task.
  const other = page.locator('[data-testid="instance-bin"][data-placement="dropped"]').first();
  await other.click();
  assert.match(await page.getByTestId('inspector-fate').textContent(), /Dropped by (spread|binpack)/);

  await page.emulateMedia({ colorScheme: 'dark' });
  assert.deepEqual(await axeViolations(page), [], 'a placement run (dark scheme)');

  // Closing the player shows the cluster after the run.
  await page.getByTestId('player-close').click();
  await settle(page);
  assert.equal(await page.locator('[data-testid="instance-bin"][data-placement]').count(), 0);
  assert.deepEqual(await zoneTasks(page), [['us-east-1a', 3], ['us-east-1b', 3], ['us-east-1c', 3]]);
  assert.equal(await page.getByRole('region', { name: 'Placement funnel' }).count(), 0);
  await closePage(page);
});

/** Aditya's constraint run with run-task (the use case now creates a service), glob then regex. */
const ADITYA_RUN_TASKS = `# Aditya keeps a GPU workload on GPU instances. The post writes the constraint with globs:
#   attribute:ecs.instance-type =~ g2* or attribute:ecs.instance-type =~ p2*
# CQL reads \`=~\` as a regular expression matched against the whole value, so
# \`g2*\` matches g, g2, g22, ... but not g2.2xlarge: no instance qualifies.
# run-task shows the constraint a task at a time.
aws ecs run-task --task-definition GPU --count 2 \\
--placement-constraints type="memberOf",expression="attribute:ecs.instance-type =~ g2* or attribute:ecs.instance-type =~ p2*"

# What the post meant: g2.* and p2.*
aws ecs run-task --task-definition GPU --count 2 \\
--placement-constraints type="memberOf",expression="attribute:ecs.instance-type =~ g2.* or attribute:ecs.instance-type =~ p2.*"`;

test('Aditya: the glob constraint places nothing (MemberOf failures, a warning); the regex one works', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await openPage('#preset=blog&tab=run', STILL);
  await setCommands(page, ADITYA_RUN_TASKS);
  await run(page, 2);
  const [first, second] = await results(page);
  assert.equal(first.status, 'ok');
  assert.match(first.summary, /^Placed no task; 12 failures: .*MemberOf placement constraint unsatisfied on i-a3g2\S*, i-c3p2/);
  assert.ok(first.warnings.some((w) => /`g2\*` reads like a shell glob/.test(w)), first.warnings.join('\n'));
  // The rendered diagnostic keeps its carets in a <pre>.
  assert.match(await page.locator('[data-testid="result-warning"] pre').first().textContent(), /\^\^\^/);
  assert.match(second.summary, /^Placed 2 tasks/);
  assert.equal(await clusterTasks(page), 2);

  // Reduced motion: nothing plays; the first task (which failed) is on show.
  assert.equal(await playerStep(page), 1);
  assert.equal(await page.getByTestId('player').getAttribute('data-playing'), 'false');
  await waitForExplanation(page);
  const funnel = page.getByRole('region', { name: 'Placement funnel' });
  assert.match(await funnel.textContent(), /not placed/);
  assert.match(await funnel.textContent(), /AWS reports: RESOURCE:MEMORY on 6 instances, MemberOf placement constraint unsatisfied\. on 2 instances, RESOURCE:GPU on 4 instances/);
  assert.equal(await page.locator('[data-testid="instance-bin"][data-placement="failed"]').count(), 12);
  // The GPU instances fail only the memberOf check.
  const g2 = page.locator('[data-testid="instance-bin"][data-arn$="/a3-g2"]');
  assert.match(await g2.getAttribute('title'), /Fails memberOf: MemberOf placement constraint unsatisfied\. — attribute:ecs\.instance-type =~ g2\* or attribute:ecs\.instance-type =~ p2\* is false/);

  // The second command's first task goes to a GPU instance ("Replay placements" jumps to it).
  await page.getByTestId('show-placements').nth(1).click();
  assert.equal(await playerStep(page), 2);
  assert.match(await page.getByTestId('player-status').textContent(), /Task 1 of 2 · RunTask on line 10: placed on (a3-g2|c3-p2)/);
  assert.match(await page.getByTestId('run-announce').textContent(), /2 commands: 2 succeeded · seed 2016\. RunTask on line 6: Placed no task/);
  assert.deepEqual(await axeViolations(page), [], 'failures, warnings (light scheme)');
  await closePage(page);
});

test('a failed command shows the AWS CLI error and the page keeps working; Undo and Reset restore the cluster', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await openPage('#preset=blog&tab=run', STILL);
  assert.equal(await page.getByTestId('console-input').isVisible(), true, 'tab=run opens the console');

  await setCommands(page, 'aws ecs run-task --task-definition nope');
  await page.getByTestId('console-input').press('ControlOrMeta+Enter');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="command-result"]').length === 1);
  const [failed] = await results(page);
  assert.equal(failed.status, 'error');
  assert.equal(failed.error, 'An error occurred (ClientException) when calling the RunTask operation: TaskDefinition not found.');
  assert.equal(await page.getByTestId('console-input').inputValue(), 'aws ecs run-task --task-definition nope', 'the text is kept');
  assert.equal(await page.locator('[data-testid="instance-bin"]').count(), 12, 'the cluster is kept');

  // A script that cannot be split is reported too, and changes nothing.
  await setCommands(page, "aws ecs run-task --task-definition 'nouvelleApp");
  await run(page);
  assert.match(await page.getByTestId('run-status').textContent(), /could not be read/);
  assert.match(await page.locator('[data-testid="result-error"]').textContent(), /quote is never closed/);

  await page.getByTestId('reset-cluster').click();
  await setCommands(page, 'aws ecs run-task --task-definition nouvelleApp --count 2');
  await run(page, 1);
  assert.equal((await results(page))[0].status, 'ok');
  assert.equal(await clusterTasks(page), 2);
  // The AWS response, pretty-printed, behind a disclosure.
  await page.locator('.result__response summary').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="result-json"]').textContent !== '');
  assert.match(await page.getByTestId('result-json').textContent(), /^\{\n {4}"tasks": \[\n {8}\{/);
  await setCommands(page, '# two more\naws ecs run-task --task-definition nouvelleApp \\\n  --count 2 --placement-strategy type=binpack,field=memory');
  await run(page, 1);
  assert.equal(await clusterTasks(page), 4);
  assert.equal(await playerStep(page), 1);

  // Undo takes back the last run, then the one before; Reset goes back to the loaded cluster.
  await page.getByTestId('undo-run').click();
  assert.equal(await clusterTasks(page), 2);
  await settle(page);
  assert.equal(await page.locator('[data-testid="instance-bin"][data-placement]').count(), 0);
  assert.match(await page.getByTestId('run-status').textContent(), /undone/);
  await page.getByTestId('undo-run').click();
  assert.equal(await clusterTasks(page), 0);
  await settle(page);
  assert.equal(await page.getByTestId('undo-run').isDisabled(), true);
  await run(page, 1);
  await run(page, 1);
  assert.equal(await clusterTasks(page), 4);
  await page.getByTestId('reset-cluster').click();
  assert.equal(await clusterTasks(page), 0);

  // What-if: more than 10 tasks only with the checkbox.
  await setCommands(page, 'aws ecs run-task --task-definition nouvelleApp --count 20');
  await run(page, 1);
  assert.match((await results(page))[0].error, /^An error occurred \(InvalidParameterException\) when calling the RunTask operation: /);
  assert.equal(await clusterTasks(page), 0);
  await page.getByTestId('what-if').check();
  await run(page, 1);
  const [whatIf] = await results(page);
  assert.equal(whatIf.status, 'ok');
  assert.match(whatIf.summary, /^Placed 20 tasks/);
  assert.ok(whatIf.warnings.some((w) => /what-if/.test(w)));
  assert.equal(await clusterTasks(page), 20);
  await page.getByTestId('player-last').click();
  assert.equal(await playerStep(page), 20);
  // No blank page below the footer after a long run (visually hidden texts stay in their boxes).
  for (const viewport of [{ width: 1440, height: 900 }, { width: 390, height: 844 }]) {
    await page.setViewportSize(viewport);
    await settle(page);
    const gap = await page.evaluate(() => document.documentElement.scrollHeight - (document.querySelector('.site-footer').getBoundingClientRect().bottom + window.scrollY));
    assert.ok(gap <= 2, `${viewport.width}px: ${gap}px of blank page below the footer`);
  }
  await closePage(page);
});

test('the seed replays the same placements; a use case and short commands live in the URL', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await openPage('#usecase=christopher', STILL);
  assert.match(await page.getByTestId('console-input').inputValue(), /type="spread",field="host"/);
  assert.equal(await page.getByTestId('seed-input').inputValue(), '2016');
  await run(page, 1);
  const first = (await results(page))[0].summary;
  await page.getByTestId('reset-cluster').click();
  await run(page, 1);
  assert.equal((await results(page))[0].summary, first, 'same cluster, seed and commands: same placements');

  // A new seed is recorded in the cluster and shown.
  await page.getByTestId('reset-cluster').click();
  await page.getByTestId('seed-input').fill('7');
  await page.getByTestId('seed-input').press('Enter');
  await page.waitForFunction(() => window.__playground.store.get().scenario.seed === 7);
  await page.getByTestId('new-seed').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="seed-input"]').value !== '7');
  assert.equal(await page.getByTestId('seed-input').inputValue(), String(await page.evaluate(() => window.__playground.store.get().scenario.seed)));

  // Short commands go in the URL and come back on load; the CQL filter applies to the new tasks.
  await page.getByTestId('reset-cluster').click();
  await setCommands(page, 'aws ecs run-task --task-definition nouvelleApp --count 3 --group web');
  await page.waitForFunction(() => location.hash.includes('cmd=aws%20ecs%20run-task'));
  const hash = await page.evaluate(() => location.hash);
  const restored = await openPage(`${hash}&expr=task:group%20==%20web`, STILL);
  assert.equal(await restored.getByTestId('console-input').inputValue(), 'aws ecs run-task --task-definition nouvelleApp --count 3 --group web');
  await run(restored, 1);
  await restored.getByTestId('player-close').click();
  await settle(restored);
  // Every instance that got a task of the group matches `task:group == web`, and only those.
  await restored.waitForFunction(() => document.querySelectorAll('[data-testid="instance-bin"][data-matched="true"]').length > 0);
  const bins = await restored.$$eval('[data-testid="instance-bin"]', (els) => els.map((b) => [b.dataset.matched, Number(b.dataset.tasks) > 0]));
  assert.ok(bins.every(([matched, hasTasks]) => (matched === 'true') === hasTasks), JSON.stringify(bins));
  await closePage(restored);
  await closePage(page);
});

test('the cluster stays in the engine worker: a run on the last run\'s cluster sends only its key', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await openPage('', STILL);
  await chooseUseCase(page, 'jake');
  await run(page, 1);
  await waitForExplanation(page);
  const first = await page.evaluate(() => window.__playground.engine.scenarioTraffic());
  assert.ok(first.sent >= 1, `the loaded cluster crossed once: ${JSON.stringify(first)}`);
  await setCommands(page, 'aws ecs run-task --task-definition nouvelleApp --count 3');
  await run(page, 1);
  await waitForExplanation(page);
  const second = await page.evaluate(() => window.__playground.engine.scenarioTraffic());
  assert.equal(second.sent, first.sent, `no cluster crossed again: ${JSON.stringify({ first, second })}`);
  assert.ok(second.keyOnly >= first.keyOnly + 2, `the run and its explanation sent keys: ${JSON.stringify({ first, second })}`);
  assert.equal(await clusterTasks(page), 12, 'the second run placed on the first run\'s cluster');
  await closePage(page);
});

/** The modules the page has fetched so far (file names under pkg/). */
async function fetchedModules(page) {
  return page.evaluate(() => performance.getEntriesByType('resource')
    .map((entry) => new URL(entry.name).pathname.split('/').pop())
    .filter((name) => name.endsWith('.wasm')));
}

test('--query and --output table print what the AWS CLI prints; the new commands run', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await openPage('#preset=blog&tab=run', STILL);
  // The page's first module leaves `--query` and `--output text|table` out: nothing fetches the
  // full module until a command asks for them, then the worker runs on it.
  assert.deepEqual(await fetchedModules(page), ['ecs_placement_wasm_bg.wasm']);
  assert.equal(await page.evaluate(() => window.__playground.engine.workerModule()), 'page');
  await setCommands(page, [
    "aws ecs describe-clusters --query 'clusters[].{Name: clusterName, Instances: registeredContainerInstancesCount}' --output table",
    "aws ecs list-container-instances --query 'containerInstanceArns[0]' --output text",
    'aws ecs list-task-definition-families',
    "aws ecs list-clusters --query 'foo['",
  ].join('\n'));
  await run(page, 4);
  const outputs = await page.$$eval('[data-testid="command-result"]', (items) => items.map((li) => li.querySelector('[data-testid="result-output"]')?.textContent ?? null));
  assert.equal(outputs[0], [
    // The AWS CLI v1's table for this response (checked with awscli.formatter).
    '--------------------------',
    '|    DescribeClusters    |',
    '+------------+-----------+',
    '|  Instances |   Name    |',
    '+------------+-----------+',
    '|  12        |  default  |',
    '+------------+-----------+',
    '',
  ].join('\n'));
  assert.match(outputs[1], /^arn:aws:ecs:us-east-1:\d+:container-instance\/default\/\S+\n$/);
  assert.equal(outputs[2], null, 'plain JSON output stays the response');
  const [table, , , badQuery] = await results(page);
  assert.equal(table.status, 'ok');
  assert.equal(badQuery.status, 'error');
  assert.match(badQuery.error, /^Bad value for --query foo\[: Invalid jmespath expression: /);
  assert.equal(await page.evaluate(() => window.__playground.engine.workerModule()), 'full');
  assert.deepEqual((await fetchedModules(page)).sort(), ['ecs_placement_wasm_bg.wasm', 'ecs_placement_wasm_full_bg.wasm']);
  // The table keeps its shape: no wrapping inside the block.
  const wraps = await page.$eval('[data-testid="result-output"]', (pre) => getComputedStyle(pre).whiteSpace);
  assert.equal(wraps, 'pre');
  await closePage(page);
});

test('no console errors or page errors', () => {
  assert.deepEqual(problems, []);
});
