import { createAggregator, type IpRecord } from './aggregate.js';
import { mergeInFileOrder, rankOf } from './merge-in-file-order.js';

const record = (ip: string, users: string[], count = users.length): IpRecord => ({
  ip, count, users, firstSeen: '2024-11-19T10:00:00.000Z', lastSeen: '2024-11-19T11:00:00.000Z', kinds: { 'sshd-invalid-user': count },
});

describe('mergeInFileOrder', () => {
  test('lists each address\'s users by the range and position they were first seen in, whichever part saw them', () => {
    const a = { records: [record('192.0.2.1', ['c', 'a', 'x'])], userRanks: [[rankOf(1, 0), rankOf(1, 1), rankOf(4, 9)]] };
    const b = { records: [record('192.0.2.1', ['b', 'a', 'd']), record('192.0.2.2', ['z'])], userRanks: [[rankOf(0, 5), rankOf(2, 0), rankOf(3, 1)], [rankOf(0, 6)]] };
    for (const parts of [[a, b], [b, a]]) {
      const agg = createAggregator();
      mergeInFileOrder(agg, parts);
      const [first, second] = agg.records();
      expect(first).toEqual({ ...record('192.0.2.1', ['b', 'c', 'a', 'd', 'x'], 6), kinds: { 'sshd-invalid-user': 6 } });
      expect(second!.users).toEqual(['z']);
      expect(agg.matches).toBe(7);
    }
  });

  test('sorts a part whose users are not in rank order (a scanner given ranges out of order)', () => {
    const part = { records: [record('192.0.2.1', ['late', 'early'])], userRanks: [[rankOf(7, 0), rankOf(2, 3)]] };
    const other = { records: [record('192.0.2.1', ['middle'])], userRanks: [[rankOf(5, 0)]] };
    const agg = createAggregator();
    mergeInFileOrder(agg, [part, other]);
    expect(agg.records()[0]!.users).toEqual(['early', 'middle', 'late']);
  });
});
