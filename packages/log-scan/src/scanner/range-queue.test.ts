import { rangeQueue, rangesLeftToCaller, shareRanges } from './range-queue.js';

describe('rangeQueue', () => {
  test('threads holding the shared ranges take each range once, in file order, until none is left', () => {
    const ranges = shareRanges([[0, 10], [10, 25], [25, 26], [26, 40]]);
    // What a worker gets: a clone whose memory is the same.
    const a = rangeQueue(ranges);
    const b = rangeQueue(structuredClone(ranges));
    const taken = [a.take(), b.take(), b.take(), a.take()];
    expect(taken).toEqual([
      { start: 0, end: 10, index: 0 }, { start: 10, end: 25, index: 1 }, { start: 25, end: 26, index: 2 }, { start: 26, end: 40, index: 3 },
    ]);
    expect(a.take()).toBeUndefined();
    expect(b.take()).toBeUndefined();
  });

  test('close leaves no range for any thread; left counts the ranges not taken', () => {
    const ranges = shareRanges([[0, 10], [10, 20], [20, 30]]);
    const a = rangeQueue(ranges);
    const b = rangeQueue(structuredClone(ranges));
    expect(b.left()).toBe(3);
    expect(a.take()!.index).toBe(0);
    expect(b.left()).toBe(2);
    b.close();
    expect(a.left()).toBe(0);
    expect(a.take()).toBeUndefined();
    expect(b.take()).toBeUndefined();
  });

  test('take(leave) takes none of the last `leave` ranges, which take() still gives', () => {
    const ranges = shareRanges([[0, 10], [10, 20], [20, 30], [30, 40]]);
    const worker = rangeQueue(structuredClone(ranges));
    const caller = rangeQueue(ranges);
    expect(worker.take(2)!.index).toBe(0);
    expect(worker.take(2)!.index).toBe(1);
    expect(worker.take(2)).toBeUndefined();
    expect(caller.take()!.index).toBe(2);
    expect(caller.take()!.index).toBe(3);
    expect(caller.take()).toBeUndefined();
  });

  test('a worker leaves the caller the ranges it scans during the export, at most two, none of a small file', () => {
    expect(rangesLeftToCaller(64, 85, 37)).toBe(2);
    expect(rangesLeftToCaller(64, 500, 37)).toBe(2);
    expect(rangesLeftToCaller(64, 50, 37)).toBe(1);
    expect(rangesLeftToCaller(64, 5, 37)).toBe(0);
    expect(rangesLeftToCaller(32, 85, 37)).toBe(1);
    expect(rangesLeftToCaller(31, 85, 37)).toBe(0);
    expect(rangesLeftToCaller(64, 85, 0)).toBe(0);
  });
});
