import { describe, expect, test } from '@jest/globals';
import { createTarHeaderEncoder, encodeTarHeader, encodeUstarHeader, type TarHeader } from './tar-header.js';

/** A small deterministic generator (mulberry32): the same headers on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CHARS = 'abcXYZ019._-/ +=@~';

function generated(count: number, seed: number): TarHeader[] {
  const rnd = random(seed);
  const int = (max: number) => Math.floor(rnd() * max);
  const name = (max: number) => Array.from({ length: 1 + int(max) }, () => CHARS[int(CHARS.length)]).join('');
  const headers: TarHeader[] = [];
  for (let i = 0; i < count; i++) {
    const type = (['file', 'directory', 'symlink'] as const)[int(3)]!;
    const mtime = new Date([0, 1, 999, 1_700_000_000_123, (8 ** 11 - 2) * 1000, Date.now()][int(6)]! + int(1000));
    const size = type === 'file' ? [0, 1, 511, 512, 513, 8 ** 11 - 1, int(1 << 30)][int(7)]! : 0;
    headers.push({ name: `${name(99)}${type === 'directory' ? '/' : ''}`.slice(-99), type, mode: int(0o10000) | [0, 0o100000, 0o40000][int(3)]!, size, mtime, ...(type === 'symlink' ? { linkname: name(100).slice(0, 100) } : {}) });
  }
  return headers;
}

describe('tar headers', () => {
  test('the ustar fast path writes node-tar\'s bytes for 5,000 generated entries (names up to 99 bytes, links up to 100, sizes and times up to 11 octal digits)', async () => {
    const nodeTar = await createTarHeaderEncoder();
    const headers = generated(5000, 20);
    for (const header of headers) {
      const fast = encodeUstarHeader(header);
      expect(fast).toBeDefined();
      expect(fast!.equals(nodeTar(header))).toBe(true);
    }
  });

  test('entries that need a PAX record are left to node-tar, which writes it', async () => {
    const nodeTar = await createTarHeaderEncoder();
    const mtime = new Date(1_700_000_000_000);
    const needPax: TarHeader[] = [
      { name: 'n'.repeat(100), type: 'file', mode: 0o644, size: 1, mtime },
      { name: `${'d'.repeat(90)}/${'e'.repeat(90)}.txt`, type: 'file', mode: 0o644, size: 1, mtime },
      { name: 'caf\u00e9.txt', type: 'file', mode: 0o644, size: 1, mtime },
      { name: 'link', type: 'symlink', mode: 0o777, size: 0, mtime, linkname: 't'.repeat(101) },
      { name: 'link', type: 'symlink', mode: 0o777, size: 0, mtime, linkname: '\u00e9' },
      { name: 'big', type: 'file', mode: 0o644, size: 8 ** 11, mtime },
      { name: 'old', type: 'file', mode: 0o644, size: 1, mtime: new Date(-1000) },
      { name: 'far', type: 'file', mode: 0o644, size: 1, mtime: new Date(8 ** 11 * 1000) },
    ];
    for (const header of needPax) {
      expect(encodeUstarHeader(header)).toBeUndefined();
      expect((await encodeTarHeader(header)).equals(nodeTar(header))).toBe(true);
    }
    // A name that needs PAX gets the record before its ustar block.
    expect((await encodeTarHeader(needPax[2]!)).length).toBeGreaterThan(512);
  });
});
