import { parseDuration, formatDuration } from './parse-duration.js';
import { parseSize, formatBytes } from './parse-size.js';
import { hasCode } from '../errors/ops-error.js';

describe('parseDuration', () => {
  test.each([
    ['500ms', 500], ['1.5s', 1500], ['2m', 120_000], ['1h30m', 5_400_000], ['1d', 86_400_000], ['0', 0], [' 5s ', 5000], [250, 250],
  ])('%s -> %d', (input, ms) => expect(parseDuration(input)).toBe(ms));

  test.each(['5', '', 'abc', '5 s', '-1s', '5sec', '1s2x'])('rejects %j with a usage error', (input) => {
    expect(() => parseDuration(input, { name: 'timeout' })).toThrow(/`timeout`/);
    try { parseDuration(input); } catch (e) { expect(hasCode(e, 'USAGE')).toBe(true); }
  });

  test('bare numbers with a default unit', () => {
    expect(parseDuration('5', { defaultUnit: 's' })).toBe(5000);
    expect(parseDuration('5', { defaultUnit: 'ms' })).toBe(5);
  });

  test.each([[500, '500ms'], [1500, '1.5s'], [90_000, '1m30s'], [120_000, '2m']])('formatDuration(%d) = %s', (ms, text) =>
    expect(formatDuration(ms)).toBe(text));
});

describe('parseSize', () => {
  test.each([
    ['16MiB', 16 * 1024 ** 2], ['1.5GB', 1.5e9], ['512k', 524_288], ['4096', 4096], ['10 MiB', 10 * 1024 ** 2], ['1KB', 1000], [2048, 2048],
  ])('%s -> %d', (input, bytes) => expect(parseSize(input)).toBe(bytes));

  test.each(['', 'MiB', '-5', '5XB', 'lots'])('rejects %j naming the option', (input) => {
    expect(() => parseSize(input, 'max-size')).toThrow(/`max-size`/);
  });

  test.each([[512, '512 B'], [1536, '1.50 KiB'], [16 * 1024 ** 2, '16.0 MiB']])('formatBytes(%d) = %s', (n, text) =>
    expect(formatBytes(n)).toBe(text));
});
