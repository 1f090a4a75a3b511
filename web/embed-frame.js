// embed.html: one <ecs-placement-playground> filling the frame, configured from the query string
// (the same keys as the main page's share links), and the frame's height posted to its parent.

import './embed.js';

const params = new URLSearchParams(location.search);
const element = document.createElement('ecs-placement-playground');
const attributes = { usecase: 'usecase', preset: 'preset', expr: 'expression', view: 'view', step: 'step', theme: 'theme', seed: 'seed' };
for (const [key, attribute] of Object.entries(attributes)) {
  if (params.has(key)) element.setAttribute(attribute, params.get(key));
}
if (params.has('autoplay') && params.get('autoplay') !== '0') element.setAttribute('autoplay', '');
if (params.has('cmd')) element.textContent = params.get('cmd');
document.getElementById('frame').append(element);

let last = 0;
new ResizeObserver(() => {
  const height = Math.ceil(document.documentElement.scrollHeight);
  if (height === last || window.parent === window) return;
  last = height;
  window.parent.postMessage({ type: 'ecs-placement-playground:height', height }, '*');
}).observe(document.body);
