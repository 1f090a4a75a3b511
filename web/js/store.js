// The page's one state store. `update(patch)` merges a patch (or the result of a function of the
// state) into a new state object; subscribers are called once per animation frame with the new and
// the previous state, so any number of updates in one frame cost one render.

/**
 * @template S
 * @param {S} initial
 */
export function createStore(initial) {
  let state = initial;
  let rendered = initial;
  let scheduled = false;
  const listeners = new Set();

  function flush() {
    scheduled = false;
    const previous = rendered;
    rendered = state;
    for (const listener of listeners) listener(state, previous);
  }

  function schedule() {
    if (scheduled) return;
    scheduled = true;
    if (typeof requestAnimationFrame === 'function' && document.visibilityState !== 'hidden') requestAnimationFrame(flush);
    else setTimeout(flush, 0);
  }

  return {
    /** The current state. */
    get: () => state,
    /** Merges `patch` (an object, or `state => object|null`) into the state. */
    update(patch) {
      const changes = typeof patch === 'function' ? patch(state) : patch;
      if (!changes) return;
      state = { ...state, ...changes };
      schedule();
    },
    /** Calls `listener(state, previous)` after every batch of updates; returns an unsubscribe. */
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** Renders now (tests, and before measuring the page). */
    flush() {
      if (scheduled) flush();
    },
  };
}
