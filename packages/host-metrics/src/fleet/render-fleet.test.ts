import { expect, test } from '@jest/globals';
import { fleetToJson, renderFleetTable } from './render-fleet.js';

const hosts = [
  { instance: 'web-1:9100', up: true, cpu: 0.734, memory: 0.25 },
  { instance: 'db-1:9100', up: false, cpu: undefined, memory: undefined },
];

test('table: host, status, CPU and memory percent, summary', () => {
  const out = renderFleetTable(hosts);
  expect(out.split('\n')[0]).toMatch(/^HOST\s+STATUS\s+CPU\s+MEMORY$/);
  expect(out).toMatch(/web-1:9100\s+up\s+73\.4%\s+25\.0%/);
  expect(out).toMatch(/db-1:9100\s+DOWN\s+-\s+-/);
  expect(out).toContain('2 hosts, 1 up, 1 down');
});

test('json: ratios, null when unknown', () => {
  expect(JSON.parse(fleetToJson(hosts))).toEqual([
    { instance: 'web-1:9100', up: true, cpu: 0.734, memory: 0.25 },
    { instance: 'db-1:9100', up: false, cpu: null, memory: null },
  ]);
});
