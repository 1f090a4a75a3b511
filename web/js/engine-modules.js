// The engine's WebAssembly modules, fetched and compiled once per page (see engine.js): the
// page's first module, the full one (what the first leaves out) and the one optimised for speed,
// all three with the same bindings (`cargo xtask build-web` checks that they are identical).

const PKG = new URL('../pkg/', import.meta.url);
const WASM_URL = new URL('ecs_placement_wasm_bg.wasm', PKG);
const BINDINGS_URL = new URL('ecs_placement_wasm.js', PKG);
/** The same engine optimised for speed. */
const FAST_WASM_URL = new URL('ecs_placement_wasm_fast_bg.wasm', PKG);
/** The same engine optimised for size with what the first module leaves out. */
const FULL_WASM_URL = new URL('ecs_placement_wasm_full_bg.wasm', PKG);

/**
 * The module optimised for speed, fetched and compiled once per page; null when it cannot be
 * (a site deployed without it: the page's module then runs everything).
 */
export function loadFast(page) {
  page.fast ??= compile(FAST_WASM_URL).catch(() => null);
  return page.fast;
}

/**
 * The full module (what the first one leaves out), fetched and compiled once per page; null
 * when it cannot be (the call that needed it then reports its error).
 */
export function loadFull(page) {
  page.full ??= compile(FULL_WASM_URL).catch(() => null);
  return page.full;
}

/**
 * The full module's bindings on the page (for the page's own calls that need it), a fresh
 * instance after a trap; null when the module cannot be loaded.
 */
export function loadFullBindings(page) {
  page.fullBindingsLoading ??= loadFull(page).then(async (module) => {
    if (!module) return null;
    page.fullGeneration = (page.fullGeneration ?? 0) + 1;
    page.fullBindings = await instantiate(module, `full-${page.fullGeneration}`);
    return page.fullBindings;
  });
  return page.fullBindingsLoading;
}

/** The page's first module (or the one at `url`), compiled. */
export async function compile(url = WASM_URL) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot load ${url.pathname}: HTTP ${response.status}`);
  if (typeof WebAssembly.compileStreaming === 'function' && response.headers.get('Content-Type') === 'application/wasm') {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

/** A fresh instance of the bindings (a restart imports them under a new URL: new module state). */
export async function instantiate(module, generation) {
  const url = generation === 0 ? BINDINGS_URL.href : `${BINDINGS_URL.href}?instance=${generation}`;
  const bindings = await import(url);
  await bindings.default({ module_or_path: module });
  return bindings;
}
