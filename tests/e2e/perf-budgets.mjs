// Measures the page's performance budgets in headless Chromium (not a test: figures vary with the
// machine; run it and read them). `npm run budgets` after `cargo xtask build-web`; it starts the
// server like the browser tests do (or uses PLAYGROUND_URL).
//
// Budgets (the page issue): no long task (> 50 ms, PerformanceObserver "longtask") at load, while
// playing 100 placements on 300 instances, or while typing CQL over 1,000 instances; the bins of
// the default cluster drawn within 1 s of navigation; the sizes of wasm + JS + CSS, raw and gzip.

import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RUNS = Number(process.env.RUNS ?? 3);

const OBSERVE = () => {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
  window.__binsAt = null;
  new MutationObserver(() => {
    if (window.__binsAt === null && document.querySelector('[data-testid="instance-bin"]')) window.__binsAt = performance.now();
  }).observe(document, { subtree: true, childList: true });
};

async function server() {
  if (process.env.PLAYGROUND_URL) return { url: process.env.PLAYGROUND_URL, stop() {} };
  const child = spawn('cargo', ['xtask', 'serve', '--no-build', '--port', '0'], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const found = out.match(/Serving the ECS Placement Playground at (\S+)/);
      if (found) resolve(found[1]);
    });
    child.on('exit', (code) => reject(new Error(`the server exited (${code})`)));
  });
  return { url, stop: () => process.kill(-child.pid, 'SIGTERM') };
}

async function open(browser, url, viewport = { width: 1440, height: 900 }) {
  const context = await browser.newContext({ viewport });
  await context.addInitScript(OBSERVE);
  const page = await context.newPage();
  const started = Date.now();
  await page.goto(url);
  await page.waitForFunction(() => window.__playgroundReady === true, null, { timeout: 30_000 });
  return { page, context, started };
}

const longTasks = (page, since = 0) => page.evaluate((t) => window.__longTasks.filter((e) => e.start >= t), since);
const now = (page) => page.evaluate(() => performance.now());
const summary = (tasks) => ({ count: tasks.length, longest: Math.round(Math.max(0, ...tasks.map((t) => t.duration))) });

async function load(browser, url) {
  const { page, context } = await open(browser, url);
  await page.waitForTimeout(1000);
  const tasks = await longTasks(page);
  const binsAt = await page.evaluate(() => window.__binsAt);
  const ready = await page.evaluate(() => performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd ?? 0);
  await context.close();
  return { ...summary(tasks), binsMs: Math.round(binsAt), domContentLoadedMs: Math.round(ready) };
}

async function play300(browser, url) {
  const line = 'aws ecs run-task --task-definition nouvelleApp --count 100 --placement-strategy type=spread,field=attribute:ecs.availability-zone type=binpack,field=memory';
  const { page, context } = await open(browser, `${url}#preset=fleet-300`);
  await page.getByTestId('tab-console').click();
  await page.getByTestId('console-input').fill(line);
  await page.getByTestId('what-if').check();
  await page.getByTestId('player-speed').selectOption('4');
  const from = await now(page);
  await page.getByTestId('run-button').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="player"]').dataset.step === '100', null, { timeout: 120_000 });
  const tasks = await longTasks(page, from);
  const elapsed = Math.round((await now(page)) - from);
  await context.close();
  return { ...summary(tasks), elapsedMs: elapsed };
}

async function type1000(browser, url) {
  const { page, context } = await open(browser, `${url}#preset=fleet-1000&tab=query`);
  const from = await now(page);
  await page.getByTestId('cql-input').click();
  await page.getByTestId('cql-input').pressSequentially('attribute:ecs.instance-type =~ m5.* and not(task:group == family:cache)', { delay: 40 });
  await page.waitForFunction(() => /of 1,000 instances match/.test(document.querySelector('[data-testid="match-count"]').textContent), null, { timeout: 30_000 });
  const tasks = await longTasks(page, from);
  await context.close();
  return summary(tasks);
}

function sizes() {
  const web = path.join(ROOT, 'web');
  const files = [
    ...readdirSync(path.join(web, 'js')).map((f) => path.join('js', f)),
    'app.js', 'style.css', 'index.html', 'pkg/ecs_placement_wasm.js', 'pkg/ecs_placement_wasm_bg.wasm',
  ];
  const totals = { wasm: [0, 0], js: [0, 0], css: [0, 0], html: [0, 0] };
  for (const file of files) {
    const full = path.join(web, file);
    if (!statSync(full, { throwIfNoEntry: false })?.isFile()) continue;
    const bytes = readFileSync(full);
    const kind = file.endsWith('.wasm') ? 'wasm' : file.endsWith('.css') ? 'css' : file.endsWith('.html') ? 'html' : 'js';
    totals[kind][0] += bytes.length;
    totals[kind][1] += gzipSync(bytes, { level: 9 }).length;
  }
  return Object.fromEntries(Object.entries(totals).map(([k, [raw, gz]]) => [k, { raw, gzip: gz }]));
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const { url, stop } = await server();
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const results = { load: [], play300: [], type1000: [] };
  for (let i = 0; i < RUNS; i++) {
    results.load.push(await load(browser, url));
    results.play300.push(await play300(browser, url));
    results.type1000.push(await type1000(browser, url));
  }
  const report = {
    machine: `${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()}`,
    chromium: browser.version(),
    runs: RUNS,
    load: {
      longestTaskMs: results.load.map((r) => r.longest), binsDrawnMs: results.load.map((r) => r.binsMs),
      medianLongestTaskMs: median(results.load.map((r) => r.longest)), medianBinsDrawnMs: median(results.load.map((r) => r.binsMs)),
    },
    play100on300: {
      longestTaskMs: results.play300.map((r) => r.longest), longTasks: results.play300.map((r) => r.count),
      medianLongestTaskMs: median(results.play300.map((r) => r.longest)), medianElapsedMs: median(results.play300.map((r) => r.elapsedMs)),
    },
    typing1000: {
      longestTaskMs: results.type1000.map((r) => r.longest), longTasks: results.type1000.map((r) => r.count),
      medianLongestTaskMs: median(results.type1000.map((r) => r.longest)),
    },
    bytes: sizes(),
  };
  console.log(JSON.stringify(report, null, 2));
} finally {
  await browser.close();
  stop();
}
