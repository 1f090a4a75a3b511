// The list of diagnostics under the editor: severity, position, message, help and a Fix button for
// machine-applicable suggestions.

import { h, icon, replaceChildren, richText } from './dom.js';
import { spanMapFor } from './spans.js';

const rendered = new WeakMap();

/**
 * @param {HTMLElement} list the <ul>
 * @param {string} text the source the diagnostics refer to
 * @param {Array} diagnostics
 * @param {{onFix: (diagnostic) => void, onReveal: (diagnostic) => void}} actions
 */
export function renderDiagnostics(list, text, diagnostics, { onFix, onReveal }) {
  // Re-render only on change: the list is an aria-live region.
  const signature = JSON.stringify([text, diagnostics]);
  if (rendered.get(list) === signature) return;
  rendered.set(list, signature);

  const map = spanMapFor(text);
  const items = diagnostics.map((d) => {
    const { start, end } = map.range(d.span);
    const where = position(text, start);
    const severity = d.severity === 'warning' ? 'warning' : 'error';
    const fix = d.suggestion
      ? h('button', { type: 'button', class: 'button button--small diag__fix', 'data-testid': 'diagnostic-fix' },
        icon('fix'), fixLabel(map, d.suggestion))
      : null;
    fix?.addEventListener('click', () => onFix(d));
    const locate = h('button', { type: 'button', class: 'diag__where', title: 'Select it in the editor' },
      icon(severity),
      h('span', { class: 'diag__severity' }, severity),
      h('span', { class: 'diag__pos' }, where.label),
      h('span', { class: 'visually-hidden' }, ': select it in the editor'));
    locate.addEventListener('click', () => onReveal({ start, end }));
    return h('li', { class: `diag diag--${severity}`, dataset: { severity, code: d.code ?? '' } },
      locate,
      h('div', { class: 'diag__body' },
        h('p', { class: 'diag__message' }, richText(d.message)),
        d.help ? h('p', { class: 'diag__help' }, h('span', { class: 'diag__help-label' }, 'help: '), richText(d.help)) : null,
        ...(d.labels ?? []).map((label) =>
          h('p', { class: 'diag__label' }, `${position(text, map.range(label.span).start).label}: `, richText(label.message)))),
      fix);
  });
  replaceChildren(list, items);
  list.hidden = items.length === 0;
}

function fixLabel(map, suggestion) {
  const { start, end } = map.range(suggestion.span);
  const old = map.text.slice(start, end);
  const replacement = suggestion.replacement ?? '';
  if (start === end) return ['Fix: insert ', h('code', {}, replacement)];
  if (replacement === '') return ['Fix: remove ', h('code', {}, old)];
  return ['Fix: replace ', h('code', {}, old), ' with ', h('code', {}, replacement)];
}

/** 1-based line and column (in characters) of a UTF-16 index. */
function position(text, index) {
  const before = text.slice(0, index);
  const lines = before.split('\n');
  const line = lines.length;
  const column = [...lines[lines.length - 1]].length + 1;
  const multiline = text.includes('\n');
  return { line, column, label: multiline ? `line ${line}, col ${column}` : `col ${column}` };
}
