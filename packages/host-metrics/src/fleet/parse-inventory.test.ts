import { expect, test } from '@jest/globals';
import { hasCode } from '@ops/core';
import { parseInventory } from './parse-inventory.js';

test.each([
  ['host name gets the default port', 'web-1\n', ['web-1:9100']],
  ['explicit port kept', 'db.example.com:9200\n', ['db.example.com:9200']],
  ['comments and blank lines skipped', '# fleet\n\nweb-1 # front\n  \n10.0.0.2:9101\n', ['web-1:9100', '10.0.0.2:9101']],
  ['IPv6 in brackets', '[::1]:9102\n[fe80::1]\n', ['[::1]:9102', '[fe80::1]:9100']],
  ['duplicates once', 'a\na:9100\nb\n', ['a:9100', 'b:9100']],
])('%s', (_name, text, expected) => {
  expect(parseInventory(text)).toEqual(expected);
});

test.each([
  ['bad port', 'web-1:99999\n', /line 1: expected host\[:port\], got "web-1:99999"/],
  ['spaces inside', 'web 1\n', /line 1/],
  ['URL instead of host', 'ok\nhttp://web-1:9100\n', /line 2/],
  ['empty', '# nothing\n', /lists no hosts/],
])('rejects %s with METRICS_INVENTORY_INVALID', (_name, text, message) => {
  let caught: unknown;
  try {
    parseInventory(text, 'hosts.txt');
  } catch (error) {
    caught = error;
  }
  expect(hasCode(caught, 'METRICS_INVENTORY_INVALID')).toBe(true);
  expect((caught as Error).message).toMatch(message);
  expect((caught as { exitCode: number }).exitCode).toBe(2);
});
