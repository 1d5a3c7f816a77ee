import { buildResult } from './build-result.js';
import { parseIgnoreList } from './ignore-list.js';
import { mergeResults } from './merge-results.js';
import type { PartialCounts } from './partial-counts.js';

const T = Date.parse('2024-11-19T10:00:00Z');
const INVALID_USER = 4; // MATCHERS index of sshd-invalid-user
const OPTIONS = { maxUsersPerIp: 1000 };

// A part whose users were first seen as `seen` lists them: [address, user, range], in that order.
function part(ips: string[], users: string[], seen: Array<[number, number, number]>, counts = ips.map((_, id) => seen.filter(([ip]) => ip === id).length)): PartialCounts {
  return {
    ips, users,
    totals: Float64Array.from(counts.flatMap((n, id) => [n, T + id, T + 3600_000 + id])),
    kinds: Float64Array.from(counts.flatMap((n, id) => [id, INVALID_USER, n])),
    pairs: Uint32Array.from(seen.flat()),
  };
}

describe('buildResult', () => {
  test('lists each address\'s users by the range they were first seen in, whichever part saw them', () => {
    // a scanned ranges 1 and 4, b ranges 0, 2 and 3.
    const a = part(['192.0.2.1'], ['c', 'a', 'x'], [[0, 0, 1], [0, 1, 1], [0, 2, 4]]);
    const b = part(['192.0.2.2', '192.0.2.1'], ['z', 'b', 'a', 'd'], [[0, 0, 0], [1, 1, 0], [1, 2, 2], [1, 3, 3]]);
    for (const parts of [[a, b], [b, a]]) {
      const built = buildResult(parts, OPTIONS);
      expect(built.ips[0]).toEqual({
        ip: '192.0.2.1', count: 6, users: ['b', 'c', 'a', 'd', 'x'],
        firstSeen: new Date(T).toISOString(), lastSeen: new Date(T + 3600_001).toISOString(), kinds: { 'sshd-invalid-user': 6 },
      });
      expect(built.ips[1]).toMatchObject({ ip: '192.0.2.2', count: 1, users: ['z'] });
      expect(built).toMatchObject({ matches: 7, addresses: 2 });
    }
  });

  test('orders the runs of a part that scanned its ranges out of order', () => {
    const late = part(['192.0.2.1'], ['late', 'early'], [[0, 0, 7], [0, 1, 2]]);
    const other = part(['192.0.2.1'], ['middle'], [[0, 0, 5]]);
    expect(buildResult([late, other], OPTIONS).ips[0]!.users).toEqual(['early', 'middle', 'late']);
  });

  test('keeps the first maxUsersPerIp users of an address in file order, whichever part saw them', () => {
    const users = Array.from({ length: 1500 }, (_, k) => `u${k}`);
    const even = part(['192.0.2.1'], users, users.map((_, k): [number, number, number] => [0, k, 2 * k]).filter((_, k) => k % 2 === 0));
    const odd = part(['192.0.2.1'], users, users.map((_, k): [number, number, number] => [0, k, 2 * k]).filter((_, k) => k % 2 === 1));
    expect(buildResult([odd, even], OPTIONS).ips[0]!.users).toEqual(users.slice(0, 1000));
  });

  test('by count, then address in code-unit order', () => {
    const ips = ['10.0.0.2', '10.0.0.10', '2001:db8::1', '10.0.0.1', '9.9.9.9', 'B::1', 'a::1'];
    const built = buildResult([part(ips, [], [], [2, 2, 5, 2, 1, 2, 2])], OPTIONS);
    expect(built.ips.map((r) => r.ip)).toEqual(['2001:db8::1', '10.0.0.1', '10.0.0.10', '10.0.0.2', 'B::1', 'a::1', '9.9.9.9']);
  });

  test('top, minFailures and ignore choose the addresses; matches leaves out only the ignored', () => {
    const ips = ['203.0.113.1', '203.0.113.2', '10.1.2.3', '2001:db8::9', '198.51.100.7'];
    const counts = [5, 3, 9, 4, 1];
    const users = ips.map((_, k) => `u${k}`);
    const parts = [part(ips, users, ips.map((_, k): [number, number, number] => [k, k, 0]), counts)];
    const ignore = parseIgnoreList('10.0.0.0/8, 2001:db8::/32');
    const built = buildResult(parts, { ...OPTIONS, top: 2, minFailures: 2, ignore });
    expect(built.ips.map((r) => [r.ip, r.users])).toEqual([['203.0.113.1', ['u0']], ['203.0.113.2', ['u1']]]);
    expect(built).toMatchObject({ addresses: 2, matches: 9 });
    expect(buildResult(parts, { ...OPTIONS, top: 3 }).ips.map((r) => r.ip)).toEqual(['10.1.2.3', '203.0.113.1', '2001:db8::9']);
    expect(buildResult(parts, { ...OPTIONS, minFailures: 4 })).toMatchObject({ addresses: 3, matches: 22 });
  });

  test('ties at the top-th count are cut in address order', () => {
    const ips = ['192.0.2.3', '192.0.2.1', '192.0.2.2'];
    expect(buildResult([part(ips, [], [], [2, 2, 2])], { ...OPTIONS, top: 2 }).ips.map((r) => r.ip)).toEqual(['192.0.2.1', '192.0.2.2']);
  });
});

describe('mergeResults', () => {
  test('adds counts and kinds, widens times, lists users result after result, keeps unknown kinds', () => {
    const r = (ip: string, count: number, users: string[], kinds: Record<string, number>, first: string) => ({ ip, count, users, firstSeen: first, lastSeen: first, kinds });
    const stats = { sources: 1, bytes: 10, lines: 2, matches: 0, addresses: 0, seconds: 1, skippedLines: 1 };
    const merged = mergeResults([
      { ips: [r('192.0.2.1', 2, ['root', 'admin'], { 'sshd-invalid-user': 2 }, '2024-11-19T10:00:00.000Z')], stats, errors: [] },
      { ips: [r('192.0.2.1', 3, ['oracle', 'root'], { 'some-future-kind': 3 }, '2024-11-18T10:00:00.000Z'), r('192.0.2.9', 1, [], {}, '2024-11-18T10:00:00.000Z')], stats, errors: [] },
    ], { ignore: parseIgnoreList('192.0.2.9') });
    expect(merged.ips).toEqual([{
      ip: '192.0.2.1', count: 5, users: ['root', 'admin', 'oracle'], firstSeen: '2024-11-18T10:00:00.000Z', lastSeen: '2024-11-19T10:00:00.000Z',
      kinds: { 'some-future-kind': 3, 'sshd-invalid-user': 2 },
    }]);
    expect(merged.stats).toMatchObject({ sources: 2, bytes: 20, lines: 4, matches: 5, addresses: 1, skippedLines: 2 });
  });
});

describe('parseIgnoreList', () => {
  test.each([
    ['10.0.0.0/8', '10.255.0.1', true], ['10.0.0.0/8', '11.0.0.1', false], ['192.0.2.7', '192.0.2.7', true], ['192.0.2.7', '192.0.2.8', false],
    ['2001:db8::/32', '2001:db8:1::5', true], ['2001:db8::/32', '2001:db9::5', false], ['fe80::/10', 'fe80::1%eth0', true], ['0.0.0.0/0', '1.2.3.4', true],
    ['10.0.0.0/8', '2001:db8::1', false],
  ])('%s holds %s: %s', (cidr, ip, expected) => {
    expect(parseIgnoreList(cidr)(ip)).toBe(expected);
  });

  test.each(['10.0.0.0/33', '2001:db8::/129', 'example.com', '10.0.0.0/8/1', '10.0.0.0/x', '300.1.1.1'])('a bad entry fails naming the option: %s', (bad) => {
    expect(() => parseIgnoreList(`10.0.0.0/8,${bad}`, '--ignore')).toThrow(new RegExp(`Expected \`--ignore\` to be CIDR networks or addresses .*got "${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}"`));
  });
});
