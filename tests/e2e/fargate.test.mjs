// End-to-end tests of the Fargate lanes: the private-registry walkthrough runs its task on
// Fargate, and the page draws it in the lane of its Availability Zone below the bins (desktop and
// phone); a chip opens why the task runs there, with the counts the core recorded; a Fargate
// service spreads its tasks over the lanes; large clusters (the canvas drawing) keep the lanes.
// Screenshots go to target/screenshots/ for a look.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { TEST_TIMEOUT_MS, axeViolations, closePage, openPage, problems, useServer, waitForRun } from './harness.mjs';

useServer();

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const SHOTS = new URL('../../target/screenshots/', import.meta.url);

const SERVICE = `aws ecs register-task-definition --family web --requires-compatibilities FARGATE --network-mode awsvpc --cpu 256 --memory 512 --container-definitions '[{"name":"web","image":"nginx"}]'
aws ecs create-service --service-name on-fargate --launch-type FARGATE --task-definition web --desired-count 7 \\
--network-configuration "awsvpcConfiguration={subnets=[subnet-0aaa1111,subnet-0bbb2222,subnet-0ccc3333]}"`;

/** Runs the console's commands and waits for the run to finish. */
async function runCommands(page, script) {
  await page.getByTestId('console-input').fill(script);
  await page.getByTestId('run-button').click();
  await waitForRun(page);
}

/** The lanes: zone → number of task chips. */
async function lanes(page) {
  return page.$$eval('[data-testid="fargate-lane"]', (list) => Object.fromEntries(list.map((l) => [l.dataset.zone, l.querySelectorAll('[data-testid="fargate-task"]').length])));
}

for (const [name, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  test(`${name}: the private-registry walkthrough's task runs in a Fargate lane, and says why`, { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await openPage('#usecase=private-registry', { viewport, reducedMotion: 'reduce' });
    await page.getByTestId('run-button').click();
    await waitForRun(page);
    const region = page.getByTestId('fargate-lanes');
    await region.waitFor();
    const counts = await lanes(page);
    assert.deepEqual(Object.keys(counts), ['us-east-1a', 'us-east-1b', 'us-east-1c'], 'a lane per zone of the subnets');
    assert.equal(Object.values(counts).reduce((a, b) => a + b, 0), 1, 'the walkthrough runs one Fargate task');
    const engineZone = await page.evaluate(() => {
      const { scenario } = window.__playground.store.get();
      return scenario.tasks.find((t) => t.fargate).fargate.availabilityZone;
    });
    const chip = page.locator(`[data-testid="fargate-lane"][data-zone="${engineZone}"] [data-testid="fargate-task"]`);
    assert.equal(await chip.count(), 1, 'the chip is in the lane of the zone the engine chose');
    assert.match(await page.getByTestId('cluster-summary').textContent(), /1 on Fargate/);
    await chip.scrollIntoViewIfNeeded();
    await chip.click();
    const why = page.getByTestId('fargate-why');
    await why.waitFor();
    assert.match(await why.textContent(), new RegExp(`runs in ${engineZone}`));
    const decision = await page.getByTestId('fargate-why-decision').textContent();
    assert.match(decision, /seeded draw chose|had the fewest/);
    const zones = await page.$$eval('[data-testid="fargate-why-counts"] li', (items) => items.map((i) => i.textContent));
    assert.deepEqual(zones, ['us-east-1a0', 'us-east-1b0'], 'the two subnets\u2019 zones, no task of the group before it');
    assert.deepEqual(await axeViolations(page), [], 'the lanes and the explanation');
    mkdirSync(SHOTS, { recursive: true });
    await why.scrollIntoViewIfNeeded();
    await page.screenshot({ path: new URL(`fargate-private-registry-${name}.png`, SHOTS).pathname });
    await closePage(page);
  });
}

test('a Fargate service spreads its tasks over the lanes, within one task of each other', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await openPage('#preset=blog', { viewport: DESKTOP, reducedMotion: 'reduce' });
  await runCommands(page, SERVICE);
  await page.getByTestId('fargate-lanes').waitFor();
  const counts = Object.values(await lanes(page));
  assert.equal(counts.reduce((a, b) => a + b, 0), 7);
  assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `spread: ${counts}`);
  assert.match(await page.getByTestId('player').textContent(), /started 7 tasks on Fargate/);
  // Stopping a task from its explanation: the service scheduler starts a replacement on Fargate.
  const first = page.getByTestId('fargate-task').first();
  const stoppedArn = await first.getAttribute('data-arn');
  await first.click();
  await page.getByTestId('fargate-stop-task').click();
  await page.waitForFunction((arn) => !document.querySelector(`[data-testid="fargate-task"][data-arn="${arn}"]`), stoppedArn);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="fargate-task"]').length === 7);
  const after = Object.values(await lanes(page));
  assert.ok(Math.max(...after) - Math.min(...after) <= 1, `still spread after the replacement: ${after}`);
  mkdirSync(SHOTS, { recursive: true });
  await page.getByTestId('fargate-lanes').scrollIntoViewIfNeeded();
  await page.screenshot({ path: new URL('fargate-service-desktop.png', SHOTS).pathname });
  await closePage(page);
});

test('the lanes stay below the canvas of a large cluster', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await openPage('#preset=fleet-300', { viewport: DESKTOP, reducedMotion: 'reduce' });
  // fleet-300's subnets, one per zone.
  await runCommands(page, SERVICE.replace(/subnets=\[[^\]]*\]/, 'subnets=[subnet-0f1ee7a1,subnet-0f1ee7b2,subnet-0f1ee7c3]'));
  assert.equal(await page.getByTestId('bins').getAttribute('data-compact'), 'true', 'the canvas drawing');
  await page.getByTestId('fargate-lanes').waitFor();
  const counts = Object.values(await lanes(page));
  assert.deepEqual(counts.sort(), [2, 2, 3]);
  await page.getByTestId('fargate-lanes').scrollIntoViewIfNeeded();
  await page.screenshot({ path: new URL('fargate-fleet-300-desktop.png', SHOTS).pathname });
  await closePage(page);
});

test('no console errors', () => {
  assert.deepEqual(problems, []);
});
