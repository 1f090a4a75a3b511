// The Query tab: the CQL editor (highlighted by the core's lexer, mistakes underlined with their
// message and fix, checked on every keystroke on the page), the match count, the examples of the
// AWS documentation, and "hide instances that don't match".

import { renderDiagnostics } from './diagnostics.js';
import { focused, h, replaceChildren } from './dom.js';
import { createEditor } from './editor.js';
import { EXAMPLES } from './examples.js';
import { plural } from './format.js';
import { applyReplacement } from './spans.js';


/**
 * @param {{$: (id: string) => HTMLElement, engine: object, store: object, query: object, status: object}} deps
 * @returns {(state: object, previous: object) => void} render
 */
export function createQueryPanel({ $, engine, store, query, status }) {
  const textarea = $('cql-input');
  let drawn = null;
  const editor = createEditor({ textarea, mirror: $('cql-mirror'), tooltip: $('squiggle-tooltip') }, {
    onInput: (text) => query.setExpression(text),
    onCommit: (text) => {
      query.setExpression(text);
      query.evaluate();
    },
  });

  function diagnosticsOf(text) {
    try {
      return { tokens: engine.tokenize(text), diagnostics: text.trim() ? engine.check(text) : [] };
    } catch (error) {
      status.show('editor', 'error', `Checking the expression failed: ${error.message}`);
      return { tokens: [], diagnostics: [] };
    }
  }

  const actions = {
    onFix: (diagnostic) => {
      const text = editor.value;
      const { text: fixed, end } = applyReplacement(text, diagnostic.suggestion);
      editor.setValue(fixed, { select: { start: end, end } });
      query.setExpression(fixed);
    },
    onReveal: ({ start, end }) => editor.select(start, end),
  };

  replaceChildren($('examples'), EXAMPLES.map((example) => {
    const chip = h('button', { type: 'button', class: 'chip', title: example.title.replace(/`/g, '') }, h('code', {}, example.expression));
    chip.addEventListener('click', () => {
      editor.setValue(example.expression);
      query.setExpression(example.expression);
    });
    return h('li', {}, chip);
  }));
  $('hide-unmatched').addEventListener('change', (event) => store.update({ hideUnmatched: event.target.checked }));

  let shown = false;
  return function render(state) {
    // The editor measures itself: do it when it first shows (it is hidden while the page starts).
    const visible = !textarea.closest('[hidden]');
    if (visible && !shown) editor.autosize();
    shown = visible;
    if (textarea.value !== state.expr && !focused(textarea)) {
      editor.setValue(state.expr, { focus: false });
    }
    if (drawn !== textarea.value) {
      drawn = textarea.value;
      const { tokens, diagnostics } = diagnosticsOf(drawn);
      editor.render(drawn, tokens, diagnostics);
      renderDiagnostics($('diagnostics'), drawn, diagnostics, actions);
    }
    $('hide-unmatched').checked = state.hideUnmatched;
    const count = $('match-count');
    const text = matchText(state);
    if (count.textContent !== text) count.textContent = text;
    count.dataset.state = state.query?.matches ? 'ok' : state.expr.trim() ? 'pending' : 'empty';
    // The text the count is about (tests wait for the final text to be evaluated).
    count.dataset.source = state.query?.text ?? '';
  };
}

function matchText(state) {
  const total = state.scenario?.instances.length ?? 0;
  if (!state.expr.trim()) return `${plural(total, 'instance')} · type an expression to filter them`;
  const { query } = state;
  if (!query || query.text !== state.expr) return 'Evaluating…';
  if (query.failed) return 'The expression could not be evaluated';
  if (!query.matches) return 'Fix the errors to evaluate the expression';
  const matched = [...query.matches.values()].filter(Boolean).length;
  return `${matched} of ${plural(total, 'instance')} match`;
}

