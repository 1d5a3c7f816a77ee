import { expect, test } from '@jest/globals';
import { watchCooldown } from './top.js';

test('while watching, the breaker cools down just before the next refresh (never after it)', () => {
  expect(watchCooldown(300)).toBe(270);
  expect(watchCooldown(5_000)).toBe(4_900);
  expect(watchCooldown(60_000)).toBe(59_900);
  for (const interval of [1, 10, 300, 999, 5_000]) {
    expect(watchCooldown(interval)).toBeLessThan(interval);
    expect(watchCooldown(interval)).toBeGreaterThanOrEqual(interval * 0.9);
  }
});
