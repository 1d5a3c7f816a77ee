import { messagesToChunk } from './message-chunk.js';

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
