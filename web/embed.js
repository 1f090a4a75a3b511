// The script-tag embed: `<script type="module" src="…/embed.js"></script>` defines the element
// `<ecs-placement-playground>`. Each element is a whole playground in its own shadow root (the
// host page's CSS cannot reach it, and it cannot reach the host's), loaded when it scrolls into
// view. Elements on one page share the engine's compiled module and each has its own worker, so
// they never affect each other. A failure shows a message in the element, never a blank box.
//
// Attributes: `usecase`, `preset`, `expression`, `view` (`run` or `query`), `autoplay`, `seed`,
// `step`, `height` (a CSS length), `theme` (`light` or `dark`). The element's text, when present,
// is the commands to run (an `aws ecs …` script, as a docs page shows them).

import { createEngine } from './js/engine.js';
import { mountPlayground, nextFrame } from './js/playground.js';
import { consoleRun } from './js/share-link.js';
import { createStatus } from './js/status.js';

const BASE = new URL('./', import.meta.url);
let markup = null;

/** The playground's markup, taken once from index.html (one copy of the page's structure). */
function loadMarkup() {
  markup ??= fetch(new URL('index.html', BASE))
    .then((response) => {
      if (!response.ok) throw new Error(`cannot load ${response.url}: HTTP ${response.status}`);
      return response.text();
    })
    .then((text) => new DOMParser().parseFromString(text, 'text/html'))
    .catch((error) => {
      markup = null;
      throw error;
    });
  return markup;
}

/** The parts of index.html an embed shows. */
const PARTS = ['#status-area', 'main', '#squiggle-tooltip', '#cluster-dialog'];

export class PlaygroundElement extends HTMLElement {
  static observedAttributes = ['height'];

  connectedCallback() {
    if (this.shadowRoot) return;
    const root = this.attachShadow({ mode: 'open' });
    root.innerHTML = `<link rel="stylesheet" href="${new URL('style.css', BASE)}"><link rel="stylesheet" href="${new URL('embed.css', BASE)}">`
      + '<div class="embed-loading" part="loading">Loading the ECS Placement Playground…</div>';
    this.applyHeight();
    this.visible = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        this.visible.disconnect();
        this.load();
      }
    }, { rootMargin: '300px' });
    this.visible.observe(this);
  }

  disconnectedCallback() {
    this.visible?.disconnect();
    this.playground?.engine.dispose();
  }

  attributeChangedCallback() {
    this.applyHeight();
  }

  applyHeight() {
    const height = this.getAttribute('height');
    this.style.setProperty('--embed-height', height || 'auto');
  }

  /** What the element asks for, as the playground's first state (the form a share link decodes to). */
  initialState() {
    const commands = this.textContent.trim();
    const step = this.hasAttribute('step') ? Number(this.getAttribute('step')) : null;
    const seed = this.hasAttribute('seed') ? Number(this.getAttribute('seed')) : null;
    const journal = [];
    if (Number.isSafeInteger(seed) && seed >= 0) journal.push({ type: 'seed', seed });
    const runs = step !== null && Number.isInteger(step) && step >= 0;
    if (runs) journal.push(consoleRun(this.getAttribute('usecase')));
    return {
      usecase: this.getAttribute('usecase'),
      preset: this.getAttribute('preset'),
      expr: this.getAttribute('expression'),
      console: commands || null,
      tab: this.getAttribute('view') === 'query' ? 'query' : 'run',
      journal,
      step: runs ? step : null,
      base: null,
      instance: null,
    };
  }

  async load() {
    const root = this.shadowRoot;
    try {
      const doc = await loadMarkup();
      const frame = document.createElement('div');
      frame.className = 'embed';
      frame.dataset.view = this.getAttribute('view') === 'query' ? 'query' : 'run';
      for (const selector of PARTS) {
        const part = doc.querySelector(selector);
        if (part) frame.append(document.importNode(part, true));
      }
      const open = document.createElement('a');
      open.className = 'embed-open';
      open.target = '_blank';
      open.rel = 'noopener';
      open.textContent = 'Open in the playground ↗';
      open.dataset.testid = 'embed-open';
      frame.append(open);
      root.querySelector('.embed-loading')?.remove();
      root.append(frame);
      const status = createStatus(root.getElementById('status-area'));
      const engine = await createEngine({ onCrash: (crash) => status.show('engine', 'error', crash.message) });
      let linking = null;
      this.playground = await mountPlayground({
        root, engine, status, mode: 'embed', initial: this.initialState(),
        onRender: () => {
          linking ??= nextFrame().then(async () => {
            linking = null;
            open.href = await this.playground?.link.playgroundUrl() ?? new URL('index.html', BASE).href;
          });
        },
      });
      open.href = await this.playground.link.playgroundUrl();
      if (this.hasAttribute('autoplay')) this.autoplay();
      this.dataset.ready = 'true';
      this.dispatchEvent(new CustomEvent('playground-ready', { bubbles: true, composed: true }));
    } catch (error) {
      this.fail(error);
    }
  }

  /** Plays the commands: the run on show, or the element's commands run first. */
  autoplay() {
    const { store, runs } = this.playground;
    const state = store.get();
    if (state.run?.status === 'done') runs.play();
    else if (state.console.trim()) runs.run(state.console, { usecase: state.usecase });
  }

  fail(error) {
    const root = this.shadowRoot;
    root.replaceChildren(...root.querySelectorAll('link'));
    const box = document.createElement('div');
    box.className = 'embed-failed';
    box.setAttribute('role', 'alert');
    box.dataset.testid = 'embed-failed';
    box.textContent = `The ECS Placement Playground could not start here: ${error?.message ?? error}`;
    root.append(box);
    this.dataset.ready = 'failed';
  }
}

if (!customElements.get('ecs-placement-playground')) customElements.define('ecs-placement-playground', PlaygroundElement);
