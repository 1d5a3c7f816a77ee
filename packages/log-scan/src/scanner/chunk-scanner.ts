import { matchLineRaw, type RawMatch } from '../match/match-line.js';
import { createFastMatcher } from '../match/fast-match.js';
import { createPrefilter } from './prefilter.js';
import { FINGERPRINTS } from './fingerprints.js';
import { createCandidateFinder } from './teddy.js';
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
  /** Scans the last line when it has no newline. */
  end(): void;
  /** Drops a partial line (after a failed read), to go on with another range of lines. */
  reset(): void;
  readonly stats: ChunkScannerStats;
}

const NL = 10;

// The exact fingerprints as 24-bit numbers: the SIMD pass also flags near misses (nibble tables).
const FINGERPRINT_CODES = new Set(FINGERPRINTS.map((f) => (f.charCodeAt(0) << 16) | (f.charCodeAt(1) << 8) | f.charCodeAt(2)));

/**
 * The hot loop: finds candidate lines with one prefilter pass over each chunk (viewed as latin1)
 * and counts newlines with `indexOf`; only candidate lines are decoded (UTF-8) and matched. A
 * line cut by a chunk boundary is carried over, up to `maxLineBytes`.
 */
export function createChunkScanner(options: ChunkScannerOptions): ChunkScanner {
  const prefilter = createPrefilter();
  const finder = options.simd === false ? null : createCandidateFinder();
  const { maxLineBytes, referenceMs, onMatch } = options;
  const lineBase = (options.firstLine ?? 1) - 1;
  const fast = createFastMatcher(referenceMs);
  // Lines before the body being scanned (the framer counts them once the body returns).
  const linesBefore = () => framer.stats.lines;

  const tryLine = (buf: Buffer, start: number, end: number, lineNo: number) => {
    if (end - start > maxLineBytes) { framer.stats.skippedLines++; return; }
    const failure = fast(buf, start, end) ?? matchLineRaw(buf.toString('utf8', start, end), referenceMs);
    if (failure) onMatch(failure, lineBase + lineNo);
  };

  // SIMD candidates, then each candidate line; returns the newlines of body.
  const scanBodySimd = (buf: Buffer, start: number, end: number): number => {
    const body = buf.subarray(start, end);
    const before = linesBefore();
    let lastLineStart = -1;
    return finder!.find(body, (offset, newlinesBefore) => {
      if (!FINGERPRINT_CODES.has((body[offset]! << 16) | (body[offset + 1]! << 8) | body[offset + 2]!)) return;
      const lineStart = body.lastIndexOf(NL, offset) + 1;
      if (lineStart === lastLineStart) return;
      lastLineStart = lineStart;
      let lineEnd = body.indexOf(NL, offset);
      if (lineEnd === -1) lineEnd = body.length;
      tryLine(body, lineStart, lineEnd, before + newlinesBefore + 1);
    });
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
    line: (line) => tryLine(line, 0, line.length, linesBefore() + 1),
  });
  return framer;
}
