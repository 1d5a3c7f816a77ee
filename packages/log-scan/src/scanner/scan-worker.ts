// Worker-thread entry: scans the ranges the main thread hands it (one at a time, asking for the
// next when done) into one set of counts, and posts them when told to finish.
import { parentPort, workerData } from 'node:worker_threads';
import { createRangeScanner, type FileScanJob, type RangeResult } from './scan-file-range.js';

/** Main thread -> worker. */
export type ToWorker = { type: 'range'; start: number; end: number; index: number } | { type: 'finish' };
/** Worker -> main thread: `ready` asks for work (with the bytes scanned since the last one). */
export type FromWorker = { type: 'ready'; bytes: number } | { type: 'result'; result: RangeResult };

const port = parentPort!;
const scanner = createRangeScanner(workerData as FileScanJob);
const post = (msg: FromWorker) => port.postMessage(msg);
port.on('message', (msg: ToWorker) => {
  if (msg.type === 'range') {
    let bytes = 0;
    void scanner.scanRange(msg.start, msg.end, msg.index, (n) => { bytes += n; }).then(() => post({ type: 'ready', bytes }));
  } else {
    void scanner.finish().then((result) => {
      const { totals, kinds, pairs } = result.counts;
      port.postMessage({ type: 'result', result } satisfies FromWorker, [totals.buffer, kinds.buffer, pairs.buffer]);
      port.close();
    });
  }
});
post({ type: 'ready', bytes: 0 });
