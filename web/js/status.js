// The status area under the header: one message per topic (e.g. "evaluate", "cluster"), with a
// dismiss button. Errors are announced assertively, other messages politely.

import { h, icon, richText } from './dom.js';

/**
 * @param {HTMLElement} area
 */
export function createStatus(area) {
  const entries = new Map(); // topic → {el, timer}

  function clear(topic) {
    const entry = entries.get(topic);
    if (!entry) return;
    clearTimeout(entry.timer);
    entry.el.remove();
    entries.delete(topic);
  }

  /**
   * Shows a message for `topic`, replacing the previous one.
   * @param {'info'|'warning'|'error'} kind
   * @param {string} message may quote code with backticks
   * @param {{details?: string[], path?: string|null, timeout?: number, action?: {label: string, onClick: () => void}}} options
   */
  function show(topic, kind, message, { details = [], path = null, timeout = 0, action = null } = {}) {
    clear(topic);
    const dismiss = h('button', { type: 'button', class: 'icon-button status__dismiss', 'aria-label': 'Dismiss this message' }, icon('close'));
    dismiss.addEventListener('click', () => clear(topic));
    const el = h('div', {
      class: `status status--${kind}`,
      role: kind === 'error' ? 'alert' : 'status',
      'data-testid': `status-${kind}`,
      dataset: { topic },
    },
    icon(kind === 'info' ? 'info' : kind),
    h('div', { class: 'status__body' },
      h('p', { class: 'status__message' }, richText(message)),
      path ? h('p', { class: 'status__path' }, 'at JSON path ', h('code', {}, path)) : null,
      details.length > 0 ? h('ul', { class: 'status__details' }, details.map((d) => h('li', {}, richText(d)))) : null),
    action ? actionButton(topic, action) : null,
    dismiss);
    area.append(el);
    const timer = timeout > 0 ? setTimeout(() => clear(topic), timeout) : null;
    entries.set(topic, { el, timer });
  }

  function actionButton(topic, { label, onClick }) {
    const button = h('button', { type: 'button', class: 'button button--small' }, label);
    button.addEventListener('click', () => {
      clear(topic);
      onClick();
    });
    return button;
  }

  return { show, clear };
}
