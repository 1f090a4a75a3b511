// A static check of the page's modules: every module `web/app.js` reaches by static imports is
// preloaded by `web/index.html` (between the `modulepreload:start` and `modulepreload:end`
// comments), so the browser fetches them all at once instead of one import level at a time, and
// every preloaded module is one the page imports. Also the project rule: no module over ~300 lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const WEB = new URL('../../web/', import.meta.url);
const PKG = new URL('pkg/', WEB);
const MAX_LINES = 300;

/**
 * The specifiers of a module's static imports and re-exports (`import … from '…'`, `import '…'`,
 * `export … from '…'`); dynamic `import(…)` is left out.
 */
function staticImports(source) {
  const pattern = /^[ \t]*(?:(?:import|export)(?![ \t]*\()[^;()='"`]*?\bfrom[ \t]*|import[ \t]*)(['"])([^'"\n]+)\1/gm;
  return [...source.matchAll(pattern)].map((m) => m[2]);
}

/** Every module reachable from `entry` by relative static imports, outside `web/pkg/`: URL strings. */
function reachableModules(entry) {
  const seen = new Set([entry.href]);
  const queue = [entry];
  const missing = [];
  while (queue.length) {
    const url = queue.shift();
    for (const specifier of staticImports(readFileSync(url, 'utf8'))) {
      if (!specifier.startsWith('./') && !specifier.startsWith('../')) continue;
      const target = new URL(specifier, url);
      if (target.href.startsWith(PKG.href)) continue;
      if (seen.has(target.href)) continue;
      seen.add(target.href);
      if (!existsSync(target)) {
        missing.push(`${relative(url)} imports ${specifier}`);
        continue;
      }
      queue.push(target);
    }
  }
  return { modules: seen, missing };
}

const relative = (url) => (typeof url === 'string' ? url : url.href).slice(WEB.href.length);

/** The `href`s of the `<link rel="modulepreload">` tags between the markers of `web/index.html`. */
function preloadList() {
  const html = readFileSync(new URL('index.html', WEB), 'utf8');
  const starts = html.split('<!-- modulepreload:start').length - 1;
  const ends = html.split('<!-- modulepreload:end').length - 1;
  assert.equal(starts, 1, 'one `<!-- modulepreload:start` comment in index.html');
  assert.equal(ends, 1, 'one `<!-- modulepreload:end` comment in index.html');
  const block = html.slice(html.indexOf('<!-- modulepreload:start'), html.indexOf('<!-- modulepreload:end'));
  assert.ok(block.length > 0, 'the start comment comes before the end comment');
  const body = block.slice(block.indexOf('-->') + 3);
  const links = [];
  for (const [tag] of body.matchAll(/<[a-z][^>]*>/gi)) {
    const attribute = (name) => tag.match(new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i'))?.slice(1).find((v) => v !== undefined);
    assert.match(tag, /^<link\s/i, `only <link> tags between the markers: ${tag}`);
    assert.equal(attribute('rel'), 'modulepreload', `a modulepreload link: ${tag}`);
    links.push(attribute('href'));
  }
  return links;
}

test('the import parser finds static imports and re-exports, not dynamic imports', () => {
  const source = [
    "import { a } from './a.js';",
    'import {',
    '  b,',
    '  c as d,',
    "} from './b.js';",
    "import * as e from \"../e.js\";",
    "import f, { g } from './f.js'",
    "import './side-effect.js';",
    "export { h } from './h.js';",
    "export * from './star.js';",
    "const lazy = await import('./dynamic.js');",
    "  const again = import(`./template.js`);",
    '// a comment that says import x from somewhere',
    "export function from() { return 'from'; }",
    "export const x = { from: './not-an-import.js' };",
  ].join('\n');
  assert.deepEqual(staticImports(source), ['./a.js', './b.js', '../e.js', './f.js', './side-effect.js', './h.js', './star.js']);
});

test('every module app.js imports is preloaded by index.html, and only those', () => {
  const { modules, missing } = reachableModules(new URL('app.js', WEB));
  assert.deepEqual(missing, [], 'every imported module exists');
  const reachable = [...modules].map(relative).filter((path) => path.startsWith('js/')).sort();
  assert.ok(reachable.includes('js/store.js') && reachable.length > 20, `the imports were followed (found ${reachable.length})`);

  const listed = preloadList();
  const duplicates = listed.filter((href, i) => listed.indexOf(href) !== i);
  assert.deepEqual(duplicates, [], 'each module is listed once');
  for (const href of listed) assert.ok(existsSync(new URL(href, WEB)), `listed but missing: ${href}`);

  const notListed = reachable.filter((path) => !listed.includes(path));
  const notImported = listed.filter((href) => !reachable.includes(href));
  assert.deepEqual(notListed, [], 'imported by the page but not preloaded: add a <link rel="modulepreload"> to web/index.html');
  assert.deepEqual(notImported, [], 'preloaded but not imported by the page: remove its <link> from web/index.html');
});

test(`no module in web/js is over ${MAX_LINES} lines`, () => {
  const dir = new URL('js/', WEB);
  const files = readdirSync(fileURLToPath(dir)).filter((name) => name.endsWith('.js'));
  assert.ok(files.length > 20, 'the modules were found');
  const long = files
    .map((name) => ({ name, lines: readFileSync(new URL(name, dir), 'utf8').replace(/\n$/, '').split('\n').length }))
    .filter((file) => file.lines > MAX_LINES)
    .map((file) => `web/js/${file.name}: ${file.lines} lines`);
  assert.deepEqual(long, []);
});
