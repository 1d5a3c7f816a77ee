import type { Consumer } from 'kafkajs';
import { offsetCommits } from './kafka-commits.js';

type Offsets = { partition: number; offset: string }[];

/** A consumer whose commits wait until the test answers them, in order. */
function slowConsumer() {
  const calls: { offsets: Offsets; answer: (error?: Error) => void }[] = [];
  const consumer = {
    commitOffsets: (offsets: Offsets) => new Promise<void>((resolve, reject) => calls.push({ offsets: offsets.map(({ partition, offset }) => ({ partition, offset })), answer: (e) => (e ? reject(e) : resolve()) })),
  } as unknown as Consumer;
  return { consumer, calls };
}

const tick = () => new Promise<void>((r) => setImmediate(r));
const rebalanceError = () => Object.assign(new Error('The group is rebalancing'), { type: 'REBALANCE_IN_PROGRESS' });

describe('offsetCommits', () => {
  test('counting never waits: one commit in flight, what is counted meanwhile goes in the next one, the latest offset of a partition wins', async () => {
    const { consumer, calls } = slowConsumer();
    const commits = offsetCommits('t', { consumer: () => consumer, onRebalance: () => undefined, closing: () => false });
    commits.counted(0, 10);
    commits.counted(1, 5);
    commits.counted(0, 20);
    commits.counted(0, 30);
    await tick();
    expect(calls.map((c) => c.offsets)).toEqual([[{ partition: 0, offset: '10' }]]);
    calls[0]!.answer();
    await tick();
    expect(calls[1]!.offsets).toEqual([{ partition: 1, offset: '5' }, { partition: 0, offset: '30' }]);
    let flushed = false;
    const flush = commits.flush().then(() => (flushed = true));
    await tick();
    expect(flushed).toBe(false);
    calls[1]!.answer();
    await flush;
    expect(calls).toHaveLength(2);
  });

  test('a commit refused mid-rebalance keeps its offsets for the next one and says so; later counts win', async () => {
    const { consumer, calls } = slowConsumer();
    let rebalances = 0;
    const onRebalance = () => void rebalances++;
    const commits = offsetCommits('t', { consumer: () => consumer, onRebalance, closing: () => false });
    commits.counted(0, 10);
    commits.counted(1, 4);
    await tick();
    commits.counted(1, 8);
    calls[0]!.answer(rebalanceError());
    await tick();
    // The failed commit stops the round: nothing is retried until the next count or flush.
    expect(rebalances).toBe(1);
    expect(calls).toHaveLength(1);
    const flush = commits.flush();
    await tick();
    expect(calls[1]!.offsets).toEqual([{ partition: 1, offset: '8' }, { partition: 0, offset: '10' }]);
    calls[1]!.answer();
    await flush;
  });

  test('flush with nothing counted commits nothing', async () => {
    const { consumer, calls } = slowConsumer();
    await offsetCommits('t', { consumer: () => consumer, onRebalance: () => undefined, closing: () => false }).flush();
    expect(calls).toHaveLength(0);
  });
});
