import { backoffDelay, type Jitter } from './backoff.js';

const base = { minDelayMs: 100, maxDelayMs: 1000, factor: 2, previousDelayMs: 100 };

describe('backoffDelay', () => {
  test.each<[Jitter, number, number, number, number]>([
    // jitter, attempt, random, previous, expected
    ['none', 1, 0.5, 100, 100],
    ['none', 2, 0.5, 100, 200],
    ['none', 3, 0.5, 100, 400],
    ['none', 4, 0.5, 100, 800],
    ['none', 5, 0.5, 100, 1000], // capped by maxDelay
    ['none', 40, 0.5, 100, 1000],
    ['full', 1, 0, 100, 0],
    ['full', 3, 0.5, 100, 200],
    ['full', 3, 0.999, 100, 400],
    ['full', 9, 0.25, 100, 250], // 0.25 * min(1000, 25600)
    ['equal', 1, 0, 100, 50],
    ['equal', 3, 0.5, 100, 300], // 200 + 0.5 * 200
    ['equal', 3, 0.999, 100, 400],
    ['decorrelated', 1, 0, 100, 100],
    ['decorrelated', 1, 0.5, 100, 200], // 100 + 0.5 * (300 - 100)
    ['decorrelated', 2, 0.5, 200, 350], // 100 + 0.5 * (600 - 100)
    ['decorrelated', 3, 1, 900, 1000], // capped
  ])('%s attempt %i random %f previous %i -> %i', (jitter, attempt, r, previousDelayMs, expected) => {
    expect(backoffDelay({ ...base, jitter, attempt, previousDelayMs, random: () => r })).toBe(expected);
  });

  test('factor 1 keeps a constant delay', () => {
    const delays = [1, 2, 3, 4].map((attempt) => backoffDelay({ ...base, factor: 1, jitter: 'none', attempt, random: Math.random }));
    expect(delays).toEqual([100, 100, 100, 100]);
  });
});
