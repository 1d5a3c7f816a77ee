import { expect, test } from '@jest/globals';
import { parseProcCgroup } from './find-cgroup.js';
import { parseCpuMax, parseFlatKeyed } from './read-cgroup.js';

test.each([
  ['0::/kubepods/pod1/abc\n', '/kubepods/pod1/abc', {}],
  ['4:memory:/docker/abc\n2:cpu,cpuacct:/docker/abc\n1:name=systemd:/\n0::/\n', '/', { memory: '/docker/abc', cpu: '/docker/abc', cpuacct: '/docker/abc' }],
  ['', undefined, {}],
])('parseProcCgroup(%j)', (text, v2, v1) => {
  const parsed = parseProcCgroup(text);
  expect(parsed.v2).toBe(v2);
  expect(Object.fromEntries([...parsed.v1].filter(([k]) => k in v1))).toEqual(v1);
});

test.each([
  ['max 100000\n', undefined],
  ['50000 100000\n', 0.5],
  ['200000 100000', 2],
  ['', undefined],
])('parseCpuMax(%j) = %j cores', (text, cores) => {
  expect(parseCpuMax(text)).toBe(cores);
});

test('parseFlatKeyed reads key value lines', () => {
  expect(parseFlatKeyed('usage_usec 12\ninactive_file 4096\n\n')).toEqual(new Map([['usage_usec', 12], ['inactive_file', 4096]]));
});
