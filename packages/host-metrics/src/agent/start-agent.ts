import type { CollectorOptions } from './collector-options.js';
import { createCollector, type HostMetricsCollector } from './create-collector.js';
import { createMetricsServer, type MetricsServer } from './metrics-server.js';
import type { WebConfig } from './web-config.js';

/** Options of `startAgent`: the collector's plus where to listen. */
export interface AgentOptions extends CollectorOptions {
  /** TCP port; 0 picks a free one. Defaults to 9100. */
  readonly port?: number;
  /** Address to listen on. Defaults to `0.0.0.0`. */
  readonly host?: string;
  /** TLS and basic auth for every endpoint (`loadWebConfig` reads node_exporter's format). Defaults to plain HTTP without auth. */
  readonly webConfig?: WebConfig;
  /** Stops the agent when aborted (e.g. runCli's signal on SIGTERM). Defaults to none. */
  readonly signal?: AbortSignal;
}

/** A running agent: sampler plus HTTP endpoint. */
export interface Agent {
  readonly url: string;
  readonly port: number;
  readonly collector: HostMetricsCollector;
  /** Resolves when the agent stopped (after `stop()` or the signal). */
  readonly stopped: Promise<void>;
  stop(): Promise<void>;
}

/** Starts sampling and serving: `/metrics`, `/healthz`, `/readyz`. */
export async function startAgent(options: AgentOptions = {}): Promise<Agent> {
  const collector = createCollector(options);
  const server: MetricsServer = await createMetricsServer({
    registry: collector.registry,
    port: options.port,
    host: options.host,
    webConfig: options.webConfig,
    isReady: collector.isReady,
    notReadyReason: collector.notReadyReason,
    generation: collector.sampleCount,
  });
  collector.start();
  let resolveStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await server.close();
      await collector.stop();
      resolveStopped();
    })());
  if (options.signal?.aborted) await stop();
  else options.signal?.addEventListener('abort', () => void stop(), { once: true });
  return { url: server.url, port: server.port, collector, stopped, stop };
}
