// End-to-end tests of the embeds: the docs page (every embedded playground runs its example), the
// custom element on a host page (independent elements, a broken one, hostile CSS), the iframe page
// in a 720×480 frame, accessibility, and the deployable site (`cargo xtask build-web --out`,
// written by `cargo xtask test` to target/web-site). The server and browser come from harness.mjs.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  TEST_TIMEOUT_MS, axeViolations, closePage, openRaw, problems, serverUrl, startServer, stopServer, useServer,
} from './harness.mjs';

useServer();

const SITE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'target', 'web-site');

/** A host page served from the playground's origin (the script-tag embed needs no more). */
function hostPage(body, { css = '' } = {}) {
  return (context) => context.route('**/host-test.html', (route) => route.fulfill({
    contentType: 'text/html',
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title><style>${css}</style>`
      + `<script type="module" src="embed.js"></script></head><body><h1>A host page</h1>${body}</body></html>`,
  }));
}

/** Waits until an element has started (or failed). */
async function ready(page, selector) {
  await page.locator(selector).scrollIntoViewIfNeeded();
  await page.waitForFunction((s) => document.querySelector(s)?.dataset.ready, selector, { timeout: 30_000 });
  return page.evaluate((s) => document.querySelector(s).dataset.ready, selector);
}

/** Runs a function inside an element's shadow root. */
function inside(page, selector, fn, arg) {
  return page.evaluate(({ selector, source, arg }) => {
    const root = document.querySelector(selector).shadowRoot;
    return new Function('root', 'arg', `return (${source})(root, arg);`)(root, arg);
  }, { selector, source: fn.toString(), arg });
}

test('docs.html: every embedded playground starts and runs its example', { timeout: TEST_TIMEOUT_MS * 4 }, async () => {
  const page = await openRaw('docs.html');
  const count = await page.locator('ecs-placement-playground').count();
  assert.ok(count >= 15, `${count} playgrounds`);
  for (let i = 0; i < count; i++) {
    const selector = `ecs-placement-playground >> nth=${i}`;
    const element = page.locator('ecs-placement-playground').nth(i);
    await element.scrollIntoViewIfNeeded();
    await page.waitForFunction((n) => document.querySelectorAll('ecs-placement-playground')[n].dataset.ready, i, { timeout: 30_000 });
    assert.equal(await element.getAttribute('data-ready'), 'true', `playground ${i} started`);
    const view = await element.getAttribute('view');
    if (view === 'query') {
      const count = await element.evaluate((e) => e.shadowRoot.querySelector('[data-testid="match-count"]').textContent);
      assert.match(count, /of 12 instances match/, `playground ${i}`);
      continue;
    }
    // Each example's run is on show at its first task; Next shows the second (or it failed alone).
    const step = await element.evaluate((e) => Number(e.shadowRoot.querySelector('[data-testid="player"]').dataset.step));
    assert.equal(step, 1, `playground ${i} shows its first task`);
    const region = await element.evaluate((e) => Boolean(e.shadowRoot.querySelector('[aria-labelledby="funnel-title"]:not([hidden])')));
    assert.ok(region, `playground ${i} shows its funnel`);
    void selector;
  }
  assert.deepEqual(await axeViolations(page), [], 'the docs page and its playgrounds');
  await closePage(page);
});

test('two elements on one page run different use cases without affecting each other; a broken one says so', { timeout: TEST_TIMEOUT_MS * 2 }, async () => {
  const page = await openRaw('host-test.html', {
    prepare: hostPage(`
      <ecs-placement-playground id="jake" usecase="jake"></ecs-placement-playground>
      <ecs-placement-playground id="christopher" usecase="christopher" step="2"></ecs-placement-playground>
      <ecs-placement-playground id="broken" preset="blog" step="1">aws ecs run-task --task-definition no-such-thing</ecs-placement-playground>`),
  });
  assert.equal(await ready(page, '#jake'), 'true');
  assert.equal(await ready(page, '#christopher'), 'true');
  assert.equal(await ready(page, '#broken'), 'true');
  // The broken one shows the AWS CLI's error; the others are untouched.
  const error = await inside(page, '#broken', (root) => root.querySelector('[data-testid="result-error"]')?.textContent ?? root.querySelector('[data-testid="run-status"]').textContent);
  assert.match(error, /TaskDefinition not found|could not|failed/);
  assert.equal(await inside(page, '#christopher', (root) => root.querySelector('[data-testid="player"]').dataset.step), '2');
  // Jake runs and plays in its own element; Christopher stays at task 2.
  await page.locator('#jake').scrollIntoViewIfNeeded();
  await inside(page, '#jake', (root) => root.querySelector('[data-testid="run-button"]').click());
  await page.waitForFunction(() => Number(document.querySelector('#jake').shadowRoot.querySelector('[data-testid="player"]').dataset.step) >= 2, null, { timeout: 20_000 });
  assert.equal(await inside(page, '#christopher', (root) => root.querySelector('[data-testid="player"]').dataset.step), '2');
  const jakeTasks = await inside(page, '#jake', (root) => root.querySelectorAll('[data-testid="instance-bin"][data-placement="chosen"]').length);
  assert.equal(jakeTasks, 1);
  // Stop in one never stops the other.
  await inside(page, '#christopher', (root) => root.querySelector('[data-testid="player-toggle"]').click());
  await page.waitForFunction(() => Number(document.querySelector('#christopher').shadowRoot.querySelector('[data-testid="player"]').dataset.step) >= 3, null, { timeout: 20_000 });
  // "Open in the playground" carries the state.
  const href = await inside(page, '#jake', (root) => root.querySelector('[data-testid="embed-open"]').href);
  assert.match(href, /index\.html#usecase=jake&step=\d+/);
  await closePage(page);
});

test('an element that cannot start shows a message, not a blank box', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await openRaw('host-test.html', {
    prepare: async (context) => {
      await hostPage('<ecs-placement-playground id="x" usecase="jake"></ecs-placement-playground>')(context);
      await context.route('**/pkg/ecs_placement_wasm_bg.wasm', (route) => route.fulfill({ status: 404, body: 'gone' }));
    },
  });
  assert.equal(await ready(page, '#x'), 'failed');
  assert.match(await inside(page, '#x', (root) => root.querySelector('[data-testid="embed-failed"]').textContent), /could not start here/);
  // The 404 is logged by the browser on purpose.
  problems.splice(0, problems.length, ...problems.filter((p) => !/404|Failed to load resource/.test(p)));
  await closePage(page);
});

test('host CSS that restyles div, button and * does not change the element', { timeout: TEST_TIMEOUT_MS * 2 }, async () => {
  const probe = (root) => {
    const style = (el) => {
      const s = getComputedStyle(el);
      return [s.fontFamily, s.color, s.backgroundColor, s.borderTopWidth, s.paddingTop, s.fontSize].join('|');
    };
    return [
      style(root.querySelector('[data-testid="run-button"]')),
      style(root.querySelector('[data-testid="instance-bin"]')),
      style(root.querySelector('.stage')),
      Math.round(root.querySelector('.stage').getBoundingClientRect().height),
    ];
  };
  const plain = await openRaw('host-test.html', { prepare: hostPage('<ecs-placement-playground id="p" usecase="jake" step="3"></ecs-placement-playground>') });
  await ready(plain, '#p');
  const expected = await inside(plain, '#p', probe);
  await closePage(plain);
  const hostile = await openRaw('host-test.html', {
    prepare: hostPage('<ecs-placement-playground id="p" usecase="jake" step="3"></ecs-placement-playground>', {
      css: '* { font-family: serif !important; color: red !important; line-height: 3 !important; } div { border: 5px solid lime; padding: 20px; } button { background: yellow; padding: 30px; font-size: 30px; }',
    }),
  });
  await ready(hostile, '#p');
  assert.deepEqual(await inside(hostile, '#p', probe), expected);
  await closePage(hostile);
});

test('embed.html?usecase=jake&autoplay=1 in a 720×480 iframe shows the bins and the funnel without scrolling', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await openRaw('host-test.html', {
    viewport: { width: 900, height: 700 },
    prepare: (context) => context.route('**/host-test.html', (route) => route.fulfill({
      contentType: 'text/html',
      body: '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Frame host</title></head><body>'
        + '<iframe id="f" title="ECS Placement Playground" src="embed.html?usecase=jake&autoplay=1" width="720" height="480"></iframe>'
        + '<script>window.heights = []; addEventListener("message", (e) => { if (e.data?.type === "ecs-placement-playground:height") window.heights.push(e.data.height); });</script></body></html>',
    })),
  });
  const frame = page.frameLocator('#f');
  const element = frame.locator('ecs-placement-playground');
  await element.waitFor();
  const handle = await page.frame({ url: /embed\.html/ }) ?? page.frames()[1];
  await handle.waitForFunction(() => document.querySelector('ecs-placement-playground')?.dataset.ready === 'true', null, { timeout: 30_000 });
  await handle.waitForFunction(() => Number(document.querySelector('ecs-placement-playground').shadowRoot.querySelector('[data-testid="player"]').dataset.step) >= 2, null, { timeout: 20_000 });
  const boxes = await handle.evaluate(() => {
    const root = document.querySelector('ecs-placement-playground').shadowRoot;
    const box = (el) => { const r = el.getBoundingClientRect(); return { top: r.top, bottom: r.bottom, left: r.left, right: r.right }; };
    return {
      funnel: box(root.querySelector('[aria-labelledby="funnel-title"]')),
      chosen: box(root.querySelector('[data-testid="instance-bin"][data-placement="chosen"]')),
      bins: box(root.querySelector('.zone')),
      scrollY: window.scrollY,
    };
  });
  for (const [name, b] of Object.entries(boxes)) {
    if (name === 'scrollY') continue;
    assert.ok(b.top >= 0 && b.bottom <= 480 && b.right <= 720, `${name} ${JSON.stringify(b)} inside 720×480`);
  }
  assert.equal(boxes.scrollY, 0);
  await page.waitForFunction(() => window.heights.length > 0);
  assert.ok((await page.evaluate(() => window.heights.at(-1))) > 300, 'the frame posts its height');
  assert.deepEqual(await axeViolations(page), [], 'an iframe embed');
  await closePage(page);
});

test('the deployable site: index, embed and docs pages load from versioned assets', { timeout: TEST_TIMEOUT_MS * 2 }, async (t) => {
  if (!existsSync(path.join(SITE, 'index.html'))) {
    t.skip('target/web-site is built by `cargo xtask test` (or `cargo xtask build-web --out target/web-site`)');
    return;
  }
  const { child, url } = await startServer(SITE);
  try {
    const page = await openRaw(new URL('index.html', url).href);
    await page.waitForFunction(() => window.__playgroundReady === true, null, { timeout: 30_000 });
    const assets = await page.evaluate(() => performance.getEntriesByType('resource').map((r) => new URL(r.name).pathname));
    assert.ok(assets.some((p) => /^\/v-[0-9a-f]{16}\/pkg\/ecs_placement_wasm_bg\.wasm$/.test(p)), assets.join('\n'));
    await page.goto(new URL('embed.html?usecase=jake&step=2', url).href);
    await page.waitForFunction(() => document.querySelector('ecs-placement-playground')?.dataset.ready === 'true', null, { timeout: 30_000 });
    await page.goto(new URL('docs.html', url).href);
    await page.waitForFunction(() => document.querySelector('ecs-placement-playground')?.dataset.ready === 'true', null, { timeout: 30_000 });
    await closePage(page);
  } finally {
    await stopServer(child);
  }
  void serverUrl;
});

test('no console errors or page errors', () => {
  assert.deepEqual(problems, []);
});

void before;
void after;
