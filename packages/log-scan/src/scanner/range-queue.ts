/**
 * A file's ranges and the number of the next one to take, in shared memory: the calling thread
 * and the workers take ranges in turns without asking each other (a worker done with a range
 * goes on at once instead of waiting for the main thread's next turn of the event loop).
 */
export interface SharedRanges {
  /** [start, end) byte offsets, range after range, in file order. */
  readonly bounds: Float64Array;
  /** Index 0: the next range to take. */
  readonly next: Int32Array;
}

/** A range taken: its bytes and its number in file order. */
export interface Range { readonly start: number; readonly end: number; readonly index: number }

/** The ranges, shared (post them to workers with workerData). */
export function shareRanges(ranges: ReadonlyArray<readonly [number, number]>): SharedRanges {
  const bounds = new Float64Array(new SharedArrayBuffer(16 * ranges.length));
  ranges.forEach(([start, end], k) => { bounds[2 * k] = start; bounds[2 * k + 1] = end; });
  return { bounds, next: new Int32Array(new SharedArrayBuffer(4)) };
}

/**
 * Takes ranges in turns with the other threads; `close` leaves none for anyone. `take(leave)`
 * takes none of the last `leave` ranges (a worker leaves them to the calling thread, which
 * scans them while the worker exports its tables).
 */
export function rangeQueue(ranges: SharedRanges): { take(leave?: number): Range | undefined; close(): void; left(): number } {
  const count = ranges.bounds.length / 2;
  return {
    take(leave = 0) {
      for (;;) {
        const index = Atomics.load(ranges.next, 0);
        if (index >= count - leave) return undefined;
        if (Atomics.compareExchange(ranges.next, 0, index, index + 1) === index) {
          return { start: ranges.bounds[2 * index]!, end: ranges.bounds[2 * index + 1]!, index };
        }
      }
    },
    close: () => void Atomics.store(ranges.next, 0, count),
    /** Ranges no thread has taken yet. */
    left: () => Math.max(0, count - Atomics.load(ranges.next, 0)),
  };
}

/**
 * The ranges a worker leaves to the calling thread at the end of a file (see `take`): about as
 * many as the calling thread scans while the worker exports its last tables, which it then adds
 * to its own (so that it does not wait for them). `exportMs`: the export's estimated time (see
 * scan-worker.ts); `rangeMs`: the time the worker took for its last range. At most 2 (at most
 * one for a file of 32 to 63 ranges, none for a smaller one).
 */
export function rangesLeftToCaller(count: number, exportMs: number, rangeMs: number): number {
  const fits = rangeMs > 0 ? Math.round(exportMs / rangeMs) : 0;
  return Math.min(2, Math.floor(count / 32), fits);
}
