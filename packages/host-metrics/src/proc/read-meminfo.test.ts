import { expect, test } from '@jest/globals';
import { memoryFromMeminfo } from './read-meminfo.js';

const MEMINFO = `MemTotal:       16000000 kB
MemFree:         1000000 kB
MemAvailable:   12000000 kB
Buffers:          500000 kB
Cached:          9000000 kB
SwapCached:            0 kB
SwapTotal:       2000000 kB
SwapFree:        1500000 kB
HugePages_Total:       0
`;

test.each([
  ['totalBytes', 16_000_000 * 1024],
  ['availableBytes', 12_000_000 * 1024],
  ['freeBytes', 1_000_000 * 1024],
  ['buffersBytes', 500_000 * 1024],
  ['cachedBytes', 9_000_000 * 1024],
  ['swapTotalBytes', 2_000_000 * 1024],
  ['swapFreeBytes', 1_500_000 * 1024],
] as const)('%s from /proc/meminfo in bytes', (field, expected) => {
  expect(memoryFromMeminfo(MEMINFO)[field]).toBe(expected);
});

test('falls back to free + buffers + cached without MemAvailable (old kernels)', () => {
  const old = MEMINFO.replace(/^MemAvailable.*\n/m, '');
  expect(memoryFromMeminfo(old).availableBytes).toBe((1_000_000 + 500_000 + 9_000_000) * 1024);
});

test('fails without MemTotal', () => {
  expect(() => memoryFromMeminfo('MemFree: 1 kB\n')).toThrow(/MemTotal/);
});
