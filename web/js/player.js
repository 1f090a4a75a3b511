// The placement stepper above the bins: First / Previous / Play-Pause / Next / Last, a scrubber,
// and one line about the current step. It owns the timer of the animation; the page redraws the
// bins and the explanation in `onChange`. With prefers-reduced-motion it never animates: `load`
// jumps to the last step.

import { h, icon, replaceChildren } from './dom.js';

export const STEP_MS = 360;

/**
 * @param {HTMLElement} el the (empty) container
 * @param {{onChange: (index: number) => void, onClose: () => void, describe: (index: number) => {title: string, detail: string}}} callbacks
 */
export function createPlayer(el, { onChange, onClose, describe }) {
  let count = 0;
  let index = -1;
  let timer = null;

  const button = (name, label, action, testid) => {
    const b = h('button', { type: 'button', class: 'icon-button player__button', 'aria-label': label, title: label, 'data-testid': testid },
      icon(name));
    b.addEventListener('click', action);
    return b;
  };
  const first = button('first', 'First task', () => go(0), 'player-first');
  const prev = button('prev', 'Previous task', () => go(index - 1), 'player-prev');
  const toggle = h('button', { type: 'button', class: 'button button--small player__toggle', 'data-testid': 'player-toggle' });
  toggle.addEventListener('click', () => (timer ? pause() : play()));
  const next = button('next', 'Next task', () => go(index + 1), 'player-next');
  const last = button('last', 'Last task', () => go(count - 1), 'player-last');
  const scrub = h('input', { type: 'range', class: 'player__scrub', min: '1', max: '1', value: '1', step: '1', 'aria-label': 'Placement step', 'data-testid': 'player-scrub' });
  scrub.addEventListener('input', () => go(Number(scrub.value) - 1));
  const position = h('span', { class: 'player__position', 'data-testid': 'player-position' });
  const title = h('span', { class: 'player__title' });
  const detail = h('span', { class: 'player__detail' });
  const status = h('p', { class: 'player__status', 'data-testid': 'player-status', 'aria-live': 'polite', 'aria-atomic': 'true' }, title, detail);
  const close = h('button', { type: 'button', class: 'icon-button player__close', 'aria-label': 'Close the placement view (show the cluster after the run)', title: 'Close the placement view', 'data-testid': 'player-close' }, icon('close'));
  close.addEventListener('click', () => {
    pause();
    onClose();
  });

  replaceChildren(el,
    h('div', { class: 'player__bar' },
      h('div', { class: 'player__controls', role: 'group', 'aria-label': 'Step through the placements' }, first, prev, toggle, next, last),
      position,
      scrub,
      close),
    status);

  // Arrow keys anywhere in the bar (the scrubber handles its own).
  el.addEventListener('keydown', (event) => {
    if (event.target === scrub || event.altKey || event.ctrlKey || event.metaKey) return;
    const moves = { ArrowLeft: index - 1, ArrowRight: index + 1, Home: 0, End: count - 1 };
    if (event.key in moves && event.target.closest('.player__controls')) {
      event.preventDefault();
      go(moves[event.key]);
    }
  });

  function reducedMotion() {
    return window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  }

  function sync() {
    el.hidden = count === 0;
    if (count === 0) return;
    scrub.max = String(count);
    scrub.value = String(index + 1);
    const { title: t, detail: d, short } = describe(index);
    scrub.setAttribute('aria-valuetext', short ?? t);
    position.textContent = `${index + 1} / ${count}`;
    title.textContent = t;
    detail.textContent = d ? ` · ${d}` : '';
    first.disabled = index <= 0;
    prev.disabled = index <= 0;
    next.disabled = index >= count - 1;
    last.disabled = index >= count - 1;
    const playing = Boolean(timer);
    replaceChildren(toggle, icon(playing ? 'pause' : 'play'), playing ? 'Pause' : index >= count - 1 ? 'Replay' : 'Play');
    toggle.setAttribute('aria-label', playing ? 'Pause' : index >= count - 1 ? 'Replay the placements' : 'Play');
    el.dataset.playing = String(playing);
    el.dataset.step = String(index + 1);
    // Announce steps only when the user moves; not every tick of the animation.
    status.setAttribute('aria-live', playing ? 'off' : 'polite');
  }

  function go(target, { fromTimer = false } = {}) {
    if (count === 0) return;
    const clamped = Math.max(0, Math.min(count - 1, target));
    if (!fromTimer) stopTimer();
    if (clamped === index) {
      sync();
      return;
    }
    index = clamped;
    sync();
    onChange(index);
  }

  function stopTimer() {
    if (timer) clearInterval(timer);
    timer = null;
  }

  function play() {
    if (count === 0) return;
    if (reducedMotion()) {
      go(count - 1);
      return;
    }
    stopTimer();
    if (index >= count - 1) go(0, { fromTimer: true });
    timer = setInterval(() => {
      if (index >= count - 1) {
        pause();
        return;
      }
      go(index + 1, { fromTimer: true });
      if (index >= count - 1) pause();
    }, STEP_MS);
    sync();
  }

  function pause() {
    stopTimer();
    sync();
  }

  return {
    /** Loads `n` steps and shows the first (animating) or the last (reduced motion, or `animate: false`). */
    load(n, { animate = true, start = null } = {}) {
      stopTimer();
      count = n;
      index = -1;
      if (n === 0) {
        sync();
        return;
      }
      const still = !animate || reducedMotion();
      go(start ?? (still ? n - 1 : 0), { fromTimer: true });
      if (!still && start === null && n > 1) play();
      else sync();
    },
    go,
    play,
    pause,
    clear() {
      stopTimer();
      count = 0;
      index = -1;
      sync();
    },
    get index() {
      return index;
    },
    get playing() {
      return Boolean(timer);
    },
  };
}
