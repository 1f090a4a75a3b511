// The player above the bins: first / previous / play-pause / next / last, a scrubber over the
// run's tasks, the speed (0.25×–4×), Stop while commands run, and one line about the task on show.
// A view: it draws from the state and calls actions; the timer lives in the run actions.

import { h, icon, replaceChildren } from './dom.js';

export const SPEEDS = [0.25, 0.5, 1, 2, 4];

/**
 * @param {HTMLElement} el
 * @param {{go: (index: number) => void, stepBy: (delta: number) => void, play: () => void, pause: () => void, setSpeed: (s: number) => void,
 *   stop: () => void, close: () => void, start: () => void}} actions
 */
export function createPlayer(el, actions) {
  const button = (name, label, action, testid) => {
    const b = h('button', { type: 'button', class: 'icon-button player__button', 'aria-label': label, title: label, 'data-testid': testid }, icon(name));
    b.addEventListener('click', action);
    return b;
  };
  let index = -1;
  let count = 0;
  const first = button('first', 'First step', () => actions.go(0), 'player-first');
  const prev = button('prev', 'Previous step', () => actions.stepBy(-1), 'player-prev');
  const toggle = h('button', { type: 'button', class: 'button button--primary button--small player__toggle', 'data-testid': 'player-toggle' });
  const next = button('next', 'Next step', () => actions.stepBy(1), 'player-next');
  const last = button('last', 'Last step', () => actions.go(count - 1), 'player-last');
  const scrub = h('input', { type: 'range', class: 'player__scrub', min: '1', max: '1', value: '1', step: '1', 'aria-label': 'Step on show (a task placed or stopped)', 'data-testid': 'player-scrub' });
  scrub.addEventListener('input', () => actions.go(Number(scrub.value) - 1));
  const position = h('span', { class: 'player__position', 'data-testid': 'player-position' });
  const speed = h('select', { class: 'player__speed', 'aria-label': 'Speed', 'data-testid': 'player-speed' },
    SPEEDS.map((s) => h('option', { value: String(s) }, `${s}×`)));
  speed.addEventListener('change', () => actions.setSpeed(Number(speed.value)));
  const stop = h('button', { type: 'button', class: 'button button--small button--danger', 'data-testid': 'player-stop', hidden: true }, icon('close'), 'Stop');
  stop.addEventListener('click', actions.stop);
  const close = button('close', 'Close the player (show the cluster after the run)', actions.close, 'player-close');
  const status = h('p', { class: 'player__status', 'data-testid': 'player-status', 'aria-live': 'polite', 'aria-atomic': 'true' });
  const progress = h('progress', { class: 'player__progress', max: '1', value: '0', 'aria-label': 'Commands run', hidden: true, 'data-testid': 'player-progress' });
  toggle.addEventListener('click', () => {
    const mode = toggle.dataset.mode;
    if (mode === 'pause') actions.pause();
    else if (mode === 'start') actions.start();
    else actions.play();
  });
  el.addEventListener('keydown', (event) => {
    if (event.target === scrub || event.target === speed || event.altKey || event.ctrlKey || event.metaKey) return;
    const moves = { ArrowLeft: () => actions.stepBy(-1), ArrowRight: () => actions.stepBy(1), Home: () => actions.go(0), End: () => actions.go(count - 1) };
    if (event.key in moves && count > 0) {
      event.preventDefault();
      moves[event.key]();
    }
  });
  replaceChildren(el,
    h('div', { class: 'player__bar' },
      h('div', { class: 'player__controls', role: 'group', 'aria-label': 'Step through the placements' }, first, prev, toggle, next, last),
      position, scrub,
      h('label', { class: 'player__speed-label' }, h('span', { class: 'visually-hidden' }, 'Speed'), speed),
      stop, close),
    progress,
    status);

  /**
   * @param {{mode: 'idle'|'ready'|'running'|'steps', index: number, count: number, playing: boolean,
   *   speed: number, text: string, progress: {done: number, total: number}|null, canStart: boolean}} model
   */
  return function render(model) {
    index = model.index;
    count = model.count;
    el.dataset.mode = model.mode;
    el.dataset.step = String(model.index + 1);
    el.dataset.playing = String(model.playing);
    const stepping = model.mode === 'steps' && count > 0;
    for (const b of [first, prev]) b.disabled = !stepping || index <= 0;
    for (const b of [next, last]) b.disabled = !stepping || index >= count - 1;
    scrub.disabled = !stepping;
    scrub.max = String(Math.max(1, count));
    scrub.value = String(Math.max(1, index + 1));
    scrub.setAttribute('aria-valuetext', stepping ? `Task ${index + 1} of ${count}` : 'no tasks');
    position.textContent = stepping ? `${index + 1} / ${count}` : model.mode === 'running' ? 'running…' : '– / –';
    if (speed.value !== String(model.speed)) speed.value = String(model.speed);
    const mode = model.mode === 'running' ? 'busy' : model.playing ? 'pause' : stepping ? 'play' : 'start';
    toggle.dataset.mode = mode;
    toggle.disabled = mode === 'busy' || (mode === 'start' && !model.canStart);
    const label = { busy: 'Running…', pause: 'Pause', play: index >= count - 1 ? 'Replay' : 'Play', start: 'Play' }[mode];
    replaceChildren(toggle, icon(mode === 'pause' ? 'pause' : 'play'), label);
    toggle.setAttribute('aria-label', mode === 'start' ? 'Play: run the commands and watch each task placed' : label);
    stop.hidden = model.mode !== 'running';
    close.hidden = !stepping;
    progress.hidden = model.mode !== 'running' || !model.progress;
    if (model.progress) {
      progress.max = String(Math.max(1, model.progress.total));
      progress.value = String(model.progress.done);
    }
    if (status.textContent !== model.text) status.textContent = model.text;
    // Announce steps only when the user moves, not on every tick of playback.
    status.setAttribute('aria-live', model.playing ? 'off' : 'polite');
  };
}
