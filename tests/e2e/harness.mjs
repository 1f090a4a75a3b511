// Shared by the browser tests: starts the real server once per test file, launches the system
// Chromium, opens pages and collects their console errors.
//
// The server is `cargo xtask serve --no-build --port 0`, started from the repository root; its
// URL is read from the line `Serving the ECS Placement Playground at <URL>`. The web bundle
// (web/pkg) must have been built before (`cargo xtask build-web`). Setting PLAYGROUND_URL instead
// tests a server that is already running. Browsers are never downloaded: playwright-core drives
// the system Chromium (`/usr/bin/chromium`, or CHROMIUM_PATH).

import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SERVER_START_TIMEOUT_MS = 120_000;
export const TEST_TIMEOUT_MS = 60_000;

let server = null;
let baseUrl = null;
let browser = null;
/** Console errors and page errors of every page (a test at the end of each file checks it is empty). */
export const problems = [];

// ------------------------------------------------------------------ server

/** `cargo xtask serve` of `web/` (or of another directory: the deployable site). */
export function startServer(dir = null) {
  return new Promise((resolve, reject) => {
    const args = ['xtask', 'serve', '--no-build', '--port', '0', ...(dir ? ['--dir', dir] : [])];
    const child = spawn('cargo', args, {
      cwd: REPO_ROOT,
      detached: true, // its own process group: killed as a whole at the end
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      stopServer(child);
      reject(new Error(`the server did not print its URL within ${SERVER_START_TIMEOUT_MS / 1000} s\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, SERVER_START_TIMEOUT_MS);
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const found = stdout.match(/Serving the ECS Placement Playground at (\S+)/);
      if (found) {
        clearTimeout(timer);
        resolve({ child, url: found[1] });
      }
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot start \`cargo xtask serve\`: ${error.message}`));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`\`cargo xtask serve\` exited (${code ?? signal}) before serving\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    });
  });
}

/** Stops a server started by `startServer`. */
export function stopServer(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      resolve();
    }, 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      clearTimeout(force);
      resolve();
    }
  });
}

// Never leave the server behind, even when the test process dies early.
process.on('exit', () => {
  if (server?.child && server.child.exitCode === null) {
    try {
      process.kill(-server.child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** Starts the server and the browser before the file's tests, and stops them after. */
export function useServer() {
  before(async () => {
    if (process.env.PLAYGROUND_URL) {
      baseUrl = process.env.PLAYGROUND_URL;
    } else {
      server = await startServer();
      baseUrl = server.url;
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox', '--headless', '--disable-gpu', '--disable-dev-shm-usage',
        '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
      ],
    });
  }, { timeout: SERVER_START_TIMEOUT_MS + 30_000 });

  after(async () => {
    await browser?.close();
    await stopServer(server?.child);
  });
}

// ------------------------------------------------------------------ helpers

/**
 * Opens the page (optionally with a hash) in a fresh context and waits until it is ready.
 * `prepare(context)` can install routes first; `expectBootFailure` skips the readiness check and
 * the console-error bookkeeping (a missing resource logs an error on purpose); `reducedMotion:
 * 'reduce'` makes placement runs jump to their last step at once.
 */
export async function openPage(hash = '', {
  viewport = { width: 1400, height: 1000 }, prepare = null, expectBootFailure = false, reducedMotion = 'no-preference', colorScheme = 'light',
} = {}) {
  const context = await browser.newContext({ viewport, reducedMotion, colorScheme });
  await prepare?.(context);
  const page = await context.newPage();
  if (!expectBootFailure) {
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  }
  await page.goto(new URL(hash, baseUrl).href);
  await page.waitForFunction(() => window.__playgroundReady === true || window.__playgroundError, null, { timeout: 20_000 });
  if (!expectBootFailure) {
    const bootError = await page.evaluate(() => window.__playgroundError ?? null);
    assert.equal(bootError, null, `the page did not start (is web/pkg built? run \`cargo xtask build-web\`): ${bootError}`);
  }
  return page;
}

/** The URL of the server the tests use (after `useServer`'s setup). */
export function serverUrl() {
  return baseUrl;
}

/** A new page in a fresh context, without waiting for the playground (host pages, iframes). */
export async function openRaw(url, { viewport = { width: 1280, height: 900 }, colorScheme = 'light', prepare = null } = {}) {
  const context = await browser.newContext({ viewport, colorScheme });
  await prepare?.(context);
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.goto(new URL(url, baseUrl).href);
  return page;
}

/** Closes the page's context. */
export async function closePage(page) {
  await page.context().close();
}

/** WCAG 2.1 A/AA violations that axe-core finds on the page as it is. */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.addScriptTag({ path: AXE });
  // Let transitions (colours, bar widths) settle: axe reads computed colours.
  await page.waitForTimeout(400);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')})`);
  });
}


/** Waits until the page has drawn its latest state (the store renders once per animation frame). */
export async function settle(page) {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/** Waits until the explanation of the step on show is ready and drawn (no "Explaining…" left). */
export async function waitForExplanation(page) {
  await page.waitForFunction(() => window.__playground.store.get().explanation?.status === 'ready'
    && !document.querySelector('.funnel__loading'), null, { timeout: 15_000 });
}

/** Waits until the run in progress has finished (or failed) and the page has drawn its result. */
export async function waitForRun(page) {
  await page.waitForFunction(() => {
    const run = window.__playground.store.get().run;
    return run && run.status !== 'running';
  }, null, { timeout: 30_000 });
  await settle(page);
}
