import type { Registry } from 'prom-client';

/**
 * One source of host metrics. `collect` reads the system and updates the collector's own
 * metrics; it must not touch them once `signal` is aborted (the sampler gave up on it).
 */
export interface HostCollector {
  /** The `collector` label of `host_metrics_collect_errors_total`. */
  readonly name: string;
  /** The agent is not ready (`/readyz` 503) while a required collector fails. Defaults to false. */
  readonly required?: boolean;
  collect(signal: AbortSignal): Promise<void>;
}

/** What a collector factory receives. */
export interface CollectorContext {
  readonly registry: Registry;
  /** Where procfs is mounted. Defaults to /proc. */
  readonly procRoot: string;
}

/** Makes a collector whose metrics live in `ctx.registry`. */
export type CollectorFactory = (ctx: CollectorContext) => HostCollector;
