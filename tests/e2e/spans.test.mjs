// Unit tests of web/js/spans.js: UTF-8 byte spans (from the wasm core) to UTF-16 string indices.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpanMap, applyReplacement, spanMapFor } from '../../web/js/spans.js';

const encoder = new TextEncoder();
const bytes = (s) => encoder.encode(s).length;

test('ASCII offsets are identical', () => {
  const map = new SpanMap('attribute:color == blue');
  assert.equal(map.byteLength, 23);
  for (let i = 0; i <= 23; i++) assert.equal(map.toUtf16(i), i);
  assert.equal(map.slice({ start: 10, end: 15 }), 'color');
});

test('non-ASCII: 2-, 3- and 4-byte characters (astral = surrogate pair)', () => {
  const text = 'attribute:café == "naïve🙂" and x == €';
  const map = new SpanMap(text);
  assert.equal(map.byteLength, bytes(text));
  // `café` is bytes 10..15 (é is 2 bytes) and UTF-16 10..14.
  assert.deepEqual(map.range({ start: 10, end: 15 }), { start: 10, end: 14 });
  assert.equal(map.slice({ start: 10, end: 15 }), 'café');
  // The string token, bytes 19..31.
  const quoted = '"naïve🙂"';
  const qStart = bytes('attribute:café == ');
  assert.equal(map.slice({ start: qStart, end: qStart + bytes(quoted) }), quoted);
  // The emoji alone: 4 bytes, 2 UTF-16 units.
  const emojiByte = bytes('attribute:café == "naïve');
  assert.deepEqual(map.range({ start: emojiByte, end: emojiByte + 4 }), {
    start: text.indexOf('🙂'),
    end: text.indexOf('🙂') + 2,
  });
  // The end of the text, and a zero-width span there.
  assert.equal(map.toUtf16(map.byteLength), text.length);
  assert.deepEqual(map.range({ start: map.byteLength, end: map.byteLength }), {
    start: text.length,
    end: text.length,
  });
  assert.equal(map.slice({ start: map.byteLength - 3, end: map.byteLength }), '€');
});

test('every code point boundary agrees with TextEncoder', () => {
  const text = 'aé€🙂ß😀z\u0301\n中文';
  const map = new SpanMap(text);
  for (let i = 0; i <= text.length; i++) {
    const inPair = i > 0 && i < text.length && /[\udc00-\udfff]/.test(text[i]) && /[\ud800-\udbff]/.test(text[i - 1]);
    if (inPair) continue;
    const b = bytes(text.slice(0, i));
    assert.equal(map.toUtf16(b), i, `byte ${b}`);
    assert.equal(map.toByte(i), b, `index ${i}`);
  }
});

test('offsets inside a character never split it; out-of-range offsets clamp', () => {
  const text = 'x🙂y';
  const map = new SpanMap(text);
  assert.deepEqual(map.range({ start: 2, end: 3 }), { start: 1, end: 3 });
  assert.equal(map.slice({ start: 2, end: 3 }), '🙂');
  assert.deepEqual(map.range({ start: 99, end: 120 }), { start: 4, end: 4 });
  assert.deepEqual(map.range({ start: -5, end: 1 }), { start: 0, end: 1 });
  assert.deepEqual(map.range({ start: 5, end: 2 }), { start: 3, end: 3 });
});

test('lone surrogates count as U+FFFD (3 bytes), as wasm-bindgen sends them', () => {
  const text = 'a\ud800b';
  const map = new SpanMap(text);
  assert.equal(map.byteLength, bytes(text));
  assert.equal(map.slice({ start: 4, end: 5 }), 'b');
});

test('applyReplacement converts the byte span of a suggestion', () => {
  const fixed = applyReplacement('attribute:café = x', { span: { start: 16, end: 17 }, replacement: '==' });
  assert.equal(fixed.text, 'attribute:café == x');
  assert.deepEqual([fixed.start, fixed.end], [15, 17]);
  const inserted = applyReplacement('(a == 🙂', { span: { start: 10, end: 10 }, replacement: ')' });
  assert.equal(inserted.text, '(a == 🙂)');
});

test('spanMapFor caches by text', () => {
  const a = spanMapFor('abc');
  assert.equal(spanMapFor('abc'), a);
  assert.notEqual(spanMapFor('abd'), a);
});
