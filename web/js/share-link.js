// Share links: the page's whole state in the URL hash, only what differs from the defaults.
//
// Simple states stay readable: `#usecase=jake&step=4`, `#preset=blog&expr=…&instance=…`,
// `#cmd=aws ecs …&tab=run` (the keys of earlier versions keep working). `step=N` means "the
// console's commands were run; show task N" (`step=0`: the cluster after the run). Anything more
// — an edited or imported cluster, several runs, a long script — goes in `s=1.<data>`: version 1,
// then base64url of the deflate-compressed JSON `{b?: scenario, j?: journal, c?: console text}`.
// A journal entry is `{r: script, u?: use case, w?: 1 (what-if)}` (a run), `{e: edit}` (a cluster
// edit) or `{s: seed}`.

/** The readable keys, in the order they are written. */
const KEYS = ['preset', 'usecase', 'tab', 'expr', 'instance', 'cmd', 'step', 's'];

/** The longest console text kept readable (longer goes in the compressed part). */
export const MAX_CMD_LENGTH = 600;

/** The format version this page writes and reads. */
export const LINK_VERSION = 1;

const READABLE = /%(3A|2F|40|2C|21|24|27|28|29|2A|3B|3D|5B|5D|7E)/g;

function encodeValue(value) {
  return encodeURIComponent(value).replace(READABLE, (escape) => decodeURIComponent(escape));
}

function decodeValue(value) {
  try {
    return decodeURIComponent(value.replace(/\+/g, '%20'));
  } catch {
    return null;
  }
}

/** `#a=b&c=d` → `{a: 'b', c: 'd'}` (known keys only; malformed escapes dropped). */
export function parseHash(hash) {
  const out = {};
  for (const part of String(hash ?? '').replace(/^#/, '').split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    if (!KEYS.includes(key)) continue;
    const value = decodeValue(eq < 0 ? '' : part.slice(eq + 1));
    if (value !== null) out[key] = value;
  }
  return out;
}

/** `{a: 'b'}` → `a=b` (empty values left out). */
export function formatHash(keys) {
  return KEYS
    .filter((key) => keys[key] !== undefined && keys[key] !== null && keys[key] !== '')
    .map((key) => `${key}=${encodeValue(String(keys[key]))}`)
    .join('&');
}

/**
 * The hash (without `#`) of a page state.
 * @param {{preset?: string, usecase?: string, base?: object|null, journal?: Array, console?: string,
 *   tab?: string, expr?: string, instance?: string, step?: number|null}} state
 *   `base`: a scenario that is not a preset (imported or loaded); `step`: 1-based task of the last
 *   run on show, 0 for the cluster after it, null when nothing ran.
 * @param {{tab?: string, preset?: string}} defaults
 */
export async function encodeState(state, defaults = {}) {
  const journal = state.journal ?? [];
  const keys = {
    preset: state.usecase || state.preset === defaults.preset ? null : state.preset,
    usecase: state.usecase || null,
    tab: state.tab === defaults.tab ? null : state.tab,
    expr: state.expr || null,
    instance: state.instance || null,
  };
  const console = state.console ?? '';
  const ran = journal.length > 0 && Number.isInteger(state.step) && state.step >= 0;
  // One plain run of a readable console is said by `step` alone (decodeState makes the run back).
  const onlyTheConsole = !state.base && journal.length === 1 && ran && console.length <= MAX_CMD_LENGTH
    && isPlainRun(journal[0], console, state.usecase);
  const packed = {};
  if (state.base) packed.b = state.base;
  if (journal.length > 0 && !onlyTheConsole) packed.j = journal.map(packEntry);
  if (console.length > MAX_CMD_LENGTH) packed.c = console;
  else if (console && !isUseCaseScript(state)) keys.cmd = console;
  if (Object.keys(packed).length > 0) keys.s = `${LINK_VERSION}.${await deflate(JSON.stringify(packed))}`;
  if (ran) keys.step = String(state.step);
  return formatHash(keys);
}

function isPlainRun(entry, console, usecase) {
  return entry.type === 'run' && entry.script === console && !entry.whatIf && (entry.usecase ?? null) === (usecase ?? null);
}

function isUseCaseScript(state) {
  return Boolean(state.usecase) && state.console === state.useCaseScript;
}

function packEntry(entry) {
  switch (entry.type) {
    case 'run': return { r: entry.script, ...(entry.usecase ? { u: entry.usecase } : {}), ...(entry.whatIf ? { w: 1 } : {}) };
    case 'edit': return { e: entry.edit };
    case 'seed': return { s: entry.seed };
    default: throw new Error(`unknown journal entry ${entry.type}`);
  }
}

function unpackEntry(entry) {
  if (entry && typeof entry.r === 'string') {
    return { type: 'run', script: entry.r, usecase: typeof entry.u === 'string' ? entry.u : null, whatIf: entry.w === 1 };
  }
  if (entry && entry.e && typeof entry.e === 'object') return { type: 'edit', edit: entry.e };
  if (entry && Number.isSafeInteger(entry.s) && entry.s >= 0) return { type: 'seed', seed: entry.s };
  throw new Error('an entry of the link\'s history is not readable');
}

/** The journal entry of one plain run of the console's commands (`script: null`: the console's text). */
export function consoleRun(usecase = null) {
  return { type: 'run', script: null, usecase, whatIf: false };
}

/**
 * Reads a hash back: `{state, problem}`. `problem` says, in a sentence, what could not be read
 * (the readable keys are still returned; the caller decides what to open).
 */
export async function decodeState(hash) {
  const keys = parseHash(hash);
  const state = {
    preset: keys.preset ?? null,
    usecase: keys.usecase ?? null,
    tab: keys.tab ?? null,
    expr: keys.expr ?? null,
    instance: keys.instance ?? null,
    console: keys.cmd ?? null,
    base: null,
    journal: [],
    step: null,
  };
  let problem = null;
  if (keys.s !== undefined) {
    try {
      const packed = await unpack(keys.s);
      state.base = packed.b ?? null;
      state.journal = (packed.j ?? []).map(unpackEntry);
      if (typeof packed.c === 'string') state.console = packed.c;
    } catch (error) {
      problem = error.message;
    }
  }
  if (keys.step !== undefined) {
    const step = Number(keys.step);
    if (Number.isInteger(step) && step >= 0) state.step = step;
    else problem ??= `\`step=${keys.step}\` is not a task number`;
    if (keys.s === undefined && state.step !== null) state.journal = [consoleRun(state.usecase)];
  }
  return { state, problem };
}

async function unpack(value) {
  const dot = value.indexOf('.');
  const version = Number(value.slice(0, dot));
  if (dot < 1 || !Number.isInteger(version)) throw new Error('the link\'s saved state is damaged (no version)');
  if (version > LINK_VERSION) {
    throw new Error(`the link was made by a newer version of the playground (format ${version}; this page reads format ${LINK_VERSION})`);
  }
  let text;
  try {
    text = await inflate(value.slice(dot + 1));
  } catch {
    throw new Error('the link\'s saved state is damaged (it may have been cut short when it was copied)');
  }
  let packed;
  try {
    packed = JSON.parse(text);
  } catch {
    throw new Error('the link\'s saved state is damaged (not JSON)');
  }
  if (!packed || typeof packed !== 'object' || Array.isArray(packed)) throw new Error('the link\'s saved state is damaged');
  if (packed.j !== undefined && !Array.isArray(packed.j)) throw new Error('the link\'s history is damaged');
  return packed;
}

/** deflate-raw + base64url. */
export async function deflate(text) {
  const stream = new Blob([new TextEncoder().encode(text)]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The most a link's saved state may inflate to (a 1,000-instance cluster is ~1 MB). */
export const MAX_INFLATED_BYTES = 16 * 1024 * 1024;

/** The inverse of `deflate`; throws on damaged input or past `MAX_INFLATED_BYTES`. */
export async function inflate(data) {
  if (!/^[A-Za-z0-9_-]*$/.test(data)) throw new Error('not base64url');
  const binary = atob(data.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > MAX_INFLATED_BYTES) {
      await reader.cancel();
      throw new Error('too large');
    }
    chunks.push(value);
  }
  const all = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.length;
  }
  return new TextDecoder('utf-8', { fatal: true }).decode(all);
}
