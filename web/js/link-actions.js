// The state that outlives the page: the share link in the URL (kept up to date, copied by the Share
// button), the autosave in localStorage, and restoring either on load. A link is replayed: its base
// cluster is loaded, then its journal (runs, edits, seed changes) is applied in order, so the same
// seed and commands give the same placements (decision D18). A link that cannot be opened says why
// and opens the last good state instead.

import { shortId } from './format.js';
import { decodeState, encodeState } from './share-link.js';

export const DEFAULT_PRESET = 'sample';
const AUTOSAVE_KEY = 'ecs-placement-playground:v1';
const URL_INTERVAL_MS = 300;
const AUTOSAVE_MS = 800;

/**
 * @param {{store: object, engine: object, status: object, cluster: object, runs: object, query: object,
 *   persist?: boolean, initial?: object|null}} deps
 *   `persist` (the page): the URL and the autosave follow the state, and the first state comes from
 *   them. Otherwise (an embed) the first state is `initial` (the decoded form of a link) and
 *   nothing is written.
 */
export function createLinkActions({ store, engine, status, cluster, runs, query, persist = true, initial = null }) {
  /** The state as a link sees it (what differs from the defaults is written). */
  function linkState(s = store.get()) {
    const example = s.examples.find((e) => e.name === s.usecase);
    const last = s.journal[s.journal.length - 1];
    const showing = last?.type === 'run' && s.run?.status === 'done' && !s.run.undone;
    return {
      preset: s.base.preset,
      usecase: s.usecase,
      useCaseScript: example?.script ?? null,
      base: s.base.preset ? null : s.base.scenario,
      journal: s.journal,
      console: s.console,
      tab: s.tab,
      expr: s.expr,
      instance: s.selected ? shortId(s.selected) : null,
      step: showing ? s.step + 1 : null,
    };
  }

  async function currentHash() {
    const state = linkState();
    return encodeState(state, { tab: impliedTab(state), preset: DEFAULT_PRESET });
  }

  // ---- the URL, kept up to date -----------------------------------------------------------
  let urlTimer = null;
  let writing = Promise.resolve();
  function scheduleUrl() {
    if (urlTimer) return;
    urlTimer = setTimeout(() => {
      urlTimer = null;
      writing = writeUrl();
    }, URL_INTERVAL_MS);
  }

  async function writeUrl() {
    if (store.get().phase !== 'ready') return;
    const hash = await currentHash();
    if (hash === location.hash.replace(/^#/, '')) return;
    try {
      history.replaceState(history.state, '', `${location.pathname}${location.search}${hash ? `#${hash}` : ''}`);
    } catch {
      // Some embedding contexts forbid history changes; the page works without them.
    }
  }

  /** A link that opens the full playground as this one is now (an embed's "Open in the playground"). */
  async function playgroundUrl() {
    const hash = await currentHash();
    return `${new URL('../index.html', import.meta.url).href}${hash ? `#${hash}` : ''}`;
  }

  /** The link to the page as it is now, e.g. for the Share button. */
  async function shareUrl() {
    if (!persist) return playgroundUrl();
    clearTimeout(urlTimer);
    urlTimer = null;
    await writing;
    await writeUrl();
    return location.href;
  }

  // ---- autosave -----------------------------------------------------------------------------
  let saveTimer = null;
  function scheduleSave() {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, AUTOSAVE_MS);
  }

  function save() {
    if (store.get().phase !== 'ready') return;
    const { useCaseScript, ...state } = linkState();
    try {
      localStorage.setItem(AUTOSAVE_KEY, JSON.stringify({ savedAt: Date.now(), state: { ...state, useCaseScript } }));
    } catch {
      // Storage full or disabled (private windows): the link still holds the state.
    }
  }

  function saved() {
    try {
      const raw = localStorage.getItem(AUTOSAVE_KEY);
      return raw ? JSON.parse(raw).state : null;
    } catch {
      return null;
    }
  }

  function forget() {
    try {
      localStorage.removeItem(AUTOSAVE_KEY);
    } catch {
      // nothing to forget
    }
  }

  /** Watches the store: the URL and the autosave follow every change that matters. */
  function follow() {
    if (!persist) return;
    const keys = ['base', 'journal', 'console', 'usecase', 'tab', 'expr', 'selected', 'step', 'run'];
    store.subscribe((state, previous) => {
      if (state.phase !== 'ready') return;
      if (keys.some((k) => state[k] !== previous[k])) {
        scheduleUrl();
        scheduleSave();
      }
    });
    window.addEventListener('pagehide', () => {
      save();
    });
  }

  // ---- restoring ----------------------------------------------------------------------------
  /** Opens the page's first state: the link, else the autosave, else the default cluster. */
  async function boot() {
    if (!persist) {
      const error = await tryRestore(initial ?? { preset: DEFAULT_PRESET });
      if (error) {
        status.show('restore', 'error', `This example could not be opened: ${error}`);
        await restore({ preset: DEFAULT_PRESET });
      }
      return;
    }
    const { state: fromLink, problem } = await decodeState(location.hash);
    const linked = hasContent(fromLink);
    if (linked && !problem) {
      const error = await tryRestore(fromLink);
      if (!error) return;
      await fallBack(`This link could not be opened: ${error}`);
      return;
    }
    if (problem) {
      await fallBack(`This link could not be opened: ${problem}.`);
      return;
    }
    const last = saved();
    if (last && hasContent(last)) {
      const error = await tryRestore(last);
      if (!error) {
        status.show('restore', 'info', 'Restored where you left off (saved in this browser).', {
          timeout: 10000,
          action: { label: 'Start fresh', onClick: () => startFresh() },
        });
        return;
      }
      forget();
    }
    await restore({ preset: DEFAULT_PRESET });
  }

  async function fallBack(message) {
    const last = saved();
    if (last && hasContent(last) && !(await tryRestore(last))) {
      status.show('restore', 'error', `${message} Showing your last session instead.`);
      return;
    }
    await restore({ preset: DEFAULT_PRESET });
    status.show('restore', 'error', `${message} Showing the sample cluster instead.`);
  }

  async function startFresh() {
    forget();
    store.update({ phase: 'restoring' });
    await restore({ preset: DEFAULT_PRESET });
    store.update({ phase: 'ready' });
  }

  async function tryRestore(state) {
    try {
      await restore(state);
      return null;
    } catch (error) {
      return error.message;
    }
  }

  /** Loads a base cluster, replays a journal and sets the view keys. Throws a sentence on failure. */
  async function restore(state) {
    const { examples } = store.get();
    const example = state.usecase ? examples.find((e) => e.name === state.usecase) : null;
    if (state.usecase && !example) throw new Error(`there is no use case \`${state.usecase}\`.`);
    // Prepared in the worker: the page stays responsive while a cluster loads.
    if (state.base) {
      const { scenario, view } = await engine.prepareCluster({ json: JSON.stringify(state.base) });
      cluster.loadScenario(scenario, 'shared cluster', { view });
    } else {
      const preset = example?.preset ?? state.preset ?? DEFAULT_PRESET;
      if (!store.get().presets.some((p) => p.name === preset)) throw new Error(`there is no built-in cluster \`${preset}\`.`);
      const { scenario, view } = await engine.prepareCluster({ preset });
      cluster.loadPreset(preset, { scenario, view });
    }
    const text = state.console ?? example?.script ?? '';
    store.update({ usecase: example?.name ?? null, console: text, tab: tabOf(state, example), expr: state.expr ?? '' });
    const journal = state.journal ?? [];
    for (const [index, entry] of journal.entries()) {
      const last = index === journal.length - 1;
      if (entry.type === 'run') {
        const ok = await runs.run(entry.script ?? text, {
          usecase: entry.usecase ?? null, whatIf: entry.whatIf, replay: true, step: last ? state.step ?? null : null,
        });
        if (!ok) throw new Error('a run of its history failed.');
      } else if (entry.type === 'edit') {
        if (!cluster.edit(entry.edit, { quiet: true })) throw new Error('a change of its history could not be made.');
      } else if (entry.type === 'seed') {
        cluster.setSeed(entry.seed);
      }
    }
    const selected = state.instance ? findInstance(store.get().scenario, state.instance) : null;
    store.update({ selected });
    await query.evaluate();
    await query.refreshTruth();
  }

  return { boot, follow, shareUrl, playgroundUrl, startFresh, save, restore };
}

function tabOf(state, example) {
  const tabs = { run: 'run', query: 'query', build: 'build', cluster: 'cluster', services: 'services' };
  return tabs[state.tab] ?? impliedTab({ ...state, usecase: example?.name ?? state.usecase });
}

/** The tab a link without `tab=` opens: the query when it has only an expression, else the commands. */
export function impliedTab(state) {
  const onlyQuery = state.expr && !state.usecase && !state.console && !(state.journal ?? []).length;
  return onlyQuery ? 'query' : 'run';
}

function hasContent(state) {
  return Boolean(state && (state.preset || state.usecase || state.base || state.journal?.length || state.console || state.expr || state.instance || state.tab));
}

/** The ARN of the instance a reference names: ARN, container instance ID or EC2 instance ID. */
export function findInstance(scenario, reference) {
  const found = scenario?.instances.find((i) =>
    i.containerInstanceArn === reference || shortId(i.containerInstanceArn) === reference || i.ec2InstanceId === reference);
  return found?.containerInstanceArn ?? null;
}
