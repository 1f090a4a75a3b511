// End-to-end tests of the playground page in headless Chromium: the cluster query (CQL editor,
// matches, truth tables), the cluster menu, failures and accessibility. The server and browser
// come from harness.mjs; the console is tested in console.test.mjs and the live placements (the
// funnel, the player, share links, editing, the builder, scale) in placement.test.mjs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TEST_TIMEOUT_MS, axeViolations, closePage, openPage, problems, useServer } from './harness.mjs';

useServer();

const editor = (page) => page.getByTestId('cql-input');

/** Replaces the expression by typing it key by key (exercises the debounce). */
async function typeExpression(page, text) {
  const input = editor(page);
  if (!(await input.isVisible())) await page.getByTestId('tab-query').click();
  await input.click();
  await input.press('ControlOrMeta+a');
  await input.press('Backspace');
  await input.pressSequentially(text);
}

/** Waits until the page has evaluated the editor's final text and the count reads `fragment`. */
async function waitForCount(page, fragment) {
  await page.waitForFunction(
    (f) => {
      const count = document.querySelector('[data-testid="match-count"]');
      const input = document.querySelector('[data-testid="cql-input"]');
      return count?.dataset.source === input?.value && count.textContent.includes(f);
    },
    fragment,
    { timeout: 10_000 },
  ).catch(async () => {
    const actual = await page.getByTestId('match-count').textContent();
    throw new Error(`match count: expected "${fragment}", got "${actual}"`);
  });
}

/** `{arn: matched}` of every bin (`null` when neutral). */
async function binStates(page) {
  return page.$$eval('[data-testid="instance-bin"]', (bins) => bins.map((b) => ({
    arn: b.dataset.arn,
    type: b.querySelector('.bin__type')?.textContent,
    matched: b.dataset.matched ?? null,
  })));
}

async function squiggles(page) {
  return page.$$eval('[data-testid="squiggle"]', (els) => els.map((e) => ({ severity: e.dataset.severity, text: e.textContent })));
}


// ------------------------------------------------------------------ tests

test('the sample cluster loads: 9 bins in 3 Availability Zones', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await openPage();
  const bins = await binStates(page);
  assert.equal(bins.length, 9);
  assert.ok(bins.every((b) => b.matched === null), 'no expression: every bin is neutral');
  const zones = await page.$$eval('.zone', (els) => els.map((z) => ({
    name: z.querySelector('.zone__name').textContent,
    bins: z.querySelectorAll('[data-testid="instance-bin"]').length,
  })));
  assert.deepEqual(zones, [
    { name: 'us-east-1a', bins: 3 },
    { name: 'us-east-1b', bins: 3 },
    { name: 'us-east-1c', bins: 3 },
  ]);
  assert.match(await page.getByTestId('cluster-summary').textContent(), /9 instances in 3 zones/);
  // Resources are drawn with their numbers, and as tubes filled by task.
  const firstBin = page.getByTestId('instance-bin').first();
  assert.match(await firstBin.textContent(), /CPU 256\/1024/);
  assert.match(await firstBin.textContent(), /Mem 512\/1993/);
  assert.equal(await firstBin.locator('.tube--memory .seg').count(), 1, 'one task, one segment');
  assert.equal(await page.locator('.legend__item').count(), 4, 'four task groups in the legend');
  await closePage(page);
});

test('typing a regex lights up exactly the t2 instances', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await openPage();
  await typeExpression(page, 'attribute:ecs.instance-type =~ t2.*');
  await waitForCount(page, '3 of 9');
  const bins = await binStates(page);
  const matched = bins.filter((b) => b.matched === 'true');
  assert.equal(matched.length, 3);
  assert.ok(matched.every((b) => b.type.startsWith('t2.')), JSON.stringify(matched));
  assert.equal(bins.filter((b) => b.matched === 'false').length, 6);
  assert.deepEqual(await squiggles(page), []);
  // Syntax highlighting is drawn from tokenize().
  assert.equal(await page.locator('#cql-mirror .tok--subject').textContent(), 'attribute:ecs.instance-type');
  assert.equal(await page.locator('#cql-mirror .tok--operator').textContent(), '=~');
  // The expression is in the URL (written throttled, ending with the final text), readable.
  await page.waitForFunction(() => location.hash === '#expr=attribute:ecs.instance-type%20=~%20t2.*', null, { timeout: 5000 });
  await closePage(page);
});

test('a bad expression shows an error and no stale matches; the Fix button repairs it', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await openPage();
  await typeExpression(page, 'attribute:ecs.instance-type =~ t2.*');
  await waitForCount(page, '3 of 9');

  await typeExpression(page, 'attribute:ecs.instance-type = t2.small');
  await waitForCount(page, 'error');
  assert.deepEqual(await squiggles(page), [{ severity: 'error', text: '=' }]);
  const diagnostics = page.getByTestId('diagnostics').locator('li');
  assert.equal(await diagnostics.count(), 1);
  assert.match(await diagnostics.first().textContent(), /did you mean/);
  assert.ok((await binStates(page)).every((b) => b.matched === null), 'no stale matches while the expression has errors');

  // Hovering the squiggle shows the message.
  const squiggle = page.getByTestId('squiggle').first();
  const box = await squiggle.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForSelector('#squiggle-tooltip:not([hidden])');
  assert.match(await page.locator('#squiggle-tooltip').textContent(), /did you mean/);

  await page.getByTestId('diagnostic-fix').click();
  await waitForCount(page, '2 of 9');
  assert.equal(await editor(page).inputValue(), 'attribute:ecs.instance-type == t2.small');
  assert.deepEqual(await squiggles(page), []);
  assert.equal(await diagnostics.count(), 0);

  // Breaking it again and fixing it by typing works too, without a reload.
  await typeExpression(page, 'attribute:ecs.instance-type in [t2.small, m5.large');
  await waitForCount(page, 'error');
  assert.ok((await binStates(page)).every((b) => b.matched === null));
  await editor(page).press('End');
  await editor(page).pressSequentially(']');
  await waitForCount(page, '5 of 9');
  await closePage(page);
});

test('an error at the end of the input is visible as a zero-width marker', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await openPage();
  await typeExpression(page, 'attribute:ecs.instance-type ==');
  await waitForCount(page, 'error');
  const marks = await squiggles(page);
  assert.deepEqual(marks, [{ severity: 'error', text: '' }]);
  const box = await page.getByTestId('squiggle').first().boundingBox();
  assert.ok(box, 'the marker is rendered');
  await closePage(page);
});

test('clicking a bin shows its attributes and the truth table of the expression', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await openPage();
  await typeExpression(page, 'not(task:group == database) and agentVersion < 1.14.5');
  await waitForCount(page, '1 of 9');

  await page.getByTestId('instance-bin').first().click();
  const details = page.getByTestId('instance-details');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="truth-row"]').length > 0);
  assert.match(await details.textContent(), /i-abcd1234/);
  const rows = details.getByTestId('truth-row');
  assert.equal(await rows.count(), 4, 'and, not, compare, compare');
  const cells = await rows.evaluateAll((trs) => trs.map((tr) => ({
    value: tr.dataset.value,
    depth: tr.dataset.depth,
    source: tr.querySelector('.truth__source').textContent,
  })));
  assert.deepEqual(cells, [
    { value: 'true', depth: '0', source: 'not(task:group == database) and agentVersion < 1.14.5' },
    { value: 'true', depth: '1', source: 'not(task:group == database)' },
    { value: 'false', depth: '2', source: '(task:group == database)' },
    { value: 'true', depth: '1', source: 'agentVersion < 1.14.5' },
  ]);
  assert.match(await rows.nth(3).textContent(), /1\.9\.0/, 'the actual agent version');
  // The attributes table.
  assert.match(await details.textContent(), /ecs\.instance-type/);
  assert.match(await details.textContent(), /t2\.small/);

  // Keyboard: focus another bin and press Enter.
  const other = page.getByTestId('instance-bin').nth(5);
  await other.focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid="instance-details"]').textContent.includes('i-0a1b2c3d4e5f60005'));
  assert.equal(await other.getAttribute('aria-pressed'), 'true');
  assert.equal(await rows.first().getAttribute('data-value'), 'false');

  // The selection is in the URL (written throttled) and restored on load.
  const shortId = (await other.getAttribute('data-arn')).split('/').pop();
  await page.waitForFunction((id) => location.hash.includes(`instance=${id}`), shortId);
  const hash = await page.evaluate(() => location.hash);
  const restored = await openPage(hash);
  assert.equal(await editor(restored).inputValue(), 'not(task:group == database) and agentVersion < 1.14.5');
  await waitForCount(restored, '1 of 9');
  assert.match(await restored.getByTestId('instance-details').textContent(), /i-0a1b2c3d4e5f60005/);
  assert.equal(await restored.getByTestId('truth-row').count(), 4);
  await closePage(restored);
  await closePage(page);
});

test('the glob example shows a warning squiggle that explains the regex', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await openPage();
  await page.getByTestId('tab-query').click();
  await page.locator('.chip', { hasText: 'attribute:ecs.instance-type =~ g2*' }).click();
  await waitForCount(page, '0 of 9');
  assert.equal(await editor(page).inputValue(), 'attribute:ecs.instance-type =~ g2*');
  assert.deepEqual(await squiggles(page), [{ severity: 'warning', text: 'g2*' }]);
  const item = page.getByTestId('diagnostics').locator('li');
  assert.equal(await item.getAttribute('data-severity'), 'warning');
  assert.match(await item.textContent(), /regular expression/);
  // A warning does not stop the evaluation: every bin has a verdict.
  assert.ok((await binStates(page)).every((b) => b.matched === 'false'));
  // Keyboard users get the message when the caret moves onto the squiggle.
  await editor(page).focus();
  await editor(page).press('End');
  await editor(page).press('ArrowLeft');
  await page.waitForSelector('#squiggle-tooltip:not([hidden])');
  assert.match(await page.locator('#squiggle-tooltip').textContent(), /Warning.*regular expression/);
  await page.getByTestId('diagnostic-fix').click();
  await waitForCount(page, '2 of 9');
  assert.equal(await editor(page).inputValue(), 'attribute:ecs.instance-type =~ g2.*');
  await closePage(page);
});

test('squiggles stay aligned on non-ASCII input (UTF-8 spans)', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await openPage();
  await typeExpression(page, 'attribute:café == "naïve🙂"');
  await waitForCount(page, 'error');
  assert.deepEqual(await squiggles(page), [{ severity: 'error', text: 'café' }]);

  // An error after multi-byte characters: a byte/UTF-16 mix-up would mark the wrong text.
  await typeExpression(page, 'attribute:color == "naïve🙂€" and attribute:stack = prod');
  await waitForCount(page, 'error');
  assert.deepEqual(await squiggles(page), [{ severity: 'error', text: '=' }]);
  const mirrorText = await page.$eval('#cql-mirror', (el) => el.textContent.replace(/\u200b$/, ''));
  assert.equal(mirrorText, await editor(page).inputValue(), 'the mirror holds the same text as the textarea');
  await page.getByTestId('diagnostic-fix').click();
  await waitForCount(page, 'of 9');
  assert.equal(await editor(page).inputValue(), 'attribute:color == "naïve🙂€" and attribute:stack == prod');
  await closePage(page);
});

test('the cluster menu reports bad input with its JSON path and keeps the cluster; AWS output imports', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await openPage();
  await typeExpression(page, 'attribute:stack == prod');
  await waitForCount(page, 'of 9');

  await page.locator('#cluster-menu-button').click();
  await page.getByRole('tab', { name: 'Scenario JSON' }).click();
  await page.locator('#scenario-json').fill('{"version": 1, "instances": [{"containerInstanceArn": "a", "registeredResources": {"cpu": "lots", "memory": 1}}]}');
  await page.getByRole('button', { name: 'Load scenario' }).click();
  const error = page.locator('#panel-json [data-testid="cluster-error"]');
  await error.waitFor();
  assert.match(await error.textContent(), /instances\[0\]\.registeredResources\.cpu/);
  await page.keyboard.press('Escape');
  assert.equal(await page.getByTestId('instance-bin').count(), 9, 'the cluster is unchanged');

  await page.locator('#cluster-menu-button').click();
  await page.getByRole('tab', { name: 'Import from AWS' }).click();
  await page.locator('#aws-instances').fill(JSON.stringify({
    containerInstances: [
      {
        containerInstanceArn: 'arn:aws:ecs:eu-west-1:111122223333:container-instance/prod/aaaa1111',
        ec2InstanceId: 'i-0aaa',
        versionInfo: { agentVersion: '1.80.0' },
        registeredResources: [{ name: 'CPU', type: 'INTEGER', integerValue: 2048 }, { name: 'MEMORY', type: 'INTEGER', integerValue: 4096 }],
        remainingResources: [{ name: 'CPU', type: 'INTEGER', integerValue: 1024 }, { name: 'MEMORY', type: 'INTEGER', integerValue: 2048 }],
        status: 'DRAINING',
        agentConnected: false,
        runningTasksCount: 2,
        attributes: [{ name: 'ecs.availability-zone', value: 'eu-west-1a' }, { name: 'ecs.instance-type', value: 'm5.large' }, { name: 'stack', value: 'prod' }],
        registeredAt: 1700000000.5,
      },
      {
        containerInstanceArn: 'arn:aws:ecs:eu-west-1:111122223333:container-instance/prod/bbbb2222',
        ec2InstanceId: 'i-0bbb',
        registeredResources: [{ name: 'CPU', type: 'INTEGER', integerValue: 1024 }, { name: 'MEMORY', type: 'INTEGER', integerValue: 2048 }],
        attributes: [{ name: 'ecs.availability-zone', value: 'eu-west-1b' }, { name: 'ecs.instance-type', value: 't3.small' }],
        registeredAt: '2024-01-01T00:00:00Z',
      },
    ],
  }));
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="instance-bin"]').length === 2);
  await waitForCount(page, '1 of 2');
  const text = await page.locator('#bins').textContent();
  assert.match(text, /DRAINING/);
  assert.match(text, /agent disconnected/);
  assert.match(text, /CPU 1024\/2048/);
  await closePage(page);
});

test('an exception from wasm is shown in the status area; the page keeps its state and recovers', { timeout: TEST_TIMEOUT_MS }, async () => {
  // The real bundle, with `filter` (the export and the Session method the worker calls) made to
  // throw for expressions that mention BOOM.
  const prepare = (context) => context.route('**/pkg/ecs_placement_wasm.js', async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace(
      /^(\s*(?:export function )?filter\([^)]*\) \{)/gm,
      (head) => `${head} if ([...arguments].some((a) => String(a).includes('BOOM'))) throw new Error('simulated wasm failure');`,
    );
    assert.equal(body.match(/simulated wasm failure/g)?.length, 2, 'the bundle has filter() and Session.filter()');
    await route.fulfill({ response, body });
  });
  const page = await openPage('', { prepare });
  await typeExpression(page, 'attribute:ecs.instance-type =~ t2.*');
  await waitForCount(page, '3 of 9');
  await page.getByTestId('instance-bin').first().click();

  await typeExpression(page, 'attribute:BOOM == x');
  await page.getByTestId('status-error').waitFor();
  assert.match(await page.getByTestId('status-error').textContent(), /simulated wasm failure/);
  await waitForCount(page, 'could not be evaluated');
  assert.ok((await binStates(page)).every((b) => b.matched === null), 'no stale matches');
  assert.equal(await page.getByTestId('instance-bin').first().getAttribute('aria-pressed'), 'true', 'the selection is kept');
  assert.equal(await editor(page).inputValue(), 'attribute:BOOM == x', 'the text is kept');

  await typeExpression(page, 'attribute:ecs.instance-type =~ t2.*');
  await waitForCount(page, '3 of 9');
  assert.equal(await page.getByTestId('status-error').count(), 0, 'the message goes once evaluation works again');
  assert.equal(await page.getByTestId('truth-row').count(), 1);
  await closePage(page);
});

test('a missing wasm bundle shows how to build it', { timeout: TEST_TIMEOUT_MS }, async () => {
  const prepare = (context) => context.route('**/pkg/ecs_placement_wasm.js', (route) =>
    route.fulfill({ status: 404, contentType: 'text/plain', body: 'not found' }));
  const page = await openPage('', { prepare, expectBootFailure: true });
  const boot = page.getByTestId('boot');
  assert.match(await boot.textContent(), /cargo xtask serve/);
  assert.equal(await boot.getAttribute('role'), 'alert');
  assert.equal(await page.evaluate(() => window.__playgroundReady), false);
  await closePage(page);
});

for (const colorScheme of ['light', 'dark']) {
  test(`accessibility (${colorScheme} scheme): no WCAG 2.1 A/AA violations found by axe-core`, { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await openPage('');
    await page.emulateMedia({ colorScheme });
    assert.deepEqual(await axeViolations(page), [], 'neutral state');

    await typeExpression(page, 'attribute:ecs.instance-type =~ t2.*');
    await waitForCount(page, '3 of 9');
    await page.getByTestId('instance-bin').nth(1).click();
    await page.getByTestId('truth-row').first().waitFor();
    assert.deepEqual(await axeViolations(page), [], 'matches and a selected instance');

    await typeExpression(page, 'attribute:ecs.instance-type = t2.* and attribute:x =~ g2*');
    await waitForCount(page, 'error');
    assert.deepEqual(await axeViolations(page), [], 'errors and warnings');

    await page.locator('#cluster-menu-button').click();
    await page.getByRole('tab', { name: 'Import from AWS' }).click();
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.locator('#panel-aws [data-testid="cluster-error"]').waitFor();
    assert.deepEqual(await axeViolations(page), [], 'the cluster dialog with an error');
    await closePage(page);
  });
}

test('no console errors or page errors', () => {
  assert.deepEqual(problems, []);
});
