import { batchToChunk, messagesToChunk } from './message-chunk.js';

const enc = (s: string) => Buffer.from(s);

describe('messagesToChunk', () => {
  test.each([
    [['a'], 'a\n'],
    [['a\n'], 'a\n'],
    [['a', 'b'], 'a\nb\n'],
    [['line 1\nline 2', 'line 3\n'], 'line 1\nline 2\nline 3\n'],
    [['a\r\n', 'b'], 'a\r\nb\n'],
    [['', 'x'], 'x\n'],
    [[null, 'x', undefined], 'x\n'],
    [[], ''],
  ])('%j -> %j', (values, expected) => {
    const chunk = messagesToChunk(values.map((v) => (typeof v === 'string' ? enc(v) : v)));
    expect(Buffer.from(chunk).toString()).toBe(expected);
  });
});

describe('batchToChunk', () => {
  const batch = [5, 6, 7, 9].map((o) => ({ offset: String(o), value: enc(`m${o}`) }));
  test.each([
    [0, Infinity, 'm5\nm6\nm7\nm9\n', 10],
    [6, Infinity, 'm6\nm7\nm9\n', 10],
    [0, 8, 'm5\nm6\nm7\n', 8],
    [7, 9, 'm7\n', 8],
  ])('from %d to %d', (from, end, text, next) => {
    const out = batchToChunk(batch, from, end);
    expect(Buffer.from(out!.chunk).toString()).toBe(text);
    expect(out!.next).toBe(next);
  });
  test.each([
    [10, Infinity],
    [0, 5],
  ])('from %d to %d takes nothing', (from, end) => {
    expect(batchToChunk(batch, from, end)).toBeUndefined();
  });
});
