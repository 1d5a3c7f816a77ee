// Worker-thread entry: takes ranges of the file from the shared queue until none is left, scans
// them into one set of counts and posts them: the tables as blocks when it can (added to the
// calling thread's own in WebAssembly: most of them while both threads scan, see MID_EXPORT, the
// rest at the end), else the counts (their typed arrays transferred).
import { parentPort, workerData } from 'node:worker_threads';
import { createRangeScanner, type FileScanJob, type RangeResult } from './scan-file-range.js';
import { monotonicMs } from './monotonic-ms.js';
import { rangeQueue, rangesLeftToCaller, type SharedRanges } from './range-queue.js';
import { adoptScannerModule } from './scanner-module.js';
import type { WasmModule } from './wasm.js';

/** What a worker is started with. */
export interface WorkerJob {
  readonly job: FileScanJob;
  readonly ranges: SharedRanges;
  /** The calling thread's compiled scanner module (not compiled again here). */
  readonly module?: WasmModule;
}

/** Worker -> main thread: bytes scanned (after each range), its tables so far (once), then the counts. */
export type FromWorker = { type: 'progress'; bytes: number } | { type: 'tables'; tables: ArrayBuffer } | { type: 'result'; result: RangeResult };

// The tables are sent once while the threads scan, when a quarter of the file's ranges is left
// (a file of 16 ranges or more): the calling thread adds them between two of its ranges while
// this one scans on (the queue gives it more ranges meanwhile), and what is left to add after the
// scan is what came since (~1/3 of the work on the production-shaped log: the addresses and
// pairs seen before are sent by number or not at all).
// The export at the end takes about a quarter of the time this one took (on that log: ~25 ms
// against ~110), which is what the ranges left to the calling thread cover (see rangesLeftToCaller).
const MID_EXPORT = { minRanges: 16, leftFraction: 1 / 4, finalShare: 1 / 4 } as const;

// (A function, not top-level await: the file is also bundled as CommonJS, dist/scanner/scan-worker.cjs.)
async function run(): Promise<void> {
  const port = parentPort!;
  // (A worker started ahead of its scan gets its job by message: see worker-pool.ts.)
  const { job, ranges, module } = (workerData ?? await new Promise((resolve) => port.once('message', resolve))) as WorkerJob;
  if (module) adoptScannerModule(module);
  const scanner = createRangeScanner(job);
  const queue = rangeQueue(ranges);
  const count = ranges.bounds.length / 2;
  let leave = 0;
  let midExport = count >= MID_EXPORT.minRanges;
  // The estimated time of the export at the end (none known before the one while scanning).
  let finalExportMs = 0;
  for (let range = queue.take(leave); range; range = queue.take(leave)) {
    let bytes = 0;
    const started = monotonicMs();
    await scanner.scanRange(range.start, range.end, range.index, (n) => { bytes += n; });
    leave = rangesLeftToCaller(count, finalExportMs, monotonicMs() - started);
    port.postMessage({ type: 'progress', bytes } satisfies FromWorker);
    if (scanner.full) queue.close(); // the file fails at the byte reached: no thread takes another range
    if (midExport && queue.left() <= count * MID_EXPORT.leftFraction) {
      midExport = false;
      const exportStarted = monotonicMs();
      const tables = scanner.exportTables();
      finalExportMs = (monotonicMs() - exportStarted) * MID_EXPORT.finalShare;
      if (tables) port.postMessage({ type: 'tables', tables } satisfies FromWorker, [tables]);
    }
  }
  const result = await scanner.finish('tables');
  const transfer = result.tables ? [result.tables] : [result.counts!.totals.buffer, result.counts!.kinds.buffer, result.counts!.pairs.buffer];
  port.postMessage({ type: 'result', result } satisfies FromWorker, transfer);
  port.close();
}

// A failure is the worker's 'error' event, as an exception thrown at the top would be.
run().catch((error: unknown) => process.nextTick(() => { throw error; }));
