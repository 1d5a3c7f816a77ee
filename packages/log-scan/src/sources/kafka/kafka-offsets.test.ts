import type { Admin } from 'kafkajs';
import { groupEnd, partitionBounds } from './kafka-offsets.js';

function fakeAdmin(topicOffsets: [number, number, number][], committed: [number, number][]): Admin {
  return {
    fetchTopicOffsets: async () => topicOffsets.map(([partition, low, high]) => ({ partition, low: String(low), high: String(high), offset: String(high) })),
    fetchOffsets: async () => [{ topic: 't', partitions: committed.map(([partition, offset]) => ({ partition, offset: String(offset), metadata: null })) }],
  } as unknown as Admin;
}

describe('partitionBounds', () => {
  test.each([
    // [description, fromBeginning, topic offsets [p, low, high], committed [p, offset], expected starts]
    ['committed offsets are where the group resumes', false, [[0, 0, 10], [1, 0, 5]], [[0, 4], [1, 5]], [4, 5]],
    ['no committed offset starts at the end (latest)', false, [[0, 0, 10], [1, 2, 5]], [[0, -1], [1, -1]], [10, 5]],
    ['a committed offset below the retained log starts at the low watermark', false, [[0, 7, 10]], [[0, 3]], [7]],
    ['from the beginning ignores committed offsets', true, [[0, 3, 10], [1, 0, 0]], [[0, 9]], [3, 0]],
  ] as const)('%s', async (_what, fromBeginning, offsets, committed, starts) => {
    const bounds = await partitionBounds(fakeAdmin(offsets.map((o) => [...o]), committed.map((c) => [...c])), 't', 'g', fromBeginning);
    expect(bounds.map((b) => b.start)).toEqual(starts);
    expect(bounds.map((b) => b.end)).toEqual(offsets.map((o) => o[2]));
    expect(bounds.map((b) => b.committed)).toEqual(offsets.map((o) => committed.find((c) => c[0] === o[0])?.[1] ?? -1));
  });
});

describe('groupEnd', () => {
  const bounds = [0, 1].map((partition) => ({ partition, low: 0, end: 10, start: 0, committed: -1 }));
  test('done once every partition is counted here or committed to its end by the group', async () => {
    expect(await groupEnd(fakeAdmin([], [[0, 10], [1, 10]]), 't', 'g', bounds, new Set())).toEqual({ done: true, progress: '0:10,1:10' });
    expect(await groupEnd(fakeAdmin([], [[0, 10], [1, -1]]), 't', 'g', bounds, new Set([1]))).toMatchObject({ done: true });
  });
  test('not done while a partition is neither counted here nor committed to its end', async () => {
    expect(await groupEnd(fakeAdmin([], [[0, 10], [1, 3]]), 't', 'g', bounds, new Set([0]))).toEqual({ done: false, progress: '0:10,1:3' });
    expect(await groupEnd(fakeAdmin([], [[0, 10]]), 't', 'g', bounds, new Set())).toMatchObject({ done: false });
  });
  test('undefined when the offsets cannot be read', async () => {
    const admin = { fetchOffsets: async () => Promise.reject(new Error('down')) } as unknown as Admin;
    expect(await groupEnd(admin, 't', 'g', bounds, new Set())).toBeUndefined();
  });
});
