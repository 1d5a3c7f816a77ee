import { createRequire } from 'node:module';
import { Gauge, type Registry } from 'prom-client';

export const BUILD_INFO_METRIC = 'host_metrics_build_info';

/** This package's version (from its package.json, beside `src/` and `dist/`). */
export const AGENT_VERSION: string = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

/** `host_metrics_build_info{version, nodejs_version} 1`, node_exporter's `*_build_info` convention. */
export function registerBuildInfo(registry: Registry): void {
  const info = new Gauge({ name: BUILD_INFO_METRIC, help: 'The agent build: version of @ops/host-metrics and of Node.js (value 1).', labelNames: ['version', 'nodejs_version'], registers: [registry] });
  info.set({ version: AGENT_VERSION, nodejs_version: process.versions.node }, 1);
}
