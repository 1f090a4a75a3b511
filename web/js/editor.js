// The CQL editor: a textarea with transparent text over a <pre> mirror that draws the syntax
// colours (from `tokenize()`) and the diagnostics as wavy underlines (from `check()`/`filter()`).
// Both elements share their font metrics and box (see .editor in style.css) and scroll together.

import { focused, h, richText } from './dom.js';
import { spanMapFor } from './spans.js';

/**
 * @param {{textarea: HTMLTextAreaElement, mirror: HTMLElement, tooltip: HTMLElement}} elements
 * @param {{onInput: (text: string) => void, onCommit: (text: string) => void}} callbacks
 */
export function createEditor({ textarea, mirror, tooltip }, { onInput, onCommit }) {
  let squiggles = []; // [{el, diagnostics}]
  let hovered = null;

  const syncScroll = () => {
    if (textarea.closest('[hidden]')) return; // nothing to align, and no layout to force
    mirror.scrollTop = textarea.scrollTop;
    mirror.scrollLeft = textarea.scrollLeft;
  };

  const autosize = () => {
    // A hidden editor has no size to fit (and measuring it would force a layout of the page).
    if (textarea.closest('[hidden]')) return;
    textarea.style.height = 'auto';
    const max = Math.max(120, Math.round(window.innerHeight * 0.4));
    textarea.style.height = `${Math.min(textarea.scrollHeight, max)}px`;
    syncScroll();
  };

  textarea.addEventListener('input', () => {
    hideTooltip();
    autosize();
    onInput(textarea.value);
  });
  textarea.addEventListener('scroll', () => {
    syncScroll();
    hideTooltip();
  });
  textarea.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      onCommit(textarea.value);
    } else if (event.key === 'Escape') {
      hideTooltip();
    }
  });
  // Keyboard users: moving the caret onto a squiggle shows its message too.
  textarea.addEventListener('keyup', (event) => {
    if (['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End'].includes(event.key) && !event.shiftKey) {
      caretHover();
    }
  });
  textarea.addEventListener('blur', () => {
    hideTooltip();
    onCommit(textarea.value);
  });
  textarea.addEventListener('mousemove', (event) => hover(event.clientX, event.clientY));
  textarea.addEventListener('mouseleave', hideTooltip);
  window.addEventListener('resize', autosize);

  function hover(x, y) {
    const hit = squiggles.find(({ el }) => [...rectsOf(el)].some((r) => inside(r, x, y)));
    if (!hit) return hideTooltip();
    if (hovered === hit) return;
    hovered = hit;
    showTooltip(hit);
  }

  function caretHover() {
    const caret = textarea.selectionStart;
    if (textarea.selectionEnd !== caret) return hideTooltip();
    const hit = squiggles.find(({ ranges }) => ranges.some((r) => r.start <= caret && caret <= r.end));
    if (!hit) return hideTooltip();
    if (hovered === hit) return;
    hovered = hit;
    showTooltip(hit);
  }

  function showTooltip({ el, diagnostics }) {
    tooltip.replaceChildren(...diagnostics.map((d) =>
      h('div', { class: `tooltip__item tooltip__item--${d.severity}` },
        h('p', { class: 'tooltip__message' },
          h('span', { class: 'tooltip__severity' }, d.severity === 'error' ? 'Error' : 'Warning'),
          ' ', richText(d.message)),
        d.help ? h('p', { class: 'tooltip__help' }, richText(d.help)) : null)));
    tooltip.hidden = false;
    const rect = [...rectsOf(el)][0] ?? el.getBoundingClientRect();
    const width = tooltip.offsetWidth;
    const left = Math.max(8, Math.min(rect.left, window.innerWidth - width - 8));
    let top = rect.bottom + 8;
    if (top + tooltip.offsetHeight > window.innerHeight - 8) top = rect.top - tooltip.offsetHeight - 8;
    tooltip.style.left = `${left}px`;
    tooltip.style.top = `${Math.max(8, top)}px`;
  }

  function hideTooltip() {
    hovered = null;
    tooltip.hidden = true;
  }

  /**
   * Redraws the mirror for `text` with its tokens and diagnostics (byte spans).
   * @param {string} text must be the textarea's current value
   */
  function render(text, tokens, diagnostics) {
    const map = spanMapFor(text);
    const { fragment, marks } = buildMirror(text, map, tokens ?? [], diagnostics ?? []);
    mirror.replaceChildren(fragment);
    squiggles = marks;
    hideTooltip();
    syncScroll();
  }

  return {
    get value() {
      return textarea.value;
    },
    /** Replaces the text (as typing would, keeping undo where the browser allows it). */
    setValue(text, { select = null, focus = true } = {}) {
      if (focus) textarea.focus();
      replaceRange(textarea, 0, textarea.value.length, text);
      const caret = select ?? { start: text.length, end: text.length };
      textarea.setSelectionRange(caret.start, caret.end);
      autosize();
    },
    /** Replaces a UTF-16 range of the text. */
    replace(start, end, replacement) {
      textarea.focus();
      replaceRange(textarea, start, end, replacement);
      const caret = start + replacement.length;
      textarea.setSelectionRange(caret, caret);
      autosize();
    },
    select(start, end) {
      textarea.focus();
      textarea.setSelectionRange(start, end);
    },
    render,
    autosize,
    hideTooltip,
  };
}

/** Replaces text through the editing pipeline (undoable) when possible, without firing input. */
function replaceRange(textarea, start, end, replacement) {
  const expected = textarea.value.slice(0, start) + replacement + textarea.value.slice(end);
  textarea.setSelectionRange(start, end);
  let done = false;
  if (focused(textarea) && typeof document.execCommand === 'function') {
    // execCommand fires an `input` event; the caller evaluates right after anyway.
    try {
      done = replacement === ''
        ? (start === end || document.execCommand('delete', false))
        : document.execCommand('insertText', false, replacement);
    } catch {
      done = false;
    }
  }
  if (!done || textarea.value !== expected) textarea.value = expected;
}

function rectsOf(el) {
  const rects = el.getClientRects();
  if (rects.length > 0 && rects[0].width > 0) return rects;
  // Zero-width marker: a small hit area around the caret mark.
  const r = el.getBoundingClientRect();
  return [new DOMRect(r.left - 5, r.top, 10, r.height + 6)];
}

function inside(r, x, y) {
  return x >= r.left && x <= r.right && y >= r.top && y <= r.bottom + 3;
}

/**
 * Builds the mirror's content: token-coloured text, wrapped in squiggle elements where
 * diagnostics apply, plus zero-width markers for empty spans.
 */
export function buildMirror(text, map, tokens, diagnostics) {
  const ranges = tokens.map((t) => ({ ...map.range(t.span), kind: t.kind }));
  const diags = diagnostics.map((d, index) => ({ ...map.range(d.span), d, index }));
  const wide = diags.filter((x) => x.end > x.start);
  const points = diags.filter((x) => x.end === x.start);

  const cuts = new Set([0, text.length]);
  for (const r of ranges) cuts.add(r.start).add(r.end);
  for (const r of wide) cuts.add(r.start).add(r.end);
  for (const r of points) cuts.add(r.start);
  const bounds = [...cuts].filter((n) => n >= 0 && n <= text.length).sort((a, b) => a - b);

  const fragment = document.createDocumentFragment();
  const marks = [];
  let current = null; // {el, key, diagnostics}
  let tokenIndex = 0;

  const closeSquiggle = () => {
    current = null;
  };
  const target = () => current?.el ?? fragment;

  for (let i = 0; i < bounds.length; i++) {
    const pos = bounds[i];
    // Zero-width diagnostics at this position (errors first).
    const here = points.filter((p) => p.start === pos);
    if (here.length > 0) {
      const severity = here.some((p) => p.d.severity === 'error') ? 'error' : 'warning';
      const el = h('span', {
        class: `squiggle squiggle--${severity} squiggle--point`,
        'data-testid': 'squiggle',
        dataset: { severity, diagnostics: here.map((p) => p.index).join(' ') },
      });
      // A point mark inside a wide squiggle closes it so both stay visible.
      closeSquiggle();
      fragment.append(el);
      marks.push({ el, diagnostics: here.map((p) => p.d), ranges: here });
    }
    const next = bounds[i + 1];
    if (next === undefined || next <= pos) continue;
    const covering = wide.filter((w) => w.start <= pos && w.end >= next);
    const key = covering.map((w) => w.index).join(' ');
    if (key === '') closeSquiggle();
    else if (!current || current.key !== key) {
      const severity = covering.some((w) => w.d.severity === 'error') ? 'error' : 'warning';
      const el = h('span', {
        class: `squiggle squiggle--${severity}`,
        'data-testid': 'squiggle',
        dataset: { severity, diagnostics: key },
      });
      fragment.append(el);
      current = { el, key };
      marks.push({ el, diagnostics: covering.map((w) => w.d), ranges: covering });
    }
    while (tokenIndex < ranges.length && ranges[tokenIndex].end <= pos) tokenIndex++;
    const token = ranges[tokenIndex];
    const piece = text.slice(pos, next);
    if (token && token.start <= pos && token.end >= next) {
      target().append(h('span', { class: `tok tok--${token.kind}` }, piece));
    } else {
      target().append(document.createTextNode(piece));
    }
  }
  // Keeps a trailing newline visible, as the textarea shows an empty last line.
  fragment.append(document.createTextNode('\u200b'));
  return { fragment, marks };
}
