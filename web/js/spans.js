// Spans from the wasm core are UTF-8 byte offsets; JavaScript strings are indexed in UTF-16
// code units. Everything that slices or highlights source text goes through this module.

/** UTF-8 length of one code point (lone surrogates are sent to wasm as U+FFFD: 3 bytes). */
function utf8Length(codePoint) {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  if (codePoint < 0x10000) return 3;
  return 4;
}

/**
 * Maps the UTF-8 byte offsets of one string to UTF-16 indices (and back).
 *
 * Offsets that fall inside a multi-byte character map to the start of that character for a
 * span's start and to its end for a span's end, so a span never cuts a character in half.
 */
export class SpanMap {
  /** @param {string} text */
  constructor(text) {
    this.text = text;
    let bytes = 0;
    for (let i = 0; i < text.length; ) {
      const cp = text.codePointAt(i);
      bytes += utf8Length(cp);
      i += cp > 0xffff ? 2 : 1;
    }
    /** Total UTF-8 length of the text. */
    this.byteLength = bytes;
    // floor[b]: UTF-16 index of the character containing byte b (or starting at b).
    this.floor = new Uint32Array(bytes + 1);
    // boundary[b] = 1 when byte b starts a character (or is the end of the text).
    this.boundary = new Uint8Array(bytes + 1);
    // byteAt[u]: byte offset of UTF-16 index u (the second half of a pair maps to the pair).
    this.byteAt = new Uint32Array(text.length + 1);
    let b = 0;
    for (let i = 0; i < text.length; ) {
      const cp = text.codePointAt(i);
      const len = utf8Length(cp);
      const units = cp > 0xffff ? 2 : 1;
      this.boundary[b] = 1;
      for (let k = 0; k < len; k++) this.floor[b + k] = i;
      for (let k = 0; k < units; k++) this.byteAt[i + k] = b;
      b += len;
      i += units;
    }
    this.floor[bytes] = text.length;
    this.boundary[bytes] = 1;
    this.byteAt[text.length] = bytes;
  }

  /** UTF-16 index of a byte offset, rounding down inside a character; clamped to the text. */
  toUtf16(byteOffset) {
    const b = clamp(byteOffset, 0, this.byteLength);
    return this.floor[b];
  }

  /** UTF-16 index of a byte offset, rounding up inside a character; clamped to the text. */
  toUtf16Ceil(byteOffset) {
    let b = clamp(byteOffset, 0, this.byteLength);
    while (!this.boundary[b]) b += 1;
    return this.floor[b];
  }

  /** Byte offset of a UTF-16 index (e.g. a caret position). */
  toByte(utf16Index) {
    return this.byteAt[clamp(utf16Index, 0, this.text.length)];
  }

  /**
   * A `{start, end}` byte span as a UTF-16 range `{start, end}` (start <= end, inside the text).
   * @param {{start: number, end: number}} span
   */
  range(span) {
    const start = this.toUtf16(span?.start ?? 0);
    const end = Math.max(start, this.toUtf16Ceil(span?.end ?? span?.start ?? 0));
    return { start, end };
  }

  /** The text a byte span covers. */
  slice(span) {
    const { start, end } = this.range(span);
    return this.text.slice(start, end);
  }
}

function clamp(n, lo, hi) {
  const x = Number.isFinite(n) ? Math.trunc(n) : lo;
  return x < lo ? lo : x > hi ? hi : x;
}

let cached = null;

/** A SpanMap for `text`, reusing the last one when the text is the same. */
export function spanMapFor(text) {
  if (!cached || cached.text !== text) cached = new SpanMap(text);
  return cached;
}

/**
 * Applies a suggestion (`{span, replacement}` in bytes) to `text`; returns the new text and the
 * UTF-16 range of the inserted replacement.
 */
export function applyReplacement(text, suggestion) {
  const { start, end } = new SpanMap(text).range(suggestion.span);
  const replacement = String(suggestion.replacement ?? '');
  return {
    text: text.slice(0, start) + replacement + text.slice(end),
    start,
    end: start + replacement.length,
    removedStart: start,
    removedEnd: end,
  };
}
