import { describe, expect, test } from '@jest/globals';
import { parseProcStat, usageRatio, zeroTimes, type CpuTimes } from './read-cpu-times.js';

const STAT = `cpu  7999 0 2961 262963 71 0 21 84 0 0
cpu0 4000 0 1500 131000 30 0 10 40 0 0
cpu1 3999 0 1461 131963 41 0 11 44 5 0
intr 123 0 0
ctxt 456
`;

describe('parseProcStat', () => {
  test('reads the total and per-core lines in seconds (USER_HZ 100)', () => {
    const s = parseProcStat(STAT);
    expect(s.total).toEqual({ user: 79.99, nice: 0, system: 29.61, idle: 2629.63, iowait: 0.71, irq: 0, softirq: 0.21, steal: 0.84 });
    expect([...s.cores.keys()]).toEqual(['0', '1']);
    expect(s.cores.get('1')?.user).toBe(39.99);
  });

  test('fails without a cpu line', () => {
    expect(() => parseProcStat('intr 1\n')).toThrow(/no "cpu" line/);
  });
});

const t = (over: Partial<CpuTimes>): CpuTimes => ({ ...zeroTimes(), ...over });

describe('usageRatio', () => {
  test.each([
    ['all idle', t({ idle: 10 }), 0],
    ['all user', t({ user: 10 }), 1],
    ['half system', t({ system: 5, idle: 5 }), 0.5],
    ['iowait counts as idle', t({ user: 2, iowait: 8 }), 0.2],
    ['steal and irq count as busy', t({ steal: 1, irq: 1, softirq: 1, nice: 1, idle: 6 }), 0.4],
  ])('%s', (_name, delta, expected) => {
    const before = t({ user: 100, idle: 1000 });
    const after = Object.fromEntries(Object.entries(before).map(([k, v]) => [k, v + delta[k as keyof CpuTimes]])) as CpuTimes;
    expect(usageRatio(before, after)).toBeCloseTo(expected, 10);
  });

  test('is undefined when no time passed', () => {
    expect(usageRatio(t({ idle: 5 }), t({ idle: 5 }))).toBeUndefined();
  });
});
