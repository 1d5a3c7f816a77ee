import { createAggregator } from './aggregate.js';
import { mergeInFileOrder, type PartialCounts } from './merge-in-file-order.js';

const T = Date.parse('2024-11-19T10:00:00Z');
const INVALID_USER = 4; // MATCHERS index of sshd-invalid-user

// A part whose users were first seen as `seen` lists them: [address, user, range], in that order.
function part(ips: string[], users: string[], seen: Array<[number, number, number]>): PartialCounts {
  const counts = ips.map((_, id) => seen.filter(([ip]) => ip === id).length);
  return {
    ips, users,
    totals: Float64Array.from(counts.flatMap((n, id) => [n, T + id, T + 3600_000 + id])),
    kinds: Float64Array.from(counts.flatMap((n, id) => [id, INVALID_USER, n])),
    pairs: Uint32Array.from(seen.flat()),
  };
}

describe('mergeInFileOrder', () => {
  test('lists each address\'s users by the range they were first seen in, whichever part saw them', () => {
    // a scanned ranges 1 and 4, b ranges 0, 2 and 3.
    const a = part(['192.0.2.1'], ['c', 'a', 'x'], [[0, 0, 1], [0, 1, 1], [0, 2, 4]]);
    const b = part(['192.0.2.2', '192.0.2.1'], ['z', 'b', 'a', 'd'], [[0, 0, 0], [1, 1, 0], [1, 2, 2], [1, 3, 3]]);
    for (const parts of [[a, b], [b, a]]) {
      const agg = createAggregator();
      mergeInFileOrder(agg, parts);
      const [first, second] = agg.records();
      expect(first).toEqual({
        ip: '192.0.2.1', count: 6, users: ['b', 'c', 'a', 'd', 'x'],
        firstSeen: new Date(T).toISOString(), lastSeen: new Date(T + 3600_001).toISOString(), kinds: { 'sshd-invalid-user': 6 },
      });
      expect(second).toMatchObject({ ip: '192.0.2.2', count: 1, users: ['z'] });
      expect(agg.matches).toBe(7);
    }
  });

  test('orders the runs of a part that scanned its ranges out of order', () => {
    const late = part(['192.0.2.1'], ['late', 'early'], [[0, 0, 7], [0, 1, 2]]);
    const other = part(['192.0.2.1'], ['middle'], [[0, 0, 5]]);
    const agg = createAggregator();
    mergeInFileOrder(agg, [late, other]);
    expect(agg.records()[0]!.users).toEqual(['early', 'middle', 'late']);
  });

  test('keeps the first 1000 users of an address in file order, whichever part saw them', () => {
    const users = Array.from({ length: 1500 }, (_, k) => `u${k}`);
    const even = part(['192.0.2.1'], users, users.map((_, k): [number, number, number] => [0, k, 2 * k]).filter((_, k) => k % 2 === 0));
    const odd = part(['192.0.2.1'], users, users.map((_, k): [number, number, number] => [0, k, 2 * k]).filter((_, k) => k % 2 === 1));
    const agg = createAggregator();
    mergeInFileOrder(agg, [odd, even]);
    expect(agg.records()[0]!.users).toEqual(users.slice(0, 1000));
  });
});
