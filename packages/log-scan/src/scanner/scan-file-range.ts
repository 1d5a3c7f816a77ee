import { closeSync, readSync } from 'node:fs';
import { SourceError, type SourceNotFoundError } from '../errors/source-error.js';
import { TablesFullError } from '../errors/tables-full-error.js';
import type { PartialCounts } from '../results/partial-counts.js';
import { cutLineFailure, noteDroppedLine } from '../results/cut-line.js';
import type { SourceFailure } from '../results/scan-result.js';
import { fileError, openSourceFileSync } from '../sources/file-source.js';
import { createCountingScanner, type CountingScanner, type CountingScannerOptions } from './counting-scanner.js';
import type { ScannerStats } from './line-framer.js';
import { monotonicMs } from './monotonic-ms.js';

/** How ranges of one file are scanned (what a worker thread is given): the file, the read size and how its lines are counted. */
export interface FileScanJob extends CountingScannerOptions {
  readonly path: string;
  readonly chunkBytes: number;
  /** Added to the range numbers (ranges are numbered across the sources of a scan). */
  readonly rangeBase: number;
}

/**
 * A scanner's partial result (over all the ranges it scanned): its counts (for buildResult), its
 * tables as one block for another scanner to add to its own (`finish('tables')`), or the scanner
 * itself (`finish('scanner')`: its counts drained or its JSON written later).
 */
export interface RangeResult {
  readonly counts?: PartialCounts;
  readonly tables?: ArrayBuffer;
  readonly scanner?: CountingScanner;
  readonly stats: ScannerStats;
  /** The failed read at the lowest byte offset, if any. */
  readonly error?: SourceFailure;
}

/** Scans ranges of one file, one after the other, into one set of counts. */
export interface RangeScanner {
  /**
   * Scans [start, end), the file's range number `index` (ranges numbered in file order); a failed
   * read is kept for the result (the lines before it are counted).
   */
  scanRange(start: number, end: number, index: number, onProgress?: (bytes: number) => void): Promise<void>;
  /** True once its tables are full (`maxMemoryBytes`): it counts nothing more, and no thread should go on. */
  readonly full: boolean;
  /** Bytes of WebAssembly memory its scanner holds (see CountingScanner.memoryBytes). */
  readonly memoryBytes: number;
  /**
   * Closes the file and returns the counts (default); with 'tables', the tables as one block when
   * the scanner has them (WebAssembly, no `maxMemoryBytes`: adding them up elsewhere must not
   * fail); with 'scanner', the counting scanner.
   */
  finish(what?: 'counts' | 'tables' | 'scanner'): Promise<RangeResult>;
  /**
   * What it counted since its last export, moved out as one block for another range scanner's
   * `absorb` (a worker thread's tables, added to the calling thread's while both scan on); null
   * when its tables cannot be (no WebAssembly, or `maxMemoryBytes`: adding them up elsewhere
   * must not fail). `finish('tables')` gives the rest.
   */
  exportTables(): ArrayBuffer | null;
  /**
   * Adds another range scanner's block (`exportTables`, `finish('tables')`) to this one's tables,
   * between two ranges or after the last (the blocks of one scanner in the order they were made).
   */
  absorb(tables: ArrayBuffer): void;
}

// How often the main thread lets the event loop turn while it scans: often enough for a progress
// bar, signals and the workers' messages (a turn after every 1 MiB read cost ~5% of the thread).
const YIELD_MS = 10;

/**
 * A range scanner. `yieldBetweenChunks` (on the main thread) lets the event loop turn between reads;
 * a worker thread reads synchronously, straight into the scanner's memory, with nothing else to do.
 */
export function createRangeScanner(job: FileScanJob, options: { readonly yieldBetweenChunks?: boolean } = {}): RangeScanner {
  const scanner = createCountingScanner(job);
  let fd: number | undefined;
  let error: SourceFailure | undefined;
  // The tables are full: nothing more can be counted by this scanner.
  let full = false;
  let lastTurn = monotonicMs();
  const keep = (failure: SourceFailure) => {
    if (!error || failure.byteOffset < error.byteOffset) error = failure;
  };
  const fail = (e: unknown, position: number, dropped: number) => {
    const failure = fileError(job.path, position, e) as SourceError | SourceNotFoundError;
    const byteOffset = failure instanceof SourceError ? failure.byteOffset : position;
    keep({ source: job.path, byteOffset, code: failure.code, message: noteDroppedLine(failure.message, dropped, position) });
  };
  const exportTables = () => (job.maxMemoryBytes === undefined ? scanner.exportTables() : null);
  return {
    get full() { return full; },
    get memoryBytes() { return scanner.memoryBytes; },
    async scanRange(start, end, index, onProgress) {
      if (full) return;
      let position = start;
      scanner.setRange(job.rangeBase + index);
      try {
        fd ??= openSourceFileSync(job.path);
        const file = fd;
        while (position < end) {
          let failure: unknown;
          const bytesRead = scanner.fill(Math.min(job.chunkBytes, end - position), (target) => {
            try {
              return readSync(file, target, 0, target.length, position);
            } catch (e) {
              failure = e;
              return 0;
            }
          });
          if (failure !== undefined) throw fileError(job.path, position, failure);
          if (bytesRead === 0) {
            throw new SourceError(job.path, position, 'file shrank while being read (truncated or rotated)', {
              hint: 'the lines before this point were counted; scan the rotated file (e.g. auth.log.1) for the rest',
            });
          }
          position += bytesRead;
          onProgress?.(bytesRead);
          if (options.yieldBetweenChunks && position < end && monotonicMs() - lastTurn >= YIELD_MS) {
            await new Promise((resolve) => setImmediate(resolve));
            lastTurn = monotonicMs();
          }
        }
        // Only the last range can end without a newline.
        const cut = scanner.end();
        if (cut > 0) keep(cutLineFailure(job.path, end - cut, cut));
      } catch (e) {
        const dropped = scanner.reset();
        full ||= e instanceof TablesFullError;
        fail(e, position, full ? 0 : dropped);
      }
    },
    async finish(what = 'counts') {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
      const tables = what === 'tables' ? exportTables() : null;
      const kept = tables ? { tables } : what === 'scanner' ? { scanner } : { counts: scanner.drain() };
      return { ...kept, stats: scanner.stats, ...(error ? { error } : {}) };
    },
    exportTables,
    absorb: (tables) => scanner.importTables(tables),
  };
}
