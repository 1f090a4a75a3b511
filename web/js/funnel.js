// The placement funnel of the task on show: how many instances each stage keeps (ACTIVE →
// cluster checks → constraints → each strategy → chosen), as bars, with what decided in words.
// Focusing or hovering a row highlights the instances it keeps in the bins. An ARIA region named
// "Placement funnel".

import { h, replaceChildren, richText } from './dom.js';
import { plural } from './format.js';
import {
  SEMANTICS_URL, chainSource, decisionSentence, failureGroups, funnelRows, placeReasonText, stopReasonText, stopWhy,
  strategyLabel,
} from './placement-words.js';

/**
 * @param {HTMLElement} el the region (its heading is inside)
 * @param {{frame: object|null, stop: object|null, scheduler: object|null, events: Array, call: object|null,
 *   task: object|null, loading: boolean, error: string|null, position: object|null, chosenName: string,
 *   highlight: number|null, onHighlight: (stage: number|null) => void}} model
 *   `stop`: a task the service scheduler stopped (instead of a placed `frame`)
 */
export function renderFunnel(el, model) {
  const key = JSON.stringify([model.frame?.attempt, model.stop?.taskArn, model.position, Boolean(model.task), model.highlight, model.loading, model.error, model.chosenName, model.events?.length]);
  if (el.dataset.key === key && el.dataset.frame === frameKey(model.frame)) return;
  el.dataset.key = key;
  el.dataset.frame = frameKey(model.frame);
  if (model.stop) {
    renderStop(el, model);
    return;
  }
  if (!model.frame) {
    replaceChildren(el, heading(null), h('p', { class: 'funnel__empty' }, 'Run a command that places tasks to watch the funnel narrow, task by task.'));
    return;
  }
  const rows = funnelRows(model);
  const max = Math.max(1, rows[0].count);
  const failed = model.frame.decision?.kind === 'failed';
  const items = rows.map((row, index) => stageRow(row, index, max, model));
  items.push(chosenRow(model, rows.length, failed));
  replaceChildren(el,
    heading(model.position),
    model.scheduler ? h('p', { class: 'funnel__service', 'data-testid': 'funnel-service' },
      h('strong', {}, `Service ${model.scheduler.service}`), `: ${placeReasonText(model.scheduler.reason)}.`) : null,
    h('ol', { class: 'funnel__stages', 'data-testid': 'funnel-stages', style: { '--count-digits': String(countDigits(max)) } }, items),
    decision(model, failed),
    eventList(model.events),
    footnote(model));
}

/** A task the service scheduler stopped: why it, and why there. */
function renderStop(el, model) {
  const why = stopWhy(model.stop.why, model.chosenName);
  replaceChildren(el,
    h('div', { class: 'funnel__head' },
      h('h2', { class: 'funnel__title', id: 'funnel-title' }, 'Why this task stops'),
      h('span', { class: 'funnel__position', 'data-testid': 'funnel-position' }, `Stop ${model.position.task} of ${model.position.of}`)),
    h('p', { class: 'funnel__service', 'data-testid': 'funnel-service' },
      h('strong', {}, `Service ${model.scheduler.service}`), `: ${stopReasonText(model.scheduler.reason)}.`),
    h('p', { class: 'funnel__decision', 'data-testid': 'funnel-decision' }, why.headline),
    why.lines.length ? h('ul', { class: 'funnel__plain' }, why.lines.map((line) => h('li', {}, line))) : null,
    eventList(model.events),
    chosenAmongTasks(model.stop.why) ? scaleInFootnote() : null);
}

/** Whether the scheduler picked this task among several (scale-in, AZ rebalancing). */
function chosenAmongTasks(why) {
  return why?.kind === 'scaleIn' || why?.kind === 'rebalance';
}

/** Scale-in's choice is not documented in full: say what the playground does instead. */
function scaleInFootnote() {
  return h('p', { class: 'funnel__foot', 'data-testid': 'funnel-footnote' },
    'Which task a service stops when it scales in is not documented in full: the playground applies the service\u2019s strategies in reverse, then a seeded draw. ',
    h('a', { href: SEMANTICS_URL, target: '_blank', rel: 'noopener' }, 'How the playground decides where AWS is silent'));
}

/** How many digits the largest count has (at least 3): every row's count column is that wide. */
function countDigits(max) {
  return Math.max(3, String(max).length);
}

/** The service events (and playground notes) of the command so far, newest first. */
function eventList(events) {
  if (!events?.length) return null;
  const shown = [...events].reverse().slice(0, 4);
  return h('div', { class: 'funnel__events', 'data-testid': 'funnel-events' },
    h('h3', { class: 'funnel__events-title' }, 'Service events'),
    h('ul', {}, shown.map((e) => h('li', { class: e.kind === 'note' ? 'funnel__note-line' : '' },
      e.kind === 'note' ? `Note: ${e.message}` : e.event.message))));
}

function frameKey(frame) {
  return frame ? `${frame.attempt}:${frame.task?.taskArn ?? ''}` : '';
}

function heading(position) {
  return h('div', { class: 'funnel__head' },
    h('h2', { class: 'funnel__title', id: 'funnel-title' }, 'Placement funnel'),
    position ? h('span', { class: 'funnel__position', 'data-testid': 'funnel-position' }, `Task ${position.task} of ${position.of}`) : null);
}

function stageRow(row, index, max, model) {
  const active = model.highlight === index;
  const button = h('button', {
    type: 'button',
    class: 'funnel__row',
    'aria-pressed': String(active),
    'data-testid': 'funnel-stage',
    dataset: { stage: row.key, count: String(row.count) },
  },
  h('span', { class: 'funnel__bar', style: { '--share': `${((row.count / max) * 100).toFixed(1)}%` }, 'aria-hidden': 'true' }),
  h('span', { class: 'funnel__count' }, String(row.count)),
  h('span', { class: 'funnel__label' }, row.key.startsWith('strategy') ? h('code', {}, row.label) : row.label,
    h('span', { class: 'funnel__rule' }, row.rule),
    row.note ? h('span', { class: 'funnel__note' }, row.note) : null));
  highlightOnHover(button, index, model);
  button.addEventListener('click', () => model.onHighlight(active ? null : index));
  return h('li', { class: 'funnel__stage' }, button);
}

/** Hovering or focusing a row highlights the instances it keeps in the bins. */
function highlightOnHover(button, index, model) {
  button.addEventListener('mouseenter', () => model.onHighlight(index));
  button.addEventListener('mouseleave', () => model.onHighlight(null));
  button.addEventListener('focus', () => model.onHighlight(index));
  button.addEventListener('blur', () => model.onHighlight(null));
}

function chosenRow(model, index, failed) {
  const active = model.highlight === index;
  const button = h('button', {
    type: 'button',
    class: `funnel__row funnel__row--chosen${failed ? ' funnel__row--failed' : ''}`,
    'aria-pressed': String(active),
    'data-testid': 'funnel-stage',
    dataset: { stage: 'chosen', count: failed ? '0' : '1' },
  },
  h('span', { class: 'funnel__count' }, failed ? '0' : '1'),
  h('span', { class: 'funnel__label' }, failed ? 'not placed' : h('strong', {}, `chosen: ${model.chosenName}`)));
  highlightOnHover(button, index, model);
  return h('li', { class: 'funnel__stage' }, button);
}

function decision(model, failed) {
  const sentence = decisionSentence(model.frame.decision, model.chosenName);
  const parts = [h('p', { class: 'funnel__decision', 'data-testid': 'funnel-decision' }, sentence)];
  if (failed && model.task) {
    const groups = failureGroups(model.task);
    parts.push(h('p', { class: 'funnel__aws' }, 'AWS reports: ',
      groups.map((g, i) => [i ? ', ' : '', h('code', {}, g.reason), ` on ${plural(g.count, 'instance')}`])));
    parts.push(h('ul', { class: 'funnel__plain' },
      groups.map((g) => h('li', {}, `${g.summary} on ${plural(g.count, 'instance')} (e.g. ${g.example})`))));
  }
  if (model.loading) parts.push(h('p', { class: 'funnel__loading muted' }, 'Explaining this task…'));
  if (model.error) parts.push(h('p', { class: 'funnel__error' }, richText(`The explanation failed: ${model.error}`)));
  return h('div', { class: 'funnel__why', role: 'status', 'aria-live': 'polite' }, parts);
}

function footnote(model) {
  const source = chainSource(model.call?.strategySource);
  const chain = (model.call?.strategies ?? []).map(strategyLabel).join(' → ') || 'none';
  return h('p', { class: 'funnel__foot' },
    'Chain: ', h('code', {}, chain), '. ', source ? `${source} ` : '',
    'Ties are broken by a random draw from the scenario\u2019s seed, so a run replays exactly. ',
    h('a', { href: SEMANTICS_URL, target: '_blank', rel: 'noopener' }, 'How the playground decides where AWS is silent'));
}
