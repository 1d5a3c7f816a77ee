import { readSync } from 'node:fs';
import { SourceError } from '../errors/source-error.js';
import type { IpRecord } from '../results/aggregate.js';
import { createAggregator } from '../results/aggregate.js';
import type { SourceFailure } from '../results/scan-result.js';
import { fileError, openSourceFile } from '../sources/file-source.js';
import { createCountingScanner } from './counting-scanner.js';
import type { ScannerStats } from './line-framer.js';

/** What a worker scans: bytes [start, end) of a file, both on line starts. */
export interface RangeJob {
  readonly path: string;
  readonly start: number;
  readonly end: number;
  readonly chunkBytes: number;
  readonly maxLineBytes: number;
  readonly referenceMs: number;
  readonly sinceMs?: number;
  readonly untilMs?: number;
}

/** A worker's partial result. */
export interface RangeResult {
  readonly records: IpRecord[];
  readonly stats: ScannerStats;
  readonly error?: SourceFailure;
}

/** Scans one byte range of a regular file (in a worker thread or inline) into a partial result. */
export async function scanFileRange(job: RangeJob, onProgress?: (bytes: number) => void): Promise<RangeResult> {
  const scanner = createCountingScanner(job);
  let position = job.start;
  let error: SourceFailure | undefined;
  try {
    const fh = await openSourceFile(job.path);
    try {
      // Synchronous reads straight into the scanner's memory: a worker thread has nothing else to
      // do meanwhile, and the bytes are not copied again.
      while (position < job.end) {
        let failure: unknown;
        const bytesRead = scanner.fill(Math.min(job.chunkBytes, job.end - position), (target) => {
          try {
            return readSync(fh.fd, target, 0, target.length, position);
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
      }
      scanner.end();
    } finally {
      await fh.close();
    }
  } catch (e) {
    const failure = e instanceof SourceError ? e : (fileError(job.path, position, e) as SourceError);
    error = { source: job.path, byteOffset: failure instanceof SourceError ? failure.byteOffset : position, code: failure.code, message: failure.message };
  }
  const aggregator = createAggregator();
  scanner.drainInto(aggregator);
  return { records: aggregator.records(), stats: scanner.stats, ...(error ? { error } : {}) };
}
