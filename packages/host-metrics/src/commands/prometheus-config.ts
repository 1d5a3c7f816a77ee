import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseCliArgs, parseDuration, UsageError, writeFileAtomic, type CliContext } from '@ops/core';
import { parseInventory } from '../fleet/parse-inventory.js';
import { buildFileSdTargets, buildPrometheusConfig } from '../fleet/prometheus-config.js';
import { COLLECTOR_DEFAULTS } from '../agent/collector-options.js';
import { buildDashboard } from '../fleet/dashboard.js';
import { buildRulesFile } from '../fleet/rules-file.js';

export const PROMETHEUS_CONFIG_HELP = `Usage: host-metrics prometheus-config --inventory hosts.txt [options]

Prints (or writes) a Prometheus configuration that scrapes the agents listed in the
inventory (one host[:port] a line, default port 9100, # comments). It starts as is:
prometheus --config.file FILE.

Options:
  --inventory FILE          the hosts (required)
  --agent-interval D        the agents' --interval (default: 5s, the agent's default)
  --scrape-interval D       scrape and rule evaluation interval (default: the agent
                            interval, so every sample is stored once)
  --job NAME                scrape job name (default: host-metrics)
  --file-sd FILE            write the targets to FILE (file_sd JSON) and reference it
                            instead of listing them in the config
  --rules-file FILE         write fleet recording rules and alerts (HostDown,
                            HostCpuSaturated, HostMemoryPressure, HostCollectorFailing,
                            HostMetricsStale) to FILE and reference it
  --no-alerts               rules: recording rules only
  --dashboard FILE          write a Grafana dashboard (JSON) for the rules to FILE
  --cpu-threshold R         rules: a host is busy above this CPU ratio (default: 0.9)
  --memory-threshold R      rules: a host is short of memory above this ratio (default: 0.9)
  --output FILE             write the configuration to FILE instead of stdout
`;

/** `host-metrics prometheus-config`. */
export async function prometheusConfigCommand(argv: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCliArgs(argv, {
    inventory: { type: 'string' },
    'scrape-interval': { type: 'string' },
    'agent-interval': { type: 'string' },
    'no-alerts': { type: 'boolean' },
    dashboard: { type: 'string' },
    job: { type: 'string' },
    'file-sd': { type: 'string' },
    'rules-file': { type: 'string' },
    'cpu-threshold': { type: 'string' },
    'memory-threshold': { type: 'string' },
    output: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    ctx.stdout.write(PROMETHEUS_CONFIG_HELP);
    return 0;
  }
  if (positionals.length) throw new UsageError(`prometheus-config takes no arguments, got "${positionals.join(' ')}"`, { hint: 'pass the hosts with --inventory FILE' });
  if (!values.inventory) throw new UsageError('`--inventory` is required', { hint: 'host-metrics prometheus-config --inventory hosts.txt' });
  let text: string;
  try {
    text = await readFile(values.inventory, { encoding: 'utf8', signal: ctx.signal });
  } catch (error) {
    throw new UsageError(`cannot read the inventory ${values.inventory}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error, hint: 'check the --inventory path' });
  }
  const targets = parseInventory(text, values.inventory);
  const agentIntervalMs = values['agent-interval'] === undefined ? COLLECTOR_DEFAULTS.interval : parseDuration(values['agent-interval'], { name: '--agent-interval' });
  const scrapeIntervalMs = values['scrape-interval'] === undefined ? agentIntervalMs : parseDuration(values['scrape-interval'], { name: '--scrape-interval' });
  if (scrapeIntervalMs > agentIntervalMs) ctx.logger.warn('the scrape interval is longer than the agent interval: some samples are never stored', { scrapeIntervalMs, agentIntervalMs });
  const fileSd = values['file-sd'] === undefined ? undefined : resolve(values['file-sd']);
  const rulesFile = values['rules-file'] === undefined ? undefined : resolve(values['rules-file']);
  const config = buildPrometheusConfig({ targets, scrapeIntervalMs, job: values.job, fileSd, ruleFiles: rulesFile ? [rulesFile] : [] });

  if (fileSd) await writeFileAtomic(fileSd, buildFileSdTargets(targets));
  if (rulesFile) {
    const rules = buildRulesFile({
      job: values.job,
      cpuThreshold: ratio(values['cpu-threshold'], '--cpu-threshold'),
      memoryThreshold: ratio(values['memory-threshold'], '--memory-threshold'),
      sampleIntervalMs: agentIntervalMs,
      alerts: !values['no-alerts'],
    });
    await writeFileAtomic(rulesFile, rules);
  }
  if (values.dashboard) await writeFileAtomic(values.dashboard, buildDashboard({ job: values.job }));
  if (values.output) {
    await writeFileAtomic(values.output, config);
    ctx.logger.info('wrote Prometheus configuration', { output: values.output, targets: targets.length, fileSd, rulesFile });
  } else {
    ctx.stdout.write(config);
  }
  return 0;
}

function ratio(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new UsageError(`Expected \`${flag}\` to be a ratio from 0 to 1, got "${value}"`);
  return n;
}
