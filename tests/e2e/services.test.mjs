// End-to-end tests of the service scheduler on the page: the EBS walkthrough (a drain moves MySQL
// within its volume's zone) played step by step, the Services tab (create, scale in, delete), and
// the scheduler acting after a cluster edit. The server and browser come from harness.mjs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TIMEOUT_MS, axeViolations, closePage, openPage, problems, useServer, waitForRun } from './harness.mjs';

useServer();

const PHONE = { width: 390, height: 844 };

async function waitForStep(page, n) {
  await page.waitForFunction((k) => Number(document.querySelector('[data-testid="player"]').dataset.step) === k, n, { timeout: 15_000 });
}

/** Shows step `n` (1-based) of the run on show, playback paused. */
async function showStep(page, n) {
  await page.evaluate((k) => {
    window.__playground.runs.pause();
    window.__playground.runs.go(k - 1);
  }, n);
  await waitForStep(page, n);
  await page.waitForFunction(() => !document.querySelector('.funnel__loading'), null, { timeout: 15_000 });
}

/** `[kind, service, reason]` of every step of the run on show. */
async function steps(page) {
  return page.evaluate(() => window.__playground.store.get().run.timeline.steps.map((s) => [s.kind, s.scheduler?.service ?? null, s.scheduler?.reason ?? null]));
}

/** The instances the service's running tasks are on. */
async function serviceTasks(page, service) {
  return page.evaluate((group) => window.__playground.store.get().view.tasks.filter((t) => t.group === group).map((t) => t.containerInstanceArn), `service:${service}`);
}

/** Creates a service of `desired` tasks on the Services tab and waits for its run. */
async function createService(page, name, desired) {
  await page.getByRole('tab', { name: 'Services' }).click();
  await page.getByTestId('service-name').fill(name);
  await page.getByTestId('service-desired').fill(String(desired));
  await page.getByTestId('service-create').click();
  await waitForRun(page);
}

const bin = (page, name) => page.getByTestId('instance-bin').filter({ hasText: name });
const text = async (page, testid) => (await page.getByTestId(testid).textContent()).replace(/\s+/g, ' ').trim();

test('EBS walkthrough: MySQL placed, stopped on the drained instance, replaced in the same zone, scaled in', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await openPage('#usecase=ebs-mysql', { reducedMotion: 'reduce' });
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await waitForRun(page);
  assert.deepEqual(await steps(page), [
    ['place', 'mysql-svc', 'scale-out'],
    ['stop', 'mysql-svc', 'draining'],
    ['place', 'mysql-svc', 'replace-draining'],
    ['stop', 'mysql-svc', 'scale-in'],
  ]);

  await showStep(page, 1);
  assert.equal(await bin(page, 'ebs-node-1').getAttribute('data-placement'), 'chosen');
  assert.match(await text(page, 'funnel-service'), /Service mysql-svc: the service runs fewer tasks than its desired count\./);

  await showStep(page, 2);
  assert.match(await page.getByRole('heading', { name: 'Why this task stops' }).textContent(), /stops/);
  assert.equal(await bin(page, 'ebs-node-1').getAttribute('data-placement'), 'stopped');
  assert.equal(await bin(page, 'ebs-node-1').getAttribute('data-status'), 'DRAINING');
  assert.equal(await bin(page, 'ebs-node-1').getAttribute('data-tasks'), '0');
  assert.match(await text(page, 'funnel-decision'), /^ebs-node-1 is draining: its service tasks are stopped and replaced on ACTIVE instances/);
  assert.equal(await page.getByTestId('funnel-footnote').count(), 0, 'a drain is documented: no note on undocumented choices');
  assert.match(await text(page, 'player-status'), /Stop 1 of 1 · service mysql-svc: stopped a task on ebs-node-1 \(us-west-2a\) · the task’s instance is draining/);
  assert.deepEqual(await axeViolations(page), []);

  await showStep(page, 3);
  assert.equal(await bin(page, 'ebs-node-2').getAttribute('data-placement'), 'chosen');
  assert.match(await text(page, 'funnel-service'), /a replacement for a task on a draining instance/);
  assert.equal(await bin(page, 'ebs-node-3').getAttribute('data-placement'), 'failed', 'the other zone fails the memberOf constraint');
  assert.match(await text(page, 'funnel'), /memberOf\(attribute:ecs\.availability-zone==us-west-2a\)/);

  await showStep(page, 4);
  assert.equal(await bin(page, 'ebs-node-2').getAttribute('data-placement'), 'stopped');
  assert.match(await text(page, 'funnel-decision'), /^Scale-in chose the task on ebs-node-2 among 1: /);
  assert.match(await text(page, 'funnel-footnote'), /applies the service’s strategies in reverse, then a seeded draw/);
  assert.match(await text(page, 'funnel'), /has stopped 1 running tasks/);
  assert.deepEqual(problems, []);
  await closePage(page);
});

test('EBS walkthrough on a phone: the stop\'s explanation is in view beside the bins', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await openPage('#usecase=ebs-mysql&step=2', { viewport: PHONE, reducedMotion: 'reduce' });
  await waitForRun(page);
  await waitForStep(page, 2);
  const heading = page.getByRole('heading', { name: 'Why this task stops' });
  await heading.scrollIntoViewIfNeeded();
  const box = await heading.boundingBox();
  assert.ok(box && box.x >= 0 && box.x + box.width <= PHONE.width + 1, `heading inside the phone's width: ${JSON.stringify(box)}`);
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scroll <= PHONE.width + 1, `no sideways scrolling (${scroll}px)`);
  assert.deepEqual(problems, []);
  await closePage(page);
});

test('Services tab on a phone: creating a service brings the stage and its steps into view', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await openPage('', { viewport: PHONE, reducedMotion: 'reduce' });
  await page.getByRole('tab', { name: 'Services' }).click();
  await page.getByTestId('service-create').click();
  await waitForRun(page);
  await page.waitForFunction(() => {
    const box = document.querySelector('[data-testid="player"]').getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight;
  }, null, { timeout: 5000 });
  assert.match(await text(page, 'player-status'), /service web: placed on /);
  assert.deepEqual(problems, []);
  await closePage(page);
});

test('Services tab: create a service, scale it in, delete it; every change plays as steps', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await openPage('', { reducedMotion: 'reduce' });
  await page.getByRole('tab', { name: 'Services' }).click();
  await page.getByTestId('services').getByText('No services yet').waitFor();
  const definition = await page.getByTestId('service-definition').inputValue();
  assert.ok(definition, 'the cluster\'s task definitions are offered');
  await page.getByTestId('service-name').fill('web');
  await page.getByTestId('service-desired').fill('4');
  await page.getByTestId('service-distinct').check();
  assert.equal(await text(page, 'service-command'),
    `aws ecs create-service --service-name web --task-definition ${definition} --desired-count 4 --placement-constraints '[{"type":"distinctInstance"}]'`);
  await page.getByTestId('service-create').click();
  await waitForRun(page);
  assert.deepEqual(await steps(page), Array(4).fill(['place', 'web', 'scale-out']));
  const service = page.getByTestId('service').filter({ hasText: 'web' });
  assert.equal(await service.getAttribute('data-steady'), 'true');
  assert.match(await service.textContent(), /4 of 4 running · steady/);
  const arns = await serviceTasks(page, 'web');
  assert.equal(new Set(arns).size, 4, 'distinctInstance: four instances');
  assert.deepEqual(await axeViolations(page), []);

  await service.getByTestId('service-count').fill('1');
  await service.getByTestId('service-apply').click();
  await waitForRun(page);
  assert.deepEqual(await steps(page), Array(3).fill(['stop', 'web', 'scale-in']));
  await showStep(page, 1);
  assert.match(await text(page, 'funnel-decision'), /^Scale-in chose the task on .+ among 4: /);
  assert.match(await text(page, 'funnel-footnote'), /not documented in full/);
  assert.match(await service.textContent(), /1 of 1 running · steady/);

  await service.getByTestId('service-delete').click();
  await waitForRun(page);
  assert.deepEqual(await steps(page), [['stop', 'web', 'delete']]);
  assert.match(await text(page, 'funnel-decision'), /The service was deleted: all its tasks stop\./);
  assert.deepEqual(await serviceTasks(page, 'web'), []);
  assert.equal(await service.getByTestId('service-status').textContent(), 'INACTIVE');
  assert.equal(await service.getByTestId('service-delete').count(), 0, 'a deleted service offers no actions');

  // Undo brings the service back as it was before the delete.
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await page.waitForFunction(() => window.__playground.store.get().view.tasks.filter((t) => t.group === 'service:web').length === 1);
  await service.getByTestId('service-status').getByText('ACTIVE', { exact: true }).waitFor();
  assert.match(await service.textContent(), /1 of 1 running · steady/);
  assert.deepEqual(problems, []);
  await closePage(page);
});

test('Draining an instance from the inspector: the scheduler\'s stop and replacement play on the stage', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await openPage('', { reducedMotion: 'reduce' });
  await createService(page, 'api', 2);
  const [busy] = await serviceTasks(page, 'api');
  await page.locator(`[data-testid="instance-bin"][data-arn="${busy}"]`).click();
  await page.getByTestId('edit-drain').click();
  await page.waitForFunction(() => window.__playground.store.get().run?.timeline?.commands?.[0]?.edit, null, { timeout: 15_000 });
  // maximumPercent 200 (the default): the replacement starts before the drained task stops.
  assert.deepEqual((await steps(page)).map(([kind, , reason]) => [kind, reason]), [['place', 'replace-draining'], ['stop', 'draining']]);
  await showStep(page, 1);
  assert.match(await text(page, 'funnel-service'), /Service api: a replacement for a task on a draining instance\./);
  assert.equal(await page.locator(`[data-testid="instance-bin"][data-arn="${busy}"]`).getAttribute('data-placement'), 'skipped', 'the draining instance is not considered');
  const rows = await page.$$eval('[data-testid="funnel-stage"]', (r) => r.map((x) => x.dataset.stage));
  assert.ok(rows.length >= 3, `the replacement's funnel is explained: ${rows}`);
  assert.deepEqual(problems, []);
  await closePage(page);
});

test('Services tab: the desired-count slider scales out on release; a changed chain drives the next scale-in', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await openPage('', { reducedMotion: 'reduce' });
  await createService(page, 'web', 2);
  const service = page.getByTestId('service').filter({ hasText: 'web' });
  await service.getByTestId('service-slider').fill('5');
  await page.waitForFunction(() => window.__playground.store.get().run?.script?.includes('--desired-count 5'));
  await waitForRun(page);
  assert.equal(await page.evaluate(() => window.__playground.store.get().run.script), 'aws ecs update-service --service web --desired-count 5');
  assert.deepEqual(await steps(page), Array(3).fill(['place', 'web', 'scale-out']));
  await service.getByText('5 of 5 running · steady').waitFor();

  await service.getByTestId('service-strategies').locator('summary').click();
  await service.getByTestId('chain-add').click();
  await service.getByTestId('chain-type').selectOption('binpack');
  await service.getByTestId('service-strategies-apply').click();
  await page.waitForFunction(() => window.__playground.store.get().run?.script?.includes('--placement-strategy'));
  await waitForRun(page);
  assert.equal(await page.evaluate(() => window.__playground.store.get().run.script),
    'aws ecs update-service --service web --placement-strategy \'[{"type":"binpack","field":"memory"}]\'');
  assert.deepEqual(await steps(page), [], 'no new deployment: running tasks stay');
  await service.getByText('binpack(memory)').waitFor();

  await service.getByTestId('service-count').fill('4');
  await service.getByTestId('service-apply').click();
  await page.waitForFunction(() => window.__playground.store.get().run?.script?.includes('--desired-count 4'));
  await waitForRun(page);
  await showStep(page, 1);
  assert.match(await text(page, 'funnel'), /binpack\(memory\), reversed: narrows to/);
  assert.deepEqual(problems, []);
  await closePage(page);
});
