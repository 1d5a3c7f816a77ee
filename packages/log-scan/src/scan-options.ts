import { availableParallelism } from 'node:os';
import { checkIntegerOption, type Logger, UsageError } from '@ops/core';
import { selectKinds } from './match/kinds.js';
import { parseIgnoreList, type IgnoreList } from './results/ignore-list.js';
import type { RemoteSourceOptions } from './sources/scan-source.js';

/** Options of `scan()` and `events()`. */
export interface ScanOptions {
  /**
   * Threads scanning a large regular file, the calling one included. Defaults to the number of
   * CPUs (`availableParallelism()`), at most 8: past that the scan is bound by memory bandwidth,
   * and each thread costs about 14 MiB (peak RSS stays under 256 MiB).
   */
  readonly threads?: number;
  /** Only failures at or after this time (Date, epoch ms or a string `Date.parse` reads). Defaults to none. */
  readonly since?: Date | number | string;
  /** Only failures before this time. Defaults to none. */
  readonly until?: Date | number | string;
  /** Lines longer than this many bytes are skipped and counted in `stats.skippedLines`. Defaults to 64 KiB. */
  readonly maxLineBytes?: number;
  /** Bytes per read. Defaults to 1 MiB (a read lands in the core's cache, where the scan finds it). */
  readonly chunkBytes?: number;
  /** Bytes of a large file a thread takes at a time (threads that start late or run slower take fewer ranges). Defaults to 16 MiB. */
  readonly rangeBytes?: number;
  /** Files smaller than this are scanned on the calling thread. Defaults to 64 MiB. */
  readonly minParallelBytes?: number;
  /**
   * Most bytes of WebAssembly memory a scanning thread may take (its read area and its tables of
   * addresses, users and pairs); past it the source fails at the byte reached, what was counted
   * is kept. At least 1 MiB; defaults to 4 GiB, what a WebAssembly memory can hold.
   */
  readonly maxMemoryBytes?: number;
  /** Called with the number of bytes just scanned (for a progress bar). Defaults to none. */
  readonly onProgress?: (bytes: number) => void;
  /** Epoch ms classic syslog timestamps (no year) are read against. Defaults to the file's mtime, else now. */
  readonly referenceMs?: number;
  /**
   * Only these kinds (see the README table), suspicious ones included when listed. An unknown
   * kind is a usage error. Defaults to every failure kind.
   */
  readonly kinds?: readonly string[];
  /** Not these kinds. Defaults to none. */
  readonly excludeKinds?: readonly string[];
  /**
   * Also count the suspicious kinds: pre-auth disconnects of an authenticating or invalid user
   * that follow no failure (`sshd-preauth-disconnect`), like fail2ban's aggressive mode.
   * Defaults to false: by default only failed authentications are counted.
   */
  readonly suspicious?: boolean;
  /**
   * Only the `top` addresses with the most failures: the others' users, kinds and times are never
   * made into records (`stats.addresses` still counts them). 0: all. Defaults to 0.
   */
  readonly top?: number;
  /** Only addresses with at least this many failures (also cuts the work). Defaults to 1. */
  readonly minFailures?: number;
  /**
   * Networks left out of the result (an allowlist: your own networks): CIDRs or addresses, IPv4
   * and IPv6, as an array or a comma-separated string (`'10.0.0.0/8,2001:db8::/32'`). Their
   * failures are not in `ips`, `stats.addresses` nor `stats.matches`. Defaults to none.
   */
  readonly ignore?: string | readonly string[];
  /** Options for `s3://` and `kafka://` specs. */
  readonly remote?: RemoteSourceOptions;
  readonly logger?: Logger;
  readonly signal?: AbortSignal;
}

export const DEFAULTS = {
  threads: Math.min(availableParallelism(), 8),
  maxLineBytes: 64 << 10,
  chunkBytes: 1 << 20,
  rangeBytes: 16 << 20,
  minParallelBytes: 64 << 20,
  top: 0,
  minFailures: 1,
} as const;

/** Options with defaults filled and validated, times as epoch ms. */
export interface ResolvedScanOptions extends Omit<ScanOptions, 'since' | 'until' | 'kinds'> {
  /** The kinds counted, from `kinds`, `excludeKinds` and `suspicious`. */
  readonly kinds: readonly string[];
  readonly threads: number;
  readonly maxLineBytes: number;
  readonly chunkBytes: number;
  readonly rangeBytes: number;
  readonly minParallelBytes: number;
  readonly top: number;
  readonly minFailures: number;
  readonly ignoreList?: IgnoreList;
  readonly sinceMs?: number;
  readonly untilMs?: number;
}

/** Fills the defaults and checks every option, naming the bad one. */
export function resolveScanOptions(options: ScanOptions = {}): ResolvedScanOptions {
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as ScanOptions;
  const merged = { ...DEFAULTS, ...defined };
  for (const key of ['threads', 'maxLineBytes', 'chunkBytes', 'rangeBytes'] as const) checkIntegerOption(merged[key], key, { min: 1 });
  checkIntegerOption(merged.minParallelBytes, 'minParallelBytes');
  checkIntegerOption(merged.top, 'top');
  checkIntegerOption(merged.minFailures, 'minFailures', { min: 1 });
  if (merged.maxMemoryBytes !== undefined) checkIntegerOption(merged.maxMemoryBytes, 'maxMemoryBytes', { min: 2 ** 20 });
  const ignoreList = merged.ignore === undefined ? undefined : parseIgnoreList(merged.ignore);
  return { ...merged, kinds: selectKinds(merged), ignoreList, sinceMs: toMs(options.since, 'since'), untilMs: toMs(options.until, 'until') };
}

function toMs(value: Date | number | string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (Number.isNaN(ms)) throw new UsageError(`Expected \`${name}\` to be a date (e.g. 2024-11-19T10:00:00Z), got "${String(value)}"`);
  return ms;
}
