// Formatting of cluster data for display, and stable colours for task groups.

/** The last `/`-separated segment of an ARN (the resource ID). */
export function shortId(arn) {
  const text = String(arn ?? '');
  const slash = text.lastIndexOf('/');
  return slash >= 0 ? text.slice(slash + 1) : text;
}

/** A long ID shortened for a small label: `0b6f0a1c…2b3c`. */
export function abbreviate(id, head = 8, tail = 4) {
  const text = String(id ?? '');
  return text.length > head + tail + 1 ? `${text.slice(0, head)}…${text.slice(-tail)}` : text;
}

/** 15038 → "15,038" (by hand: an Intl formatter costs ~20 ms to create at load). */
export function formatNumber(n) {
  if (!Number.isFinite(n)) return '—';
  const [whole, fraction] = String(n).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/** The instance's Availability Zone attribute, if any. */
export function zoneOf(instance) {
  return instance?.attributes?.['ecs.availability-zone'] ?? null;
}

/**
 * The name an instance is shown by: its container instance ID when short (`a1-micro`), else its
 * EC2 instance ID, else the abbreviated container instance ID. Takes a cluster view instance or a
 * scenario instance (both have `containerInstanceArn` and `ec2InstanceId`).
 */
export function displayName(instance) {
  const id = shortId(instance?.containerInstanceArn);
  if (id.length <= 14) return id;
  return instance?.ec2InstanceId || abbreviate(id);
}

// A qualitative palette readable on light and dark backgrounds (Tableau 10, grey swapped out:
// grey is kept for tasks the scenario has no details of).
const PALETTE = [
  '#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#b07aa1',
  '#76b7b2', '#edc948', '#ff9da7', '#9c755f', '#d37295', '#499894', '#8cd17d',
];

const assigned = new Map();
const taken = new Set();

function hash(text) {
  // FNV-1a, 32 bit.
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * The colour of a task group: a group keeps its colour for the whole session, and the same names
 * get the same colours on every load (preferred slot from a hash of the name, then the next free
 * one). Past the palette, a hue from the hash.
 */
export function groupColor(group) {
  const name = String(group ?? '');
  const known = assigned.get(name);
  if (known) return known;
  const h = hash(name);
  let color = null;
  for (let k = 0; k < PALETTE.length; k++) {
    const slot = (h + k) % PALETTE.length;
    if (!taken.has(slot)) {
      taken.add(slot);
      color = PALETTE[slot];
      break;
    }
  }
  color ??= `hsl(${h % 360} 55% 55%)`;
  assigned.set(name, color);
  return color;
}

/** Assigns colours to groups in a stable (sorted) order, so a page load is reproducible. */
export function assignGroupColors(groups) {
  for (const group of [...new Set(groups)].sort()) groupColor(group);
}

/** "1 instance", "3 instances". */
export function plural(n, one, many = `${one}s`) {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}
