import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { isOpsError } from '@ops/core';
import { SourceError } from './errors/source-error.js';
import { createAggregator, type Aggregator } from './results/aggregate.js';
import type { ScanResult, SourceFailure } from './results/scan-result.js';
import { createCountingScanner } from './scanner/counting-scanner.js';
import type { ScannerStats } from './scanner/line-framer.js';
import { scanFileRange, type RangeJob, type RangeResult } from './scanner/scan-file-range.js';
import { splitRanges } from './scanner/split-ranges.js';
import { resolveScanOptions, type ResolvedScanOptions, type ScanOptions } from './scan-options.js';
import { isFileSource, openSourceFile, type FileSource } from './sources/file-source.js';
import { resolveSources } from './sources/resolve-sources.js';
import type { ScanSource } from './sources/scan-source.js';

/**
 * Scans sources (or specs: paths, directories, globs, `-`, `s3://`, `kafka://`) and collects
 * every IP that failed to authenticate. Large regular files are split over worker threads.
 * A source that fails part-way is reported in `errors`; what was read before is kept.
 */
export async function scan(sources: ReadonlyArray<ScanSource | string>, options: ScanOptions = {}): Promise<ScanResult> {
  const opts = resolveScanOptions(options);
  const started = performance.now();
  const resolved: ScanSource[] = [];
  for (const s of sources) {
    if (typeof s === 'string') resolved.push(...(await resolveSources([s], { ...opts.remote, chunkBytes: opts.chunkBytes })));
    else resolved.push(s);
  }
  const aggregator = createAggregator();
  const totals = { bytes: 0, lines: 0, skippedLines: 0 };
  const errors: SourceFailure[] = [];
  const add = (stats: ScannerStats) => {
    totals.bytes += stats.bytes;
    totals.lines += stats.lines;
    totals.skippedLines += stats.skippedLines;
  };
  for (const source of resolved) {
    if (opts.signal?.aborted) throw opts.signal.reason;
    if (isFileSource(source) && !source.gzip && opts.threads > 1 && source.size >= opts.minParallelBytes && workerScript()) {
      const results = await scanInWorkers(source, opts);
      // Ranges after a truncation fail too: report the first failure of the file only.
      const failure = results.find((r) => r.error)?.error;
      for (const r of results) {
        aggregator.merge(r.records);
        add(r.stats);
      }
      if (failure) {
        errors.push(failure);
        opts.logger?.warn('source failed', { ...failure });
      }
      continue;
    }
    const failure = await scanStream(source, opts, aggregator, add);
    if (failure) {
      errors.push(failure);
      opts.logger?.warn('source failed', { ...failure });
    }
  }
  return {
    ips: aggregator.records(),
    stats: {
      sources: resolved.length,
      bytes: totals.bytes,
      lines: totals.lines,
      matches: aggregator.matches,
      seconds: Math.round(performance.now() - started) / 1000,
      skippedLines: totals.skippedLines,
    },
    errors,
  };
}

async function scanStream(source: ScanSource, opts: ResolvedScanOptions, aggregator: Aggregator, add: (s: ScannerStats) => void): Promise<SourceFailure | undefined> {
  const scanner = createCountingScanner({
    maxLineBytes: opts.maxLineBytes,
    referenceMs: opts.referenceMs ?? (isFileSource(source) ? source.mtimeMs : Date.now()),
    sinceMs: opts.sinceMs,
    untilMs: opts.untilMs,
  });
  try {
    for await (const chunk of source.chunks(opts.signal)) {
      scanner.push(chunk);
      opts.onProgress?.(chunk.byteLength);
    }
    scanner.end();
    return undefined;
  } catch (error) {
    if (opts.signal?.aborted) throw error;
    scanner.end();
    const offset = error instanceof SourceError ? error.byteOffset : scanner.stats.bytes;
    const code = isOpsError(error) ? error.code : 'LOG_SCAN_SOURCE_FAILED';
    const message = error instanceof SourceError ? error.message : `${source.name}: ${(error as Error).message} (at byte ${offset})`;
    return { source: source.name, byteOffset: offset, code, message };
  } finally {
    scanner.drainInto(aggregator);
    add(scanner.stats);
  }
}

let cachedWorkerScript: URL | null | undefined;

/** The compiled worker entry: next to this module, or in dist/ when running from the sources (tests). */
function workerScript(): URL | null {
  if (cachedWorkerScript !== undefined) return cachedWorkerScript;
  const candidates = [new URL('./scanner/scan-worker.js', import.meta.url), new URL('../dist/scanner/scan-worker.js', import.meta.url)];
  cachedWorkerScript = candidates.find((u) => existsSync(u)) ?? null;
  return cachedWorkerScript;
}

/** Splits a regular file into newline-aligned ranges and scans them in parallel worker threads. */
export async function scanInWorkers(source: FileSource, opts: ResolvedScanOptions): Promise<RangeResult[]> {
  const fh = await openSourceFile(source.path);
  let ranges: Array<[number, number]>;
  try {
    ranges = await splitRanges(fh, source.size, opts.threads);
  } finally {
    await fh.close();
  }
  const script = workerScript();
  return Promise.all(ranges.map(([start, end]) => {
    const job: RangeJob = {
      path: source.path, start, end, chunkBytes: opts.chunkBytes, maxLineBytes: opts.maxLineBytes,
      referenceMs: opts.referenceMs ?? source.mtimeMs, sinceMs: opts.sinceMs, untilMs: opts.untilMs,
    };
    if (!script || start === end) return scanFileRange(job, opts.onProgress);
    return runWorker(script, job, opts);
  }));
}

function runWorker(script: URL, job: RangeJob, opts: ResolvedScanOptions): Promise<RangeResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: job });
    const onAbort = () => void worker.terminate();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    let result: RangeResult | undefined;
    worker.on('message', (msg: { type: 'progress'; bytes: number } | { type: 'result'; result: RangeResult }) => {
      if (msg.type === 'progress') opts.onProgress?.(msg.bytes);
      else result = msg.result;
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      opts.signal?.removeEventListener('abort', onAbort);
      if (opts.signal?.aborted) reject(opts.signal.reason);
      else if (result) resolve(result);
      else reject(new SourceError(job.path, job.start, `worker thread exited with code ${code} before finishing its range`));
    });
  });
}
