import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onCleanup } from './cleanup.js';
import { freePort } from './free-port.js';
import { startServiceProcess } from './service-process.js';
import { makeTempDir } from './temp-dir.js';
import { waitFor } from './wait-for.js';
import { requireCommand } from './which.js';

export interface PrometheusOptions {
  /** Configuration YAML to run with. One of `config` or `configFile` is required. */
  readonly config?: string;
  /** Path of an existing configuration file. */
  readonly configFile?: string;
  /** Rule files to list under `rule_files` (only with `config`, which must not have its own `rule_files`). Defaults to none. */
  readonly rulesFiles?: readonly string[];
  /** How long to wait for `/-/ready`. Defaults to 60s. */
  readonly readyTimeoutMs?: number;
}

/** One series of an instant query result. */
export interface PrometheusSample {
  readonly metric: Record<string, string>;
  readonly value: number;
}

/** One active scrape target from `/api/v1/targets`. */
export interface PrometheusTarget {
  readonly scrapeUrl: string;
  readonly health: 'up' | 'down' | 'unknown';
  readonly labels: Record<string, string>;
  readonly lastError: string;
}

export interface StartedPrometheus {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Runs an instant query; throws on an API error. */
  query(promql: string): Promise<PrometheusSample[]>;
  /** The active scrape targets. */
  targets(): Promise<PrometheusTarget[]>;
  /** Everything Prometheus logged so far. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts Debian's `prometheus` (installed when missing) on a free loopback port with its TSDB in
 * a temporary directory, and waits for `/-/ready`. Stopped at process exit if the test forgets.
 */
export async function startPrometheus(options: PrometheusOptions): Promise<StartedPrometheus> {
  if (!options.config === !options.configFile) throw new Error('startPrometheus: pass one of `config` or `configFile`');
  if (options.rulesFiles?.length && options.configFile) throw new Error('startPrometheus: `rulesFiles` goes with `config`; list rule files in your `configFile` instead');
  const binary = await requireCommand('prometheus', 'prometheus');
  const dir = makeTempDir('ops-prometheus-');
  let configFile = options.configFile;
  if (!configFile) {
    let config = options.config!;
    if (options.rulesFiles?.length) config += `\nrule_files:\n${options.rulesFiles.map((f) => `  - ${JSON.stringify(f)}`).join('\n')}\n`;
    configFile = join(dir.path, 'prometheus.yml');
    writeFileSync(configFile, config);
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = startServiceProcess({
    name: 'prometheus',
    command: binary,
    args: [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir.path, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-lifecycle',
      '--log.level=warn',
    ],
  });
  const unregister = onCleanup(() => dir.remove());
  const stop = async () => {
    await proc.stop();
    unregister();
    dir.remove();
  };
  try {
    await waitFor('prometheus /-/ready', async () => (await fetch(`${url}/-/ready`)).ok, { timeoutMs: options.readyTimeoutMs ?? 60_000, intervalMs: 100, failIf: proc.exited });
  } catch (error) {
    await stop();
    throw error;
  }

  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${url}${path}`);
    const body = (await res.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`prometheus ${path}: ${body.error ?? res.status}`);
    return body.data;
  };
  return {
    url,
    async query(promql) {
      const data = await api<{ resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> }>(`/api/v1/query?query=${encodeURIComponent(promql)}`);
      if (data.resultType !== 'vector') throw new Error(`prometheus query ${promql}: expected a vector, got ${data.resultType}`);
      return data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
    },
    async targets() {
      const data = await api<{ activeTargets: PrometheusTarget[] }>('/api/v1/targets?state=active');
      return data.activeTargets.map((t) => ({ scrapeUrl: t.scrapeUrl, health: t.health, labels: t.labels, lastError: t.lastError }));
    },
    output: proc.output,
    stop,
  };
}
