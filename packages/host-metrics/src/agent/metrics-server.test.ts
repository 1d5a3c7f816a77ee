import { expect, test } from '@jest/globals';
import { acceptsGzip } from './metrics-server.js';

test.each([
  ['gzip', true],
  ['gzip, deflate, br', true],
  ['deflate;q=1, gzip;q=0.5', true],
  ['gzip;q=0', false],
  ['identity', false],
  ['*', true],
  [undefined, false],
])('acceptsGzip(%j) = %j', (header, expected) => {
  expect(acceptsGzip(header)).toBe(expected);
});
