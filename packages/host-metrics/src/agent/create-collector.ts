import { collectDefaultMetrics, Counter, type Registry } from 'prom-client';
import { cgroupCollector } from '../collectors/cgroup.js';
import { cpuCollector } from '../collectors/cpu.js';
import { diskCollector } from '../collectors/disk.js';
import type { HostCollector } from '../collectors/host-collector.js';
import { loadCollector } from '../collectors/load.js';
import { memoryCollector } from '../collectors/memory.js';
import { networkCollector } from '../collectors/network.js';
import { MetricsError } from '../errors.js';
import { resolveCollectorOptions, type CollectorOptions } from './collector-options.js';
import { sampledGauge } from '../collectors/sampled-gauge.js';
import { registerBuildInfo } from './build-info.js';
import { collectorHealth, type TrackedCollector } from './collector-health.js';

export const SAMPLER_METRICS = {
  errors: 'host_metrics_collect_errors_total',
  lastSample: 'host_metrics_last_sample_timestamp_seconds',
  duration: 'host_metrics_collect_duration_seconds',
} as const;

/** prom-client defaults that are gauges with a `_total` suffix. */
const MISNAMED_DEFAULT_METRICS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/** The sampler: runs every collector each interval and keeps the results in `registry`. */
export interface HostMetricsCollector {
  /** Holds the latest sample; serve it with `createMetricsServer`. */
  readonly registry: Registry;
  readonly intervalMs: number;
  /** Names of the collectors sampled. */
  readonly collectors: readonly string[];
  /** True once a first sample completed and no required collector (cpu, memory) is failing. */
  isReady(): boolean;
  /** Why the collector is not ready, or undefined when it is. */
  notReadyReason(): string | undefined;
  /** Samples completed so far. */
  sampleCount(): number;
  /** Runs every collector once now (each bounded by its timeout). */
  sampleOnce(): Promise<void>;
  /** Samples now, then every interval, until `stop()` or `signal` aborts. */
  start(signal?: AbortSignal): void;
  /** Stops the sampling and abandons collectors still running. */
  stop(): Promise<void>;
}

/** Creates the sampler (not started). */
export function createCollector(options: CollectorOptions = {}): HostMetricsCollector {
  const o = resolveCollectorOptions(options);
  const { registry } = o;
  const ctx = { registry, procRoot: o.procRoot };
  const factories: Array<(c: typeof ctx) => HostCollector> = [cpuCollector, memoryCollector, loadCollector];
  if (o.disk) factories.push(diskCollector);
  if (o.network) factories.push(networkCollector);
  if (o.cgroup !== false && process.platform === 'linux') factories.push(cgroupCollector({ cgroupRoot: o.cgroupRoot, cgroup: o.cgroup }));
  factories.push(...o.collectors);
  // Each collector owns the metrics it registered: those leave the exposition while it fails.
  const tracked: TrackedCollector[] = [];
  const collectors = factories.map((make) => {
    const before = new Set(registry.getMetricsAsArray());
    const c = make(ctx);
    tracked.push({ name: c.name, required: c.required ?? false, metrics: registry.getMetricsAsArray().filter((m) => !before.has(m)) as unknown as TrackedCollector['metrics'] });
    return c;
  });
  const health = collectorHealth(registry, tracked);
  // Event-loop delay sampled every second, not every 10ms: the 10ms timer alone would cost an idle
  // agent more CPU than node_exporter spends.
  if (o.processMetrics) {
    collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 1000 });
    // Gauges named like counters fail `promtool check metrics`; the per-type gauges without the
    // suffix (nodejs_active_handles{type}) stay.
    for (const name of MISNAMED_DEFAULT_METRICS) registry.removeSingleMetric(name);
  }

  registerBuildInfo(registry);
  const errors = new Counter({ name: SAMPLER_METRICS.errors, help: 'Samples in which a collector failed or timed out.', labelNames: ['collector'], registers: [registry] });
  const lastSample = sampledGauge({ name: SAMPLER_METRICS.lastSample, help: 'Unix time at which the latest sample completed.', registers: [registry] });
  const duration = sampledGauge({ name: SAMPLER_METRICS.duration, help: 'Seconds each collector took in the latest sample.', labelNames: ['collector'], registers: [registry] });
  for (const c of collectors) errors.inc({ collector: c.name }, 0);

  const busy = new Set<string>();
  const lifetime = new AbortController();
  let samples = 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const runOne = async (c: HostCollector): Promise<void> => {
    if (busy.has(c.name)) {
      // Still stuck in an earlier sample: do not pile up more calls.
      errors.inc({ collector: c.name });
      health.failed(c.name);
      o.onError(c.name, new MetricsError('METRICS_COLLECT_TIMEOUT', `collector ${c.name} is still running from an earlier sample; its series are dropped until it completes`, { context: { collector: c.name } }));
      return;
    }
    busy.add(c.name);
    const controller = new AbortController();
    const started = performance.now();
    let timeout: NodeJS.Timeout | undefined;
    let onStop: (() => void) | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timeout = setTimeout(() => {
        controller.abort();
        reject(new MetricsError('METRICS_COLLECT_TIMEOUT', `collector ${c.name} took longer than ${o.timeoutMs}ms; its series are dropped until it succeeds again`, { context: { collector: c.name } }));
      }, o.timeoutMs);
      // stop() does not wait for a collector that ignores its signal.
      onStop = () => reject(new Error('sampler stopped'));
      lifetime.signal.addEventListener('abort', onStop, { once: true });
    });
    const work = Promise.resolve().then(() => c.collect(AbortSignal.any([controller.signal, lifetime.signal])));
    work.then(
      () => busy.delete(c.name),
      () => busy.delete(c.name),
    );
    try {
      await Promise.race([work, timedOut]);
      duration.set({ collector: c.name }, (performance.now() - started) / 1000);
      health.succeeded(c.name);
    } catch (error) {
      if (lifetime.signal.aborted) return;
      errors.inc({ collector: c.name });
      health.failed(c.name);
      o.onError(c.name, error instanceof MetricsError ? error : new MetricsError('METRICS_COLLECT_FAILED', `collector ${c.name} failed: ${(error as Error)?.message ?? String(error)}`, { cause: error, context: { collector: c.name } }));
    } finally {
      clearTimeout(timeout);
      if (onStop) lifetime.signal.removeEventListener('abort', onStop);
      timedOut.catch(() => undefined);
    }
  };

  const sampleOnce = async (): Promise<void> => {
    await Promise.all(collectors.map(runOne));
    if (lifetime.signal.aborted) return;
    lastSample.set(Date.now() / 1000);
    samples++;
  };

  const tick = (): void => {
    if (lifetime.signal.aborted) return;
    const started = Date.now();
    running = sampleOnce().finally(() => {
      running = undefined;
      if (lifetime.signal.aborted) return;
      timer = setTimeout(tick, Math.max(0, o.intervalMs - (Date.now() - started)));
      // The sampler alone does not keep a process alive; the server (or the caller) does.
      timer.unref();
    });
  };

  const stop = async (): Promise<void> => {
    lifetime.abort();
    clearTimeout(timer);
    await running;
  };

  return {
    registry,
    intervalMs: o.intervalMs,
    collectors: collectors.map((c) => c.name),
    isReady: () => samples > 0 && health.failingRequired() === undefined,
    notReadyReason: () => (samples === 0 ? 'waiting for the first sample' : health.failingRequired()),
    sampleCount: () => samples,
    sampleOnce,
    start(signal) {
      if (timer || running) return;
      signal?.addEventListener('abort', () => void stop(), { once: true });
      tick();
    },
    stop,
  };
}
