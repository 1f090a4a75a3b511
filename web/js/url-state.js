// Page state in the URL hash: `#expr=…&instance=…&preset=…&tab=run&usecase=…&cmd=…`, only the
// keys that differ from the defaults. Written with history.replaceState (throttled), read on load
// and on hashchange. `usecase` names a blog use case whose script is in the console; `cmd` holds
// the console text when it is short and not a use case's script.

const KEYS = ['expr', 'instance', 'preset', 'tab', 'usecase', 'cmd'];

/** The longest console text kept in the URL (longer scripts are not written). */
export const MAX_CMD_LENGTH = 600;

/** Characters left readable in the hash (all valid in a fragment; `&`, `+` and `#` stay encoded; a value may hold `=` as keys never do). */
const READABLE = /%(3A|2F|40|2C|21|24|27|28|29|2A|3B|3D|5B|5D|7E)/g;

function encode(value) {
  return encodeURIComponent(value).replace(READABLE, (escape) => decodeURIComponent(escape));
}

function decode(value) {
  try {
    return decodeURIComponent(value.replace(/\+/g, '%20'));
  } catch {
    return null;
  }
}

/** Parses a hash (`#a=b&c=d`) into `{expr?, instance?, preset?, tab?, usecase?, cmd?}`; unknown or malformed keys are ignored. */
export function parseHash(hash) {
  const state = {};
  for (const part of String(hash ?? '').replace(/^#/, '').split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    if (!KEYS.includes(key)) continue;
    const value = decode(eq < 0 ? '' : part.slice(eq + 1));
    if (value !== null) state[key] = value;
  }
  return state;
}

/** Formats state as a hash (without `#`), leaving out empty and default values. */
export function formatHash(state, defaults = {}) {
  return KEYS
    .filter((key) => state[key] !== undefined && state[key] !== null && state[key] !== '' && state[key] !== defaults[key])
    .map((key) => `${key}=${encode(String(state[key]))}`)
    .join('&');
}

/**
 * A throttled writer: `write(state)` updates the URL at most once per `interval` ms, always ending
 * with the last state; `flush()` writes a pending state at once.
 */
export function createUrlWriter({ interval = 250, defaults = {} } = {}) {
  let pending = null;
  let timer = null;
  let last = 0;

  const commit = () => {
    timer = null;
    if (!pending) return;
    const hash = formatHash(pending, defaults);
    pending = null;
    last = Date.now();
    const current = location.hash.replace(/^#/, '');
    if (hash === current) return;
    const url = `${location.pathname}${location.search}${hash ? `#${hash}` : ''}`;
    try {
      history.replaceState(history.state, '', url);
    } catch {
      // Some embedding contexts forbid history changes; the page works without them.
    }
  };

  window.addEventListener('pagehide', commit);
  return {
    write(state) {
      pending = { ...state };
      if (timer) return;
      const wait = Math.max(0, interval - (Date.now() - last));
      timer = setTimeout(commit, wait);
    },
    flush() {
      if (timer) clearTimeout(timer);
      commit();
    },
  };
}
