import { parseDuration } from '@ops/core';
import { Registry } from 'prom-client';
import type { HostCollector } from '../collectors/host-collector.js';
import { invalidOption } from '../errors.js';
import { withoutUndefined } from '../without-undefined.js';

/** Options of `createCollector`. */
export interface CollectorOptions {
  /** How often to sample: milliseconds or a duration such as `5s`. Defaults to 5s. */
  readonly interval?: number | string;
  /** Longest a single collector may take before it is abandoned and counted as an error: ms or a duration. Defaults to 2s or the interval, whichever is shorter; more than the interval is an error. */
  readonly collectorTimeout?: number | string;
  /** Also collect filesystem sizes and disk I/O. Defaults to false. */
  readonly disk?: boolean;
  /** Also collect network interface counters. Defaults to false. */
  readonly network?: boolean;
  /** Add prom-client's process metrics (`process_*`, `nodejs_*`) of the agent itself. Defaults to true. */
  readonly processMetrics?: boolean;
  /** Where procfs is mounted (e.g. `/host/proc` in a container). Defaults to `/proc`. */
  readonly procRoot?: string;
  /** Report this cgroup's limits (a path such as `/kubepods/pod1/abc`); `false` turns the cgroup collector off. Defaults to the agent's own cgroup (from /proc/self/cgroup). */
  readonly cgroup?: string | false;
  /** Where cgroupfs is mounted (v1 with one directory per controller, or v2 unified). Defaults to `/sys/fs/cgroup`. */
  readonly cgroupRoot?: string;
  /** Registry to register the metrics in. Defaults to a new one. */
  readonly registry?: Registry;
  /** More collectors, sampled like the built-in ones. Defaults to none. */
  readonly collectors?: ReadonlyArray<(ctx: { registry: Registry; procRoot: string }) => HostCollector>;
  /** Called when a collector fails or times out. Defaults to doing nothing. */
  readonly onError?: (collector: string, error: unknown) => void;
}

export const COLLECTOR_DEFAULTS = {
  interval: 5000,
  collectorTimeout: 2000,
  disk: false,
  network: false,
  processMetrics: true,
  procRoot: '/proc',
  cgroupRoot: '/sys/fs/cgroup',
} as const;

export interface ResolvedCollectorOptions {
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly disk: boolean;
  readonly network: boolean;
  readonly processMetrics: boolean;
  readonly procRoot: string;
  readonly cgroup: string | false | undefined;
  readonly cgroupRoot: string;
  readonly registry: Registry;
  readonly collectors: NonNullable<CollectorOptions['collectors']>;
  readonly onError: NonNullable<CollectorOptions['onError']>;
}

/** Fills the defaults and validates, naming the bad option. */
export function resolveCollectorOptions(options: CollectorOptions = {}): ResolvedCollectorOptions {
  const o = { ...COLLECTOR_DEFAULTS, ...withoutUndefined(options) };
  const intervalMs = toMs(o.interval, 'interval');
  if (intervalMs < 100) throw invalidOption('interval', 'at least 100ms', o.interval);
  if (typeof options.cgroup === 'string' && !options.cgroup.startsWith('/')) throw invalidOption('cgroup', 'an absolute cgroup path such as /kubepods/pod1 (or false)', options.cgroup);
  const explicit = options.collectorTimeout !== undefined;
  const timeoutMs = explicit ? toMs(o.collectorTimeout, 'collectorTimeout') : Math.min(COLLECTOR_DEFAULTS.collectorTimeout, intervalMs);
  if (timeoutMs <= 0) throw invalidOption('collectorTimeout', 'a positive duration', o.collectorTimeout);
  // A longer timeout would let one collector's sample overlap the next.
  if (timeoutMs > intervalMs) throw invalidOption('collectorTimeout', `at most the interval (${intervalMs}ms)`, o.collectorTimeout);
  return {
    intervalMs,
    timeoutMs,
    disk: o.disk,
    network: o.network,
    processMetrics: o.processMetrics,
    procRoot: o.procRoot,
    cgroup: options.cgroup,
    cgroupRoot: o.cgroupRoot,
    registry: o.registry ?? new Registry(),
    collectors: o.collectors ?? [],
    onError: o.onError ?? (() => undefined),
  };
}

function toMs(value: number | string, name: string): number {
  try {
    return parseDuration(value, { name, defaultUnit: 'ms' });
  } catch {
    throw invalidOption(name, 'a duration such as 5s or a number of milliseconds', value);
  }
}
