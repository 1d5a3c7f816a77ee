import { createAggregator } from './aggregate.js';

const T = Date.parse('2024-11-19T10:00:00Z');
const failure = (ip: string, user: string | null, kind = 'sshd-invalid-user', count = 1) => ({ ip, user, kind, timeMs: T, count });

describe('createAggregator', () => {
  test('lists addresses by count, then in code-unit order (the same on every machine and locale)', () => {
    const agg = createAggregator();
    for (const [ip, n] of [['10.0.0.2', 2], ['10.0.0.10', 2], ['2001:db8::1', 5], ['10.0.0.1', 2], ['9.9.9.9', 1], ['B::1', 2], ['a::1', 2]] as const) {
      for (let k = 0; k < n; k++) agg.add(failure(ip, 'root'));
    }
    expect(agg.records().map((r) => [r.ip, r.count])).toEqual([
      ['2001:db8::1', 5], ['10.0.0.1', 2], ['10.0.0.10', 2], ['10.0.0.2', 2], ['B::1', 2], ['a::1', 2], ['9.9.9.9', 1],
    ]);
  });

  test('keeps users in first-seen order without repeats, at most maxUsersPerIp', () => {
    const agg = createAggregator({ maxUsersPerIp: 3 });
    for (const user of ['root', 'admin', 'root', 'oracle', 'admin', 'test', 'pi']) agg.add(failure('192.0.2.1', user));
    agg.add(failure('192.0.2.2', null));
    const [first, second] = agg.records();
    expect(first).toMatchObject({ ip: '192.0.2.1', count: 7, users: ['root', 'admin', 'oracle'], kinds: { 'sshd-invalid-user': 7 } });
    expect(second).toMatchObject({ ip: '192.0.2.2', count: 1, users: [] });
  });
});
