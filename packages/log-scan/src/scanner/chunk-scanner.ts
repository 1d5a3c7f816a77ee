import { createLineMatcher } from '../match/line-matcher.js';
import type { RawMatch } from '../match/match-line.js';
import { createSessionMemory } from '../match/session-memory.js';
import { createPrefilter } from './prefilter.js';
import { createCandidateFinder } from './candidate-lines.js';
import { decodeBytes } from './decode-bytes.js';
import { createLineFramer, type ScannerStats } from './line-framer.js';

/** Options of `createChunkScanner`. */
export interface ChunkScannerOptions {
  /** Source name (for messages). */
  readonly source: string;
  /** Called for each matching line, in order. */
  readonly onMatch: (match: RawMatch, line: number) => void;
  /** Lines longer than this are skipped (counted in `skippedLines`), never buffered whole. */
  readonly maxLineBytes: number;
  /** Epoch ms classic syslog timestamps are read against. */
  readonly referenceMs: number;
  /** Number of the first line (for a byte range that starts mid-file). Defaults to 1. */
  readonly firstLine?: number;
  /** Find candidates with WebAssembly SIMD when available (else one regular-expression pass). Defaults to true. */
  readonly simd?: boolean;
}

/** Running counts of a chunk scanner. */
export type ChunkScannerStats = ScannerStats;

export interface ChunkScanner {
  /** Scans the next bytes of the source; lines may span chunks. */
  push(chunk: Uint8Array): void;
  /** Scans the last line when it has no newline (see `LineFramer.end`: one cut inside its address is not counted, its bytes returned). */
  end(): number;
  /** Drops a partial line (after a failed read), counted as skipped, to go on with another range of lines; returns its bytes. */
  reset(): number;
  readonly stats: ChunkScannerStats;
}

/**
 * The scanner of `events()` (one callback per matching line, with its number): candidate lines
 * come from one SIMD pass of the scanner module (else one regular-expression pass over a latin1
 * view of the chunk); only they are read, by the module's fast path (the code `scan()` counts
 * with), else decoded and matched. A line cut by a chunk boundary is carried over, up to
 * `maxLineBytes`.
 */
export function createChunkScanner(options: ChunkScannerOptions): ChunkScanner {
  const prefilter = createPrefilter();
  const { maxLineBytes, referenceMs, onMatch } = options;
  const finder = options.simd === false ? null : createCandidateFinder(referenceMs);
  const matchLine = createLineMatcher(referenceMs, finder?.sessions ?? createSessionMemory());
  const lineBase = (options.firstLine ?? 1) - 1;
  // Lines before the body being scanned (the framer counts them once the body returns).
  const linesBefore = () => framer.stats.lines;

  // `fast`: the module's reading of the line (undefined: the matchers decide).
  const tryLine = (buf: Buffer, start: number, end: number, lineNo: number, fast?: (start: number, end: number) => RawMatch | undefined) => {
    if (end - start > maxLineBytes) { framer.stats.skippedLines++; return; }
    const failure = fast?.(start, end) ?? matchLine(decodeBytes(buf, start, end));
    if (failure) onMatch(failure, lineBase + lineNo);
  };

  // SIMD candidate lines (exact fingerprint checked), each read by the module's fast path or the
  // matchers; returns the newlines of body.
  const scanBodySimd = (buf: Buffer, start: number, end: number): number => {
    const body = buf.subarray(start, end);
    const before = linesBefore();
    return finder!.find(body, (lineStart, lineEnd, newlinesBefore) => tryLine(body, lineStart, lineEnd, before + newlinesBefore + 1, finder!.readFound));
  };

  // The same without WebAssembly: one regular-expression pass over a latin1 view.
  const scanBodyRegex = (buf: Buffer, start: number, end: number): number => {
    const text = buf.toString('latin1', start, end);
    prefilter.lastIndex = 0;
    let counted = 0; // text offset up to which newlines are counted
    let lines = 0;
    const before = linesBefore();
    let hit: RegExpExecArray | null;
    while ((hit = prefilter.exec(text)) !== null) {
      const lineStart = text.lastIndexOf('\n', hit.index) + 1;
      let lineEnd = text.indexOf('\n', hit.index);
      if (lineEnd === -1) lineEnd = text.length;
      while (counted < lineStart) {
        const nl = text.indexOf('\n', counted);
        if (nl === -1 || nl >= lineStart) break;
        lines++;
        counted = nl + 1;
      }
      tryLine(buf, start + lineStart, start + lineEnd, before + lines + 1);
      prefilter.lastIndex = lineEnd + 1;
    }
    let nl = counted - 1;
    while ((nl = text.indexOf('\n', nl + 1)) !== -1) lines++;
    return lines;
  };

  const framer = createLineFramer(maxLineBytes, {
    body: finder ? scanBodySimd : scanBodyRegex,
    line: (line) => tryLine(line, 0, line.length, linesBefore() + 1, finder ? () => finder.read(line) : undefined),
  });
  return framer;
}
