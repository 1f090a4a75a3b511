// Actions of the cluster query: the expression (checked at once on the page, evaluated on the
// cluster in the worker, debounced, always ending on the latest text), the selected instance and
// its truth table.

import { Stopped } from './engine.js';

const DEBOUNCE_MS = 60;

/**
 * @param {{store: object, engine: object, status: object}} deps
 */
export function createQueryActions({ store, engine, status }) {
  let timer = null;
  let evaluated = { scenario: null, text: null };

  function setExpression(text) {
    if (store.get().expr === text) return;
    store.update({ expr: text });
    clearTimeout(timer);
    timer = setTimeout(evaluate, DEBOUNCE_MS);
  }

  /** Evaluates the expression on the cluster (call after the cluster changes too). */
  async function evaluate() {
    clearTimeout(timer);
    const { expr, scenario } = store.get();
    if (!scenario || (evaluated.scenario === scenario && evaluated.text === expr)) return;
    evaluated = { scenario, text: expr };
    if (!expr.trim()) {
      store.update({ query: { text: expr, diagnostics: [], matches: null } });
      refreshTruth();
      return;
    }
    try {
      const outcome = await engine.filter(scenario, expr, false);
      if (store.get().expr !== expr || store.get().scenario !== scenario) return;
      status.clear('evaluate');
      const matches = outcome.matches ? new Map(outcome.matches.map((m) => [m.containerInstanceArn, m.matched])) : null;
      store.update({ query: { text: expr, diagnostics: outcome.diagnostics, matches } });
      refreshTruth();
    } catch (error) {
      if (error instanceof Stopped) {
        evaluated = { scenario: null, text: null };
        return;
      }
      status.show('evaluate', 'error', `Evaluating the expression failed: ${error.message}`);
      store.update({ query: { text: expr, diagnostics: [], matches: null, failed: error.message } });
    }
  }

  function select(arn) {
    store.update((s) => ({ selected: s.selected === arn ? null : arn }));
    refreshTruth();
  }

  /** The truth table of the expression on the selected instance. */
  async function refreshTruth() {
    const { selected, expr, scenario } = store.get();
    if (!selected || !expr.trim()) {
      store.update({ truth: null });
      return;
    }
    const key = `${selected}|${expr}`;
    try {
      const outcome = await engine.explainInstance(scenario, expr, selected);
      if (store.get().scenario !== scenario) return;
      store.update((s) => (`${s.selected}|${s.expr}` === key ? { truth: { key, ...outcome } } : null));
    } catch (error) {
      if (!(error instanceof Stopped)) store.update({ truth: { key, failed: error.message } });
    }
  }

  return { setExpression, evaluate, select, refreshTruth };
}
