import { existsSync } from 'node:fs';
import { isOpsError } from '@ops/core';
import { SourceError } from './errors/source-error.js';
import { TablesFullError } from './errors/tables-full-error.js';
import { DEFAULT_MAX_USERS_PER_IP } from './results/aggregate.js';
import type { IpRecord } from './results/aggregate.js';
import { buildResult, type BuiltResult } from './results/build-result.js';
import { cutLineFailure, noteDroppedLine } from './results/cut-line.js';
import type { PartialCounts } from './results/partial-counts.js';
import type { ScanResult, ScanStats, SourceFailure } from './results/scan-result.js';
import { createCountingScanner, type CountingScanner, type CountingScannerOptions, type JsonRecords } from './scanner/counting-scanner.js';
import type { ScannerStats } from './scanner/line-framer.js';
import { createRangeScanner, type FileScanJob, type RangeResult } from './scanner/scan-file-range.js';
import { monotonicMs } from './scanner/monotonic-ms.js';
import { rangeQueue, shareRanges, type SharedRanges } from './scanner/range-queue.js';
import { scannerModule } from './scanner/scanner-module.js';
import type { FromWorker, WorkerJob } from './scanner/scan-worker.js';
import { splitPoints, splitRangesAt } from './scanner/split-ranges.js';
import { startScanWorker, stopPrestartedWorkers } from './scanner/worker-pool.js';
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
  const scanned = await scanSources(sources, opts, true);
  const records = tableRecords(scanned, opts);
  const built = records ? parseRecords(records) : buildFromCounts(scanned, opts);
  return { ips: built.ips, stats: scanStats(scanned, built), errors: scanned.errors };
}

/**
 * The records written by the WebAssembly module from its tables (see CountingScanner.jsonRecords)
 * when the counts are in one scanner and nothing is left out by address (`ignore`); else null.
 */
export function tableRecords(scanned: ScannedSources, opts: ResolvedScanOptions): JsonRecords | null {
  const only = scanned.parts.length === 1 ? scanned.parts[0]! : undefined;
  return only && 'jsonRecords' in only && !opts.ignoreList ? only.jsonRecords({ minFailures: opts.minFailures, top: opts.top }) : null;
}

// The records of jsonRecords as objects (the same as buildResult makes: JSON keeps every value,
// lone surrogates included): cheaper than reading the tables into JavaScript to build them. Each
// chunk holds whole records and is parsed alone (all of them in one string could pass the
// longest string V8 makes).
function parseRecords(records: JsonRecords): BuiltResult {
  const ips: IpRecord[] = [];
  for (let chunk = records.next(1 << 20); chunk; chunk = records.next(1 << 20)) {
    const text = chunk.toString('utf8');
    for (const record of JSON.parse(`[${text.startsWith(',') ? text.slice(1) : text}]`) as IpRecord[]) ips.push(record);
  }
  return { ips, matches: records.matches, addresses: records.addresses };
}

/** What the sources of a scan gave, before a result is made of it. */
export interface ScannedSources {
  /** Each scanner's counts, or (`keepScanners`) the scanner itself when it has its counts in tables. */
  readonly parts: ReadonlyArray<PartialCounts | CountingScanner>;
  readonly sources: number;
  readonly totals: { readonly bytes: number; readonly lines: number; readonly skippedLines: number };
  readonly errors: SourceFailure[];
  /** monotonicMs() at the start. */
  readonly started: number;
}

/** A part's counts (a scanner's drained). */
const countsOf = (part: PartialCounts | CountingScanner): PartialCounts => ('drain' in part ? part.drain() : part);

/** The result built in JavaScript from every part's counts: when tableRecords() gives none (several sources, `ignore`, no WebAssembly). */
export function buildFromCounts(scanned: ScannedSources, opts: ResolvedScanOptions): BuiltResult {
  return buildResult(scanned.parts.map(countsOf), { top: opts.top, minFailures: opts.minFailures, ignore: opts.ignoreList, maxUsersPerIp: DEFAULT_MAX_USERS_PER_IP });
}

/** The stats of a result made of `scanned` (`seconds`: until now). */
export function scanStats(scanned: ScannedSources, built: { readonly matches: number; readonly addresses: number }): ScanStats {
  return {
    sources: scanned.sources,
    bytes: scanned.totals.bytes,
    lines: scanned.totals.lines,
    matches: built.matches,
    addresses: built.addresses,
    seconds: Math.round(monotonicMs() - scanned.started) / 1000,
    skippedLines: scanned.totals.skippedLines,
  };
}

/**
 * Scans the sources (see scan()); `keepScanners`: a scanner whose counts are in its tables is
 * returned as it is (its counts drained or its JSON written by the caller).
 */
export async function scanSources(sources: ReadonlyArray<ScanSource | string>, opts: ResolvedScanOptions, keepScanners: boolean): Promise<ScannedSources> {
  const started = monotonicMs();
  const resolved: ScanSource[] = [];
  for (const s of sources) {
    if (typeof s === 'string') resolved.push(...(await resolveSources([s], { ...opts.remote, chunkBytes: opts.chunkBytes })));
    else resolved.push(s);
  }
  const totals = { bytes: 0, lines: 0, skippedLines: 0 };
  const errors: SourceFailure[] = [];
  // Every scanner's counts, kept as they are until one result is built from all of them.
  const parts: Array<PartialCounts | CountingScanner> = [];
  const run: SourceRun = {
    opts,
    keepScanners,
    rangeBase: 0,
    add(counts, stats) {
      if (counts) parts.push(counts);
      totals.bytes += stats.bytes;
      totals.lines += stats.lines;
      totals.skippedLines += stats.skippedLines;
    },
  };
  for (const source of resolved) {
    if (opts.signal?.aborted) throw opts.signal.reason;
    const failure = isFileSource(source) && !source.gzip && source.size >= opts.minParallelBytes
      ? await scanFile(source, run)
      : await scanStream(source, run);
    if (failure) {
      errors.push(failure);
      opts.logger?.warn('source failed', { ...failure });
    }
  }
  stopPrestartedWorkers(); // (none taken: no file was split)
  return { parts, sources: resolved.length, totals, errors, started };
}

// What the sources of one scan share: the options, the number of the next file range (ranges are
// numbered across sources, so users come out in the order of the sources, then of their lines)
// and where each scanner's counts go.
interface SourceRun {
  readonly opts: ResolvedScanOptions;
  readonly keepScanners: boolean;
  rangeBase: number;
  add(counts: PartialCounts | CountingScanner | undefined, stats: ScannerStats): void;
}

// How a source's lines are counted: classic times (no year) read against the file's mtime, else now.
function countingOptions(source: ScanSource, opts: ResolvedScanOptions): CountingScannerOptions {
  return {
    maxLineBytes: opts.maxLineBytes,
    maxMemoryBytes: opts.maxMemoryBytes,
    referenceMs: opts.referenceMs ?? (isFileSource(source) ? source.mtimeMs : Date.now()),
    sinceMs: opts.sinceMs,
    untilMs: opts.untilMs,
    kinds: opts.kinds,
  };
}

// A large regular file, in ranges over threads; a failure is reported at the lowest offset only
// (the ranges after a truncation fail too).
async function scanFile(source: FileSource, run: SourceRun): Promise<SourceFailure | undefined> {
  const results = await scanInWorkers(source, run.opts, run.rangeBase, run.keepScanners);
  run.rangeBase += results.ranges;
  for (const r of results.parts) run.add(r.counts ?? r.scanner, r.stats);
  return results.parts.map((r) => r.error).filter((e) => e !== undefined).sort((a, b) => a.byteOffset - b.byteOffset)[0];
}

async function scanStream(source: ScanSource, run: SourceRun): Promise<SourceFailure | undefined> {
  const { opts } = run;
  const scanner = createCountingScanner(countingOptions(source, opts));
  scanner.setRange(run.rangeBase++);
  try {
    for await (const chunk of source.chunks(opts.signal)) {
      scanner.push(chunk);
      opts.onProgress?.(chunk.byteLength);
    }
    const cut = scanner.end();
    return cut > 0 ? cutLineFailure(source.name, scanner.stats.bytes - cut, cut) : undefined;
  } catch (error) {
    if (opts.signal?.aborted) throw error;
    // The line the failure cut is not counted (its address may be cut): never a made-up address.
    // (Full tables stop the scan mid-chunk: its partial line is not the failure's.)
    const partial = scanner.reset();
    const dropped = error instanceof TablesFullError ? 0 : partial;
    const offset = error instanceof SourceError ? error.byteOffset : scanner.stats.bytes;
    const code = isOpsError(error) ? error.code : 'LOG_SCAN_SOURCE_FAILED';
    const message = error instanceof SourceError ? error.message : `${source.name}: ${(error as Error).message} (at byte ${offset})`;
    return { source: source.name, byteOffset: offset, code, message: noteDroppedLine(message, dropped, offset) };
  } finally {
    run.add(run.keepScanners ? scanner : scanner.drain(), scanner.stats);
  }
}

let cachedWorkerScript: URL | null | undefined;

/**
 * The worker entry, one CommonJS file (scripts/bundle.mjs: a worker loads it ~60 ms sooner than
 * the ESM modules): next to this module, or in dist/ when running from the sources (tests).
 */
function workerScript(): URL | null {
  if (cachedWorkerScript !== undefined) return cachedWorkerScript;
  const candidates = [new URL('./scanner/scan-worker.cjs', import.meta.url), new URL('../dist/scanner/scan-worker.cjs', import.meta.url)];
  cachedWorkerScript = candidates.find((u) => existsSync(u)) ?? null;
  return cachedWorkerScript;
}

/**
 * Splits a regular file into newline-aligned ranges of about `rangeBytes` and scans them with the
 * calling thread and `threads - 1` worker threads taking the next range as they finish one;
 * each thread keeps one set of counts. Returns one partial result per thread (the first holds the
 * counts of the threads whose tables it took in: theirs have only their stats); `keepScanner`:
 * the first holds this thread's scanner instead of its counts.
 */
export async function scanInWorkers(source: FileSource, opts: ResolvedScanOptions, rangeBase = 0, keepScanner = false): Promise<{ parts: RangeResult[]; ranges: number }> {
  const fh = await openSourceFile(source.path);
  let ranges: SharedRanges;
  try {
    ranges = shareRanges(splitRangesAt(fh, source.size, splitPoints(source.size, opts.rangeBytes, opts.threads)).filter(([start, end]) => end > start));
  } finally {
    await fh.close();
  }
  const job: FileScanJob = { ...countingOptions(source, opts), path: source.path, chunkBytes: opts.chunkBytes, rangeBase };
  const queue = rangeQueue(ranges);
  const script = workerScript();
  const workerCount = script ? Math.min(opts.threads - 1, ranges.bounds.length / 2 - 1) : 0;
  const module = job.wasm === false ? null : scannerModule();
  // Blocks of the workers' tables posted while they scan: added to this thread's between its ranges.
  const blocks: ArrayBuffer[] = [];
  const workers = Array.from({ length: workerCount }, () => runWorker(script!, { job, ranges, ...(module ? { module } : {}) }, opts, (tables) => blocks.push(tables)));
  stopPrestartedWorkers();
  // Awaited at the end; a worker that fails (or is stopped) early must not leave an unhandled
  // rejection meanwhile, and leaves no range for anyone (this thread stops too).
  const theirs = Promise.all(workers);
  theirs.catch(() => queue.close());
  const onAbort = () => queue.close();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const local = createRangeScanner(job, { yieldBetweenChunks: true });
  try {
    for (let range = queue.take(); range; range = queue.take()) {
      await local.scanRange(range.start, range.end, range.index, opts.onProgress);
      if (local.full) queue.close(); // the file fails at the byte reached: no thread takes another range
      for (const tables of blocks.splice(0)) local.absorb(tables);
    }
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
  // The workers' tables are added to this thread's in WebAssembly: one set of counts to build
  // the result from, not one per thread.
  let others: RangeResult[];
  try {
    opts.signal?.throwIfAborted();
    others = await theirs;
  } catch (error) {
    await local.finish(); // (closes the file)
    throw error;
  }
  for (const tables of blocks.splice(0)) local.absorb(tables);
  for (const r of others) if (r.tables) local.absorb(r.tables);
  const mine = await local.finish(keepScanner ? 'scanner' : 'counts');
  return { parts: [mine, ...others], ranges: ranges.bounds.length / 2 };
}

function runWorker(script: URL, workerJob: WorkerJob, opts: ResolvedScanOptions, onTables: (tables: ArrayBuffer) => void): Promise<RangeResult> {
  return new Promise((resolve, reject) => {
    const worker = startScanWorker(script, workerJob);
    const onAbort = () => void worker.terminate();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    let result: RangeResult | undefined;
    worker.on('message', (msg: FromWorker) => {
      if (msg.type === 'progress') opts.onProgress?.(msg.bytes);
      else if (msg.type === 'tables') onTables(msg.tables);
      else resolve((result = msg.result)); // (its last message: not waiting ~10 ms for the thread to exit)
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      opts.signal?.removeEventListener('abort', onAbort);
      if (opts.signal?.aborted) reject(opts.signal.reason);
      else if (!result) reject(new SourceError(workerJob.job.path, 0, `worker thread exited with code ${code} before finishing its ranges`));
    });
  });
}
