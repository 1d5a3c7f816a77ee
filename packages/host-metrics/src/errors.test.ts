import { expect, test } from '@jest/globals';
import { isOpsError } from '@ops/core';
import { MetricsError, type MetricsErrorCode } from './errors.js';

test.each([
  ['METRICS_INVALID_OPTION', 2],
  ['METRICS_INVENTORY_INVALID', 2],
  ['METRICS_WEB_CONFIG_INVALID', 2],
  ['METRICS_LISTEN_FAILED', 3],
  ['METRICS_PROMETHEUS_UNREACHABLE', 3],
  ['METRICS_PROMETHEUS_QUERY_FAILED', 1],
  ['METRICS_COLLECT_FAILED', 1],
  ['METRICS_COLLECT_TIMEOUT', 1],
] as Array<[MetricsErrorCode, number]>)('%s exits with %d', (code, exitCode) => {
  const error = new MetricsError(code, 'what happened');
  expect(error).toMatchObject({ name: 'MetricsError', code, exitCode, message: 'what happened' });
  expect(isOpsError(error)).toBe(true);
});
