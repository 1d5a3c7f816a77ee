// Worker-thread entry: takes ranges of the file from the shared queue until none is left, scans
// them into one set of counts and posts them: the tables as one block when it can (added to the
// calling thread's own in WebAssembly), else the counts (their typed arrays transferred).
import { parentPort, workerData } from 'node:worker_threads';
import { createRangeScanner, type FileScanJob, type RangeResult } from './scan-file-range.js';
import { exportEstimateMs, rangeQueue, rangesLeftToCaller, type SharedRanges } from './range-queue.js';
import { adoptScannerModule } from './scanner-module.js';
import type { WasmModule } from './wasm.js';

/** What a worker is started with. */
export interface WorkerJob {
  readonly job: FileScanJob;
  readonly ranges: SharedRanges;
  /** The calling thread's compiled scanner module (not compiled again here). */
  readonly module?: WasmModule;
}

/** Worker -> main thread: bytes scanned (after each range), then the counts. */
export type FromWorker = { type: 'progress'; bytes: number } | { type: 'result'; result: RangeResult };

const port = parentPort!;
const { job, ranges, module } = workerData as WorkerJob;
if (module) adoptScannerModule(module);
const scanner = createRangeScanner(job);
const queue = rangeQueue(ranges);
let leave = 0;
for (let range = queue.take(leave); range; range = queue.take(leave)) {
  let bytes = 0;
  const started = performance.now();
  await scanner.scanRange(range.start, range.end, range.index, (n) => { bytes += n; });
  leave = rangesLeftToCaller(ranges.bounds.length / 2, exportEstimateMs(scanner.memoryBytes), performance.now() - started);
  port.postMessage({ type: 'progress', bytes } satisfies FromWorker);
  if (scanner.full) queue.close(); // the file fails at the byte reached: no thread takes another range
}
const result = await scanner.finish('tables');
const transfer = result.tables ? [result.tables] : [result.counts!.totals.buffer, result.counts!.kinds.buffer, result.counts!.pairs.buffer];
port.postMessage({ type: 'result', result } satisfies FromWorker, transfer);
port.close();
