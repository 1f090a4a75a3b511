// The results of a run in the console: one entry per command with the command as run, its
// warnings (rendered CQL diagnostics keep their carets: <pre>), a one-line summary, the AWS CLI
// error text of a failed command, and the AWS JSON response (collapsible).

import { h, icon, replaceChildren, richText } from './dom.js';
import { plural } from './format.js';
import { formatCommand, summarizeReport } from './report-text.js';

const rendered = new WeakMap();

/**
 * @param {HTMLOListElement} list
 * @param {object|null} run the run in the state: `{status, timeline?, error?, undone?}`
 * @param {{onShowPlacements: (reportIndex: number) => void, onUseAsQuery: (expression: string) => void}} actions
 */
export function renderResults(list, run, actions) {
  const key = run ? `${run.id}|${run.status}|${Boolean(run.undone)}` : '';
  if (rendered.get(list) === key) return;
  rendered.set(list, key);
  renderList(list, run ? { reports: run.timeline?.commands.map((c) => c.report) ?? [], after: run.timeline?.end.scenario, timeline: run.timeline, undone: run.undone, failure: run.status === 'failed' ? run.error : null } : null, actions);
}

function renderList(list, run, { onShowPlacements, onUseAsQuery }) {
  if (!run || (!run.failure && !run.timeline)) {
    replaceChildren(list);
    list.dataset.state = 'empty';
    return;
  }
  list.dataset.state = run.undone ? 'undone' : 'current';
  if (run.failure) {
    replaceChildren(list, h('li', { class: 'result result--error', 'data-testid': 'command-result', dataset: { status: 'error' } },
      h('div', { class: 'result__head' },
        h('span', { class: 'result__status' }, icon('error'), h('span', { class: 'visually-hidden' }, 'Failed: ')),
        h('span', { class: 'result__op' }, 'The commands could not be read')),
      h('pre', { class: 'result__error', 'data-testid': 'result-error' }, run.failure)));
    return;
  }
  const withSteps = new Set(run.timeline?.commands.filter((c) => c.steps.length > 0).map((c) => c.index) ?? []);
  replaceChildren(list, run.reports.map((report, index) => {
    const failed = Boolean(report.error);
    const summary = failed ? null : summarizeReport(report, run.after);
    const showPlacements = withSteps.has(index) && !run.undone
      ? h('button', { type: 'button', class: 'button button--small result__show', 'data-testid': 'show-placements' }, icon('play'), 'Replay placements')
      : null;
    showPlacements?.addEventListener('click', () => onShowPlacements(index));
    const useAsQuery = !failed && report.explanation?.type === 'filter' && report.explanation.expression
      ? h('button', { type: 'button', class: 'button button--small', 'data-testid': 'use-as-query' }, 'Use as cluster query')
      : null;
    useAsQuery?.addEventListener('click', () => onUseAsQuery(report.explanation.expression));
    const warnings = report.warnings ?? [];
    return h('li', {
      class: `result result--${failed ? 'error' : 'ok'}`,
      'data-testid': 'command-result',
      dataset: { status: failed ? 'error' : 'ok', operation: report.operation ?? '', line: String(report.line ?? '') },
    },
    h('div', { class: 'result__head' },
      h('span', { class: 'result__status' }, icon(failed ? 'error' : 'check'),
        h('span', { class: 'visually-hidden' }, failed ? 'Failed: ' : 'Succeeded: ')),
      h('span', { class: 'result__op' }, report.operation ?? 'aws'),
      h('span', { class: 'result__line' }, `line ${report.line}`),
      failed && report.error.exitCode !== undefined ? h('span', { class: 'result__exit', title: 'The exit code of the AWS CLI' }, `exit ${report.error.exitCode}`) : null,
      h('span', { class: 'result__actions' }, useAsQuery, showPlacements)),
    report.words?.length
      ? h('pre', { class: 'result__command', 'data-testid': 'result-command' }, h('span', { class: 'result__prompt', 'aria-hidden': 'true' }, '$ '), formatCommand(report.words))
      : null,
    summary ? h('p', { class: 'result__summary', 'data-testid': 'result-summary' }, summary) : null,
    warnings.length ? h('div', { class: 'result__warnings' }, warnings.map((w) => warning(w))) : null,
    typeof report.output === 'string' && !(failed && report.output === '') ? outputBlock(report.output) : null,
    failed ? h('pre', { class: 'result__error', 'data-testid': 'result-error' }, report.error.text) : null,
    report.response !== undefined && report.response !== null ? responseDetails(report.response) : null);
  }));
}

/**
 * What the AWS CLI prints for `--query` / `--output text|table`: the text as it is (tabs and
 * box drawing), scrollable sideways instead of wrapped so that tables keep their shape.
 */
function outputBlock(text) {
  return h('pre', { class: 'result__output', 'data-testid': 'result-output', tabindex: '0', 'aria-label': 'Output as the AWS CLI prints it' },
    text === '' ? h('span', { class: 'muted' }, '(no output)') : text);
}

/** The response, pretty-printed with the AWS CLI's 4-space indentation when first opened (responses can be large). */
function responseDetails(response) {
  const pre = h('pre', { class: 'result__json', 'data-testid': 'result-json', tabindex: '0' });
  const details = h('details', { class: 'result__response' }, h('summary', {}, 'Response JSON'), pre);
  details.addEventListener('toggle', () => {
    if (details.open && !pre.textContent) pre.textContent = JSON.stringify(response, null, 4);
  });
  return details;
}

function warning(text) {
  const multiline = String(text).includes('\n');
  return h('div', { class: 'result__warning', 'data-testid': 'result-warning' },
    icon('warning'),
    multiline
      ? h('pre', { class: 'result__warning-text', tabindex: '0' }, text)
      : h('p', { class: 'result__warning-text' }, richText(text)));
}

/** The line under the Results title: "3 commands: 2 succeeded, 1 failed · seed 2016". */
export function runStatusText(run) {
  if (!run) return 'No commands run yet.';
  if (run.status === 'running') return run.progress ? `Running: ${run.progress.done} of ${run.progress.total} commands done…` : 'Running…';
  if (run.status === 'stopped') return 'Stopped: the cluster is as it was before the run.';
  if (run.status === 'failed') return 'Nothing ran: the commands could not be read. The cluster is unchanged.';
  const reports = run.timeline.commands.map((c) => c.report);
  if (reports.length === 0) return 'The text has no command to run.';
  const failed = reports.filter((r) => r.error).length;
  const ok = reports.length - failed;
  const detail = [];
  if (ok) detail.push(`${ok} succeeded`);
  if (failed) detail.push(`${failed} failed`);
  let text = `${plural(reports.length, 'command')}: ${detail.join(', ')} · seed ${run.timeline.seed}`;
  if (run.undone) text += ' · undone: the cluster is back to how it was before this run';
  return text;
}

/** What a screen reader hears after a run: the status, then each command's outcome (shortened). */
export function runAnnouncement(run) {
  if (!run || run.status === 'running') return '';
  if (run.status !== 'done') return `${runStatusText(run)}${run.error ? ` ${run.error}` : ''}`;
  const after = run.timeline.end.scenario;
  const outcomes = run.timeline.commands.map(({ report: r }) => `${r.operation ?? 'Command'} on line ${r.line}: ${r.error ? r.error.text : summarizeReport(r, after)}`);
  const text = [runStatusText(run), ...outcomes].join('. ');
  return text.length > 600 ? `${text.slice(0, 597)}…` : text;
}
