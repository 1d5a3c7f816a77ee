import type { IpRecord } from './aggregate.js';

/** Totals of a scan, as printed in `stats` by `--format json`. */
export interface ScanStats {
  /** Sources scanned (including failed ones). */
  readonly sources: number;
  /** Bytes read (decompressed for gzip). */
  readonly bytes: number;
  readonly lines: number;
  /** Failures counted (the sum of every IP's count, `top` or not; ignored networks left out). */
  readonly matches: number;
  /** Distinct addresses found (after `ignore` and `minFailures`, before `top`: `ips` may list fewer). */
  readonly addresses: number;
  readonly seconds: number;
  /** Lines longer than `maxLineBytes`, skipped. */
  readonly skippedLines: number;
}

/** A source that could not be read to its end: what was read before `byteOffset` is counted. */
export interface SourceFailure {
  readonly source: string;
  readonly byteOffset: number;
  readonly code: string;
  readonly message: string;
}

/** What `scan()` returns and `log-scan --format json` prints. */
export interface ScanResult {
  /** One record per IP, by count descending, then address (code-unit order). */
  readonly ips: IpRecord[];
  readonly stats: ScanStats;
  /** Sources that failed part-way (the CLI exits 3 when there is any). */
  readonly errors: SourceFailure[];
}
