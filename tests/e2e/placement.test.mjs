// End-to-end tests of the live placements: the funnel and the bins in view while a run plays,
// the player (speed, stepping, Stop), share links and autosave, cluster edits, the run builder,
// and a 300-instance cluster. The server and browser come from harness.mjs.
//
// The blog cluster has seed 2016, so every run here places its tasks the same way.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TIMEOUT_MS, axeViolations, closePage, openPage, problems, useServer, waitForExplanation, waitForRun } from './harness.mjs';

useServer();

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const JAKE = `aws ecs run-task --task-definition nouvelleApp --count 9 \\
--placement-strategy type="spread",field="attribute:ecs.availability-zone" type="binpack",field="memory"`;

/** The player's step (1-based; 0 when no step is on show). */
async function step(page) {
  return Number(await page.getByTestId('player').getAttribute('data-step'));
}

async function waitForStep(page, n) {
  await page.waitForFunction((k) => Number(document.querySelector('[data-testid="player"]').dataset.step) === k, n, { timeout: 15_000 });
}

/** Pauses playback if it runs. */
async function pause(page) {
  await page.evaluate(() => window.__playground.runs.pause());
}

/** Whether an element's box lies inside the viewport (fully, or at least `share` of its height). */
async function inViewport(page, locator, share = 1) {
  const box = await locator.boundingBox();
  const { width, height } = page.viewportSize();
  if (!box) return false;
  const visible = Math.min(box.y + box.height, height) - Math.max(box.y, 0);
  return box.x >= 0 && box.x + box.width <= width + 1 && visible >= box.height * share - 1;
}

/** What the bins show, for comparing two pages. */
async function binsSignature(page) {
  return page.$$eval('[data-testid="instance-bin"]', (bins) => bins.map((b) => [b.dataset.arn, b.dataset.tasks, b.dataset.placement ?? '', b.querySelector('.bin__text').textContent]));
}

/** Adds instances on the Edit cluster tab and waits until the cluster has `total` bins. */
async function addInstances(page, { type, zone = null, count = null }, total) {
  await page.getByTestId('tab-cluster').click();
  await page.getByTestId('add-type').selectOption(type);
  if (zone) await page.getByTestId('add-zone').fill(zone);
  if (count) await page.getByTestId('add-count').fill(String(count));
  await page.getByTestId('add-submit').click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="instance-bin"]').length === n, total);
}

async function funnelCounts(page) {
  return page.$$eval('[data-testid="funnel-stage"]', (rows) => rows.map((r) => [r.dataset.stage, Number(r.dataset.count)]));
}

/** The funnel counts the engine records for task `n` of Jake's run on the blog cluster, from a fresh run. */
async function engineFunnel(page, n) {
  return page.evaluate(async ({ script, n }) => {
    const { engine } = window.__playground;
    const trace = await engine.run(engine.loadPreset('blog'), script, { keepGoing: true });
    const frame = trace.commands[0].report.placement.frames[n - 1];
    return { funnel: frame.funnel, chosen: frame.instance.containerInstanceArn };
  }, { script: JAKE, n });
}

for (const [name, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  test(`${name}: Run on Jake shows the bins and the placement funnel in view, with the engine's counts`, { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await openPage('#usecase=jake', { viewport });
    await page.getByTestId('run-button').click();
    await waitForStep(page, 2);
    await pause(page);
    const funnel = page.getByRole('region', { name: 'Placement funnel' });
    assert.ok(await inViewport(page, funnel), 'the funnel is in view');
    const chosen = page.locator('[data-testid="instance-bin"][data-placement="chosen"]');
    await chosen.waitFor();
    assert.ok(await inViewport(page, chosen), 'the chosen bin is in view');
    assert.ok(await inViewport(page, page.getByTestId('player')), 'the player is in view');
    const n = await step(page);
    await waitForExplanation(page);
    const expected = await engineFunnel(page, n);
    const counts = Object.fromEntries(await funnelCounts(page));
    assert.equal(counts.active, expected.funnel.active);
    assert.equal(counts.checks, expected.funnel.passedChecks);
    assert.equal(counts.constraints, expected.funnel.passedConstraints);
    assert.deepEqual([counts['strategy-0'], counts['strategy-1']], expected.funnel.strategies);
    assert.equal(counts.chosen, 1);
    assert.equal(await chosen.getAttribute('data-arn'), expected.chosen);
    // Instances a strategy dropped say which one, with their figures on hover.
    const dropped = page.locator('[data-testid="instance-bin"][data-placement="dropped"]').first();
    assert.match(await dropped.getByTestId('bin-verdict').textContent(), /Dropped by (spread|binpack)/);
    assert.match(await dropped.getAttribute('title'), /remaining|tasks/);
    assert.deepEqual(await axeViolations(page), [], 'a run on show');
    await closePage(page);
  });

  test(`${name}: #usecase=jake&step=4 opens Jake's run at task 4, bins and funnel in view`, { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await openPage('#usecase=jake&step=4', { viewport });
    await waitForStep(page, 4);
    assert.equal(await page.evaluate(() => window.__playground.store.get().playing), false, 'a link does not autoplay');
    assert.match(await page.getByTestId('funnel-position').textContent(), /Task 4 of 9/);
    await page.waitForTimeout(700); // a phone scrolls the stage into view
    assert.ok(await inViewport(page, page.getByRole('region', { name: 'Placement funnel' })));
    assert.ok(await inViewport(page, page.locator('[data-testid="instance-bin"][data-placement="chosen"]')));
    assert.match(await page.getByTestId('player-status').textContent(), /Task 4 of 9/);
    await closePage(page);
  });
}

test('the speed control changes the step interval', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await openPage('#usecase=jake');
  await page.evaluate(() => {
    window.__steps = [];
    new MutationObserver(() => window.__steps.push([performance.now(), document.querySelector('[data-testid="player"]').dataset.step]))
      .observe(document.querySelector('[data-testid="player"]'), { attributes: true, attributeFilter: ['data-step'] });
  });
  const intervals = async () => page.evaluate(() => {
    const changes = window.__steps.filter(([, s], i, all) => i === 0 || s !== all[i - 1][1]);
    const gaps = changes.slice(1).map(([t], i) => t - changes[i][0]);
    return gaps.sort((a, b) => a - b)[Math.floor(gaps.length / 2)];
  });
  await page.getByTestId('run-button').click();
  await waitForStep(page, 4);
  const normal = await intervals();
  await pause(page);
  await page.getByTestId('player-speed').selectOption('4');
  await page.evaluate(() => { window.__steps = []; });
  await page.getByTestId('player-toggle').click();
  await waitForStep(page, 8);
  const fast = await intervals();
  assert.ok(fast < normal / 2, `4× steps every ${fast} ms, 1× every ${normal} ms`);
  await page.getByTestId('player-speed').selectOption('0.25');
  assert.equal(await page.evaluate(() => window.__playground.store.get().speed), 0.25);
  await closePage(page);
});

test('with reduced motion a run shows its first task without playing or animating', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await openPage('#usecase=jake', { reducedMotion: 'reduce' });
  await page.getByTestId('run-button').click();
  await waitForStep(page, 1);
  await page.waitForTimeout(1500);
  assert.equal(await step(page), 1, 'still on the first task');
  const animation = await page.$eval('.seg--new', (el) => getComputedStyle(el).animationName);
  assert.equal(animation, 'none');
  await page.getByTestId('player-next').click();
  await waitForStep(page, 2);
  await closePage(page);
});

test('a failed task says why in AWS\u2019s words and in plain language', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await openPage('#preset=blog&tab=run');
  await page.getByTestId('console-input').fill('aws ecs run-task --task-definition GPU --count 2 --placement-constraints \'type=memberOf,expression=attribute:ecs.instance-type =~ g2* or attribute:ecs.instance-type =~ p2*\'');
  await page.getByTestId('run-button').click();
  await waitForStep(page, 1);
  await waitForExplanation(page);
  const region = page.getByRole('region', { name: 'Placement funnel' });
  const text = await region.textContent();
  assert.match(text, /not placed/);
  assert.match(text, /AWS reports: .*MemberOf placement constraint unsatisfied\./);
  assert.match(text, /memberOf expression is false/);
  assert.equal(await page.locator('[data-testid="instance-bin"][data-placement="chosen"]').count(), 0);
  await closePage(page);
});

test('editing the cluster: add instances by type, drain by EC2 instance ID, undo', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await openPage('#preset=blog');
  await addInstances(page, { type: 'm5.xlarge', zone: 'us-east-1b', count: 2 }, 14);
  const zone = page.locator('.zone[data-zone="us-east-1b"] [data-testid="instance-bin"]');
  assert.equal(await zone.count(), 6);
  assert.match(await zone.allTextContents().then((t) => t.join(' ')), /m5\.xlarge.*m5\.xlarge/s);

  await page.getByTestId('find-instance').fill('i-b1micro0000000000');
  await page.getByTestId('find-submit').click();
  await page.getByTestId('edit-drain').click();
  const b1 = page.locator('[data-testid="instance-bin"][data-arn$="/b1-micro"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="instance-bin"][data-arn$="/b1-micro"]').dataset.status === 'DRAINING');
  assert.match(await b1.textContent(), /DRAINING/);
  assert.equal(await page.getByTestId('journal').locator('li').count(), 2);

  // A run skips the draining instance and says so.
  await page.getByTestId('tab-console').click();
  await page.getByTestId('console-input').fill('aws ecs run-task --task-definition nouvelleApp --count 1');
  await page.getByTestId('run-button').click();
  await waitForRun(page);
  await waitForStep(page, 1);
  assert.equal(await b1.getAttribute('data-placement'), 'skipped');
  assert.match(await b1.getAttribute('title'), /DRAINING: only ACTIVE instances receive tasks/);

  await page.getByTestId('undo-run').click(); // the run
  await page.getByTestId('undo-run').click(); // the drain
  await page.waitForFunction(() => document.querySelector('[data-testid="instance-bin"][data-arn$="/b1-micro"]').dataset.status === 'ACTIVE');
  await page.getByTestId('undo-run').click(); // the two instances
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="instance-bin"]').length === 12);
  assert.equal(await page.getByTestId('undo-run').isDisabled(), true);
  await closePage(page);
});

test('a share link copied at task 4 of an edited cluster reopens identically', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await openPage('#preset=blog');
  await addInstances(page, { type: 't2.micro', zone: 'us-east-1a' }, 13);
  await page.getByTestId('find-instance').fill('i-c4micro0000000000');
  await page.getByTestId('find-submit').click();
  await page.getByTestId('edit-drain').click();
  await page.getByTestId('tab-console').click();
  await page.getByTestId('console-input').fill(JAKE);
  await page.getByTestId('run-button').click();
  await waitForRun(page);
  await pause(page);
  await page.evaluate(() => window.__playground.runs.go(3));
  await waitForStep(page, 4);
  await waitForExplanation(page);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByTestId('share-button').click();
  await page.getByText('Link copied').waitFor();
  const url = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(url, await page.evaluate(() => location.href));
  assert.match(url, /step=4/);
  const before = { bins: await binsSignature(page), funnel: await funnelCounts(page), summary: await page.getByTestId('cluster-summary').textContent() };

  const reopened = await openPage(new URL(url).hash);
  await waitForStep(reopened, 4);
  await waitForExplanation(reopened);
  await reopened.waitForFunction((n) => document.querySelectorAll('[data-testid="instance-bin"][data-placement]').length === n,
    before.bins.filter(([, , placement]) => placement).length);
  assert.deepEqual(await binsSignature(reopened), before.bins);
  assert.deepEqual(await funnelCounts(reopened), before.funnel);
  assert.equal(await reopened.getByTestId('cluster-summary').textContent(), before.summary);
  assert.equal(await reopened.getByTestId('console-input').inputValue(), JAKE);
  await closePage(reopened);
  await closePage(page);
});

test('a reload keeps an edited cluster (autosave); a damaged link opens the last good state with a message', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await openPage('#preset=blog');
  await addInstances(page, { type: 'c5.large' }, 13);
  await page.waitForTimeout(1200); // the autosave is debounced
  // A fresh visit without a hash restores the session.
  await page.goto(new URL('/', page.url()).href);
  await page.waitForFunction(() => window.__playgroundReady === true);
  assert.equal(await page.getByTestId('instance-bin').count(), 13);
  assert.match(await page.getByTestId('status-info').first().textContent(), /Restored where you left off/);
  // A damaged link: a clear message, and the last good state.
  await page.goto(new URL('/#s=1.not-really-deflate&step=2', page.url()).href);
  await page.reload();
  await page.waitForFunction(() => window.__playgroundReady === true);
  assert.match(await page.getByTestId('status-error').first().textContent(), /This link could not be opened: .*damaged/);
  assert.equal(await page.getByTestId('instance-bin').count(), 13);
  await closePage(page);
});

test('a hostile share link shows an error and every feature keeps working', { timeout: TEST_TIMEOUT_MS * 2 }, async () => {
  const deep = `${'['.repeat(3000)}${']'.repeat(3000)}`;
  const hostile = [
    `#cmd=${encodeURIComponent(`aws ecs run-task --task-definition nouvelleApp --overrides "a=${deep}"`)}&step=1`,
    `#s=9.${'A'.repeat(64)}`,
    `#expr=${encodeURIComponent('attribute:x =~ '.concat('(a|a)*'.repeat(2000)))}`,
    '#usecase=<script>alert(1)</script>&step=-4',
  ];
  for (const hash of hostile) {
    const page = await openPage(hash);
    // The page started, said what went wrong (a status or the failed command) and works: a run, a query.
    await page.getByTestId('tab-console').click();
    await page.getByTestId('console-input').fill('aws ecs run-task --task-definition nouvelleApp --count 2');
    await page.getByTestId('run-button').click();
    await page.waitForFunction(() => window.__playground.store.get().run?.status === 'done', null, { timeout: 20_000 });
    await page.getByTestId('tab-query').click();
    await page.getByTestId('cql-input').fill('attribute:ecs.instance-type =~ t2.*');
    await page.waitForFunction(() => / of \d+ instances match/.test(document.querySelector('[data-testid="match-count"]').textContent), null, { timeout: 10_000 });
    await page.getByTestId('tab-cluster').click();
    await page.getByTestId('add-submit').click();
    await page.waitForFunction(() => window.__playground.store.get().journal.some((e) => e.type === 'edit'));
    assert.equal(await page.evaluate(() => window.__playgroundError ?? null), null, hash.slice(0, 60));
    await closePage(page);
  }
});

test('the run builder and the console place the same tasks; a console command loads into the builder', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await openPage('#preset=blog');
  const placements = () => page.evaluate(() => window.__playground.store.get().run.timeline.commands
    .flatMap((c) => c.report.response?.tasks ?? []).map((t) => t.containerInstanceArn));
  await page.getByTestId('tab-console').click();
  await page.getByTestId('console-input').fill(JAKE);
  await page.getByTestId('builder-load').count(); // present in the builder tab
  await page.getByTestId('tab-build').click();
  await page.getByTestId('builder-load').click();
  await page.waitForFunction(() => window.__playground.store.get().builder.spec.count === 9);
  // The store changes first; the builder draws it on the next animation frame.
  await page.waitForFunction(() => /--count 9/.test(document.querySelector('[data-testid="builder-script"]').textContent));
  assert.equal(await page.getByTestId('chain-row').count(), 2);
  await page.getByTestId('builder-run').click();
  await waitForRun(page);
  const fromBuilder = await placements();
  assert.equal(fromBuilder.length, 9);
  await page.getByTestId('reset-cluster').click();
  await page.getByTestId('tab-console').click();
  await page.getByTestId('run-button').click();
  await waitForRun(page);
  assert.deepEqual(await placements(), fromBuilder);

  // Building from scratch: a new definition with a host port, distinctInstance, the chain edited.
  await page.getByTestId('tab-build').click();
  await page.getByLabel('A new one').check();
  await page.getByTestId('builder-new-family').fill('web');
  await page.getByTestId('builder-ports').fill('80');
  await page.getByTestId('builder-ports').press('Tab');
  await page.getByTestId('builder-distinct').check();
  await page.getByTestId('chain-add').click();
  await page.getByTestId('chain-type').nth(2).selectOption('random');
  await page.getByRole('button', { name: 'Remove strategy 1' }).click();
  await page.waitForFunction(() => /--placement-strategy type=binpack,field=memory type=random\n/.test(document.querySelector('[data-testid="builder-script"]').textContent));
  const script = await page.getByTestId('builder-script').textContent();
  assert.match(script, /aws ecs register-task-definition \\\n\s+--family web/);
  assert.match(script, /"hostPort": ?80/);
  assert.match(script, /--placement-constraints type=distinctInstance/);
  assert.match(script, /--placement-strategy type=binpack,field=memory type=random/);
  await page.getByTestId('builder-expression').fill('attribute:ecs.instance-type = t2.micro');
  await page.locator('#builder [data-testid="squiggle"]').first().waitFor();
  // The editor draws its squiggle as the text changes; the builder's message comes with the
  // store's next render, which can be a frame later.
  await page.waitForFunction(() => /==/.test(document.querySelector('[data-testid="builder-error"]').textContent));
  assert.match(await page.getByTestId('builder-error').textContent(), /==/);
  assert.deepEqual(await axeViolations(page), [], 'the builder with an error');

  // A run-task that prints text loads too: `--output text` is read by the full module.
  await page.getByTestId('tab-console').click();
  await page.getByTestId('console-input').fill('aws ecs run-task --task-definition nouvelleApp --count 4 --output text');
  await page.getByTestId('tab-build').click();
  await page.getByTestId('builder-load').click();
  await page.waitForFunction(() => window.__playground.store.get().builder.spec.count === 4);
  await closePage(page);
});

test('a 300-instance cluster: a long run shows progress and can be stopped; the page keeps working', { timeout: TEST_TIMEOUT_MS * 2 }, async () => {
  const page = await openPage('#preset=fleet-300');
  assert.equal(await page.getByTestId('bins-canvas').count(), 1, 'large clusters are drawn compactly');
  const summary = await page.getByTestId('cluster-summary').textContent();
  const line = 'aws ecs run-task --task-definition nouvelleApp --count 10000 --placement-strategy type=spread,field=attribute:ecs.availability-zone type=binpack,field=memory';
  await page.getByTestId('tab-console').click();
  await page.getByTestId('console-input').fill(Array(40).fill(line).join('\n'));
  await page.getByTestId('what-if').check();
  await page.getByTestId('run-button').click();
  await page.getByTestId('player-progress').waitFor();
  await page.getByTestId('player-stop').click();
  await waitForRun(page);
  assert.equal(await page.evaluate(() => window.__playground.store.get().run.status), 'stopped');
  assert.match(await page.getByTestId('run-status').textContent(), /Stopped/);
  assert.equal(await page.getByTestId('cluster-summary').textContent(), summary, 'the cluster is as it was');
  // The engine works again at once: a query and a run.
  await page.getByTestId('tab-query').click();
  await page.getByTestId('cql-input').fill('attribute:stack == prod');
  await page.waitForFunction(() => /of 300 instances match/.test(document.querySelector('[data-testid="match-count"]').textContent));
  await page.getByTestId('tab-console').click();
  await page.getByTestId('console-input').fill(line.replace('10000', '100'));
  await page.getByTestId('run-button').click();
  await waitForRun(page);
  assert.equal(await page.evaluate(() => window.__playground.store.get().run.timeline.steps.length), 100);
  await page.getByRole('region', { name: 'Placement funnel' }).waitFor();
  await closePage(page);
});

/**
 * Each funnel row's digits, count box and label box, in page pixels, read once every row is laid
 * out (on a phone the stage is scrolled into view and drawn again after a run).
 */
async function funnelColumns(page) {
  const measured = await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('[data-testid="funnel-stage"]')].map((row) => {
      const count = row.querySelector('.funnel__count');
      const box = count.getBoundingClientRect();
      return {
        digits: count.textContent,
        countRight: box.right,
        countWidth: box.width,
        countScroll: count.scrollWidth,
        labelLeft: row.querySelector('.funnel__label').getBoundingClientRect().left,
      };
    });
    return rows.length > 0 && rows.every((r) => r.countWidth > 0) ? rows : null;
  }, null, { timeout: 15_000 });
  return measured.jsonValue();
}

for (const [name, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  test(`${name}: four-digit funnel counts keep clear of their labels, which line up`, { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await openPage('#preset=fleet-1000', { viewport });
    await page.getByTestId('tab-console').click();
    await page.getByTestId('console-input').fill('aws ecs run-task --task-definition webserver --count 3');
    await page.getByTestId('run-button').click();
    await waitForRun(page);
    await pause(page);
    await page.getByRole('region', { name: 'Placement funnel' }).waitFor();
    const rows = await funnelColumns(page);
    assert.ok(rows.some((r) => r.digits.length >= 4), `a count of four digits or more: ${rows.map((r) => r.digits)}`);
    for (const row of rows) {
      assert.ok(row.countScroll <= Math.ceil(row.countWidth), `count ${row.digits} fits its column`);
      assert.ok(row.countRight < row.labelLeft, `count ${row.digits} ends before its label: ${JSON.stringify(row)}`);
    }
    const lefts = new Set(rows.map((r) => Math.round(r.labelLeft)));
    assert.equal(lefts.size, 1, `every label starts at the same place: ${[...lefts]}`);
    await closePage(page);
  });
}

test('the console placeholder runs on the default cluster', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await openPage('');
  await page.getByTestId('tab-console').click();
  const placeholder = await page.getByTestId('console-input').getAttribute('placeholder');
  await page.getByTestId('console-input').fill(placeholder);
  await page.getByTestId('run-button').click();
  await waitForRun(page);
  const reports = await page.evaluate(() => window.__playground.store.get().run.timeline.commands.map((c) => c.report));
  assert.equal(reports.length, 1);
  assert.equal(reports[0].error, undefined, reports[0].error?.text);
  assert.equal(reports[0].response.tasks.length, 3);
  await closePage(page);
});

test('the default cluster on a phone: long instance names end in an ellipsis inside their bins, no sideways scrolling', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await openPage('', { viewport: PHONE, reducedMotion: 'reduce' });
  const overflowing = await page.evaluate(() => {
    return [...document.querySelectorAll('.bin__name')]
      .filter((name) => name.getBoundingClientRect().right > name.closest('.bin').getBoundingClientRect().right + 1)
      .map((name) => name.textContent);
  });
  assert.deepEqual(overflowing, [], 'every instance name stays inside its bin');
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scroll <= PHONE.width + 1, `no sideways scrolling (${scroll}px)`);
  assert.deepEqual(problems, []);
  await closePage(page);
});

test('no internal decision labels on the page', { timeout: TEST_TIMEOUT_MS }, async () => {
  for (const hash of ['#usecase=jake&step=4', '#usecase=aditya&step=1', '#expr=attribute:stack%20!=%20prod&instance=i-abcd1234']) {
    const page = await openPage(hash);
    await page.waitForTimeout(500);
    const text = await page.evaluate(() => document.body.innerText);
    assert.doesNotMatch(text, /\bD(1[0-8]|[1-9])\b/, hash);
    await closePage(page);
  }
});

test('no console errors or page errors', () => {
  assert.deepEqual(problems, []);
});
