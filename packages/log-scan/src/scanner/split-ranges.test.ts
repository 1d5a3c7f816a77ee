import { splitPoints } from './split-ranges.js';

describe('splitPoints', () => {
  test('ranges of about rangeBytes, the last `threads` of them cut in four', () => {
    expect(splitPoints(1000, 100, 2)).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 825, 850, 875, 900, 925, 950, 975]);
  });

  test.each([
    ['fewer ranges than four per thread: even ranges', 1000, 400, 2, [333, 666]],
    ['at least one range per thread', 1000, 5000, 3, [333, 666]],
    ['one thread, one range', 1000, 5000, 1, []],
  ])('%s', (_name, size, rangeBytes, threads, points) => {
    expect(splitPoints(size, rangeBytes, threads)).toEqual(points);
  });
});
