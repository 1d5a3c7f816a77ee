import { parseDuration, formatDuration } from './parse-duration.js';
import { parseSize, formatBytes } from './parse-size.js';
import { hasCode } from '../errors/ops-error.js';
import { UsageError } from '../errors/usage-error.js';
import { checkIntegerOption, parseIntegerFlag, type IntegerRange } from './integer.js';

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

describe('parseIntegerFlag', () => {
  test.each<[string | undefined, IntegerRange, number | undefined]>([
    [undefined, {}, undefined],
    ['0', {}, 0],
    ['3', { min: 1 }, 3],
    ['100', { max: 100 }, 100],
  ])('%j %j -> %j', (value, range, n) => expect(parseIntegerFlag(value, '--n', range)).toBe(n));

  test.each<[string, IntegerRange, string]>([
    ['-1', {}, 'Expected `--retries` to be a non-negative integer, got "-1"'],
    ['x', {}, 'Expected `--retries` to be a non-negative integer, got "x"'],
    ['0', { min: 1 }, 'Expected `--retries` to be a positive integer, got "0"'],
    ['1e2', { min: 1 }, 'Expected `--retries` to be a positive integer, got "1e2"'],
    ['1', { min: 2 }, 'Expected `--retries` to be an integer >= 2, got "1"'],
    ['101', { max: 100 }, 'Expected `--retries` to be an integer from 0 to 100, got "101"'],
  ])('%j %j is a usage error', (value, range, message) => {
    expect(() => parseIntegerFlag(value, '--retries', range)).toThrow(UsageError);
    expect(() => parseIntegerFlag(value, '--retries', range)).toThrow(message);
  });
});

describe('checkIntegerOption', () => {
  test.each<[number, IntegerRange]>([[0, {}], [1, { min: 1 }], [65535, { min: 1, max: 65535 }]])('%d %j passes', (n, range) =>
    expect(checkIntegerOption(n, 'port', range)).toBe(n));

  test.each<[number, IntegerRange, string]>([
    [-1, {}, 'Expected `retries` to be a non-negative integer, got -1'],
    [1.5, {}, 'Expected `retries` to be a non-negative integer, got 1.5'],
    [Number.NaN, { min: 1 }, 'Expected `retries` to be a positive integer, got NaN'],
    [0, { min: 1 }, 'Expected `retries` to be a positive integer, got 0'],
    [1, { min: 4096 }, 'Expected `retries` to be an integer >= 4096, got 1'],
  ])('%d %j is a usage error', (n, range, message) => expect(() => checkIntegerOption(n, 'retries', range)).toThrow(message));
});
