import { expect, test } from '@jest/globals';
import { resolveCollectorOptions } from './collector-options.js';

test.each([
  [{}, { intervalMs: 5000, timeoutMs: 2000, disk: false, network: false, processMetrics: true, procRoot: '/proc' }],
  [{ interval: '1s' }, { intervalMs: 1000, timeoutMs: 1000 }],
  [{ interval: 250, collectorTimeout: '100ms' }, { intervalMs: 250, timeoutMs: 100 }],
  [{ interval: undefined, disk: true, procRoot: '/host/proc' }, { intervalMs: 5000, disk: true, procRoot: '/host/proc' }],
])('%j resolves to %j', (options, expected) => {
  expect(resolveCollectorOptions(options)).toMatchObject(expected);
});

test.each([
  [{ interval: '10ms' }, 'Expected `interval` to be at least 100ms, got "10ms"'],
  [{ interval: 'often' }, 'Expected `interval` to be a duration such as 5s or a number of milliseconds, got "often"'],
  [{ collectorTimeout: 0 }, 'Expected `collectorTimeout` to be a positive duration, got 0'],
  [{ interval: '1s', collectorTimeout: '2s' }, 'Expected `collectorTimeout` to be at most the interval (1000ms), got "2s"'],
])('%j fails naming the option', (options, message) => {
  expect(() => resolveCollectorOptions(options)).toThrow(message);
});
