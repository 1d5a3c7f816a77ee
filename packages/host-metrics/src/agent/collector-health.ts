import type { Registry } from 'prom-client';
import { sampledGauge } from '../collectors/sampled-gauge.js';

export const HEALTH_METRICS = {
  up: 'host_collector_up',
  lastSuccess: 'host_collector_last_success_timestamp_seconds',
} as const;

/** What the sampler knows of one collector: its name, whether readiness needs it, its series. */
export interface TrackedCollector {
  readonly name: string;
  readonly required: boolean;
  /** The metrics the collector registered: dropped from the exposition while it fails. */
  readonly metrics: ReadonlyArray<{ reset(): void; remove(...values: string[]): void; readonly labelNames?: readonly string[] }>;
}

/** Up/down state per collector, as metrics and as the readiness answer. */
export interface CollectorHealth {
  succeeded(name: string): void;
  /** Marks the collector down and drops its series, so a stale value is never served as fresh. */
  failed(name: string): void;
  /** Why the agent is not ready (a required collector down), or undefined. */
  failingRequired(): string | undefined;
}

/**
 * `host_collector_up{collector}` (1 when the latest attempt succeeded) and
 * `host_collector_last_success_timestamp_seconds{collector}`; a failed or late collector's own
 * series leave the exposition until it succeeds again.
 */
export function collectorHealth(registry: Registry, collectors: readonly TrackedCollector[]): CollectorHealth {
  const up = sampledGauge({ name: HEALTH_METRICS.up, help: 'Whether the collector succeeded in the latest sample (1) or failed or ran late (0); its series are absent while 0.', labelNames: ['collector'], registers: [registry] });
  const lastSuccess = sampledGauge({ name: HEALTH_METRICS.lastSuccess, help: 'Unix time of the collector\'s latest successful sample.', labelNames: ['collector'], registers: [registry] });
  const byName = new Map(collectors.map((c) => [c.name, c]));
  const down = new Set<string>();
  return {
    succeeded(name) {
      down.delete(name);
      up.set({ collector: name }, 1);
      lastSuccess.set({ collector: name }, Date.now() / 1000);
    },
    failed(name) {
      down.add(name);
      up.set({ collector: name }, 0);
      for (const metric of byName.get(name)?.metrics ?? []) {
        metric.reset();
        // reset() leaves an unlabelled metric at 0; remove() takes that series out too.
        if (!metric.labelNames?.length) metric.remove();
      }
    },
    failingRequired() {
      const failing = collectors.filter((c) => c.required && down.has(c.name)).map((c) => c.name);
      return failing.length ? `required collector(s) failing: ${failing.join(', ')} (see host_collector_up and the agent's log)` : undefined;
    },
  };
}
