import { hasCode, parseCliArgs, parseDuration, resolveOutputFormat, sleep, UsageError, type CliContext } from '@ops/core';
import { fetchFleetStatus } from '../fleet/fleet-status.js';
import { createPrometheusApi } from '../fleet/prometheus-api.js';
import { fleetToJson, renderFleetTable } from '../fleet/render-fleet.js';

export const TOP_HELP = `Usage: host-metrics top --prometheus URL [options]

Prints the fleet (hosts by CPU, memory, up/down) from Prometheus's HTTP API, once or
refreshing with --watch. Exit code 1 when a host is down (without --watch).

Options:
  --prometheus URL          Prometheus base URL, e.g. http://prometheus:9090 (required)
  --job NAME                scrape job of the agents (default: host-metrics)
  --watch                   refresh until interrupted
  --interval D              refresh interval with --watch (default: 5s)
  --format FORMAT           table or json (default: table)
`;

/** `host-metrics top`. */
export async function topCommand(argv: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCliArgs(argv, {
    prometheus: { type: 'string' },
    job: { type: 'string' },
    watch: { type: 'boolean' },
    interval: { type: 'string' },
    format: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    ctx.stdout.write(TOP_HELP);
    return 0;
  }
  if (positionals.length) throw new UsageError(`top takes no arguments, got "${positionals.join(' ')}"`, { hint: 'pass Prometheus with --prometheus URL' });
  if (!values.prometheus) throw new UsageError('`--prometheus` is required', { hint: 'host-metrics top --prometheus http://localhost:9090' });
  if (!URL.canParse(values.prometheus) || !/^https?:$/.test(new URL(values.prometheus).protocol)) {
    throw new UsageError(`Expected \`--prometheus\` to be an http(s) URL, got "${values.prometheus}"`);
  }
  const format = resolveOutputFormat(values.format, ['table', 'json'], { tty: 'table', pipe: 'table' }, ctx.stdout);
  const intervalMs = parseDuration(values.interval ?? '5s', { name: '--interval' });
  const render = format === 'json' ? fleetToJson : renderFleetTable;
  // Watching: the breaker's cool-down is a little under one refresh, so every refresh while
  // Prometheus is away probes it (half-open) and the first one after it is back shows the fleet
  // again. (Not the interval itself: the sleep starts after the breaker opened, but a timer may
  // fire a millisecond before Date.now() says the interval has passed, and the refresh would
  // then fail fast on a circuit still open.)
  const api = createPrometheusApi(values.prometheus, { logger: ctx.logger, breakerCooldown: values.watch ? watchCooldown(intervalMs) : undefined });

  if (!values.watch) {
    const hosts = await fetchFleetStatus(api, { job: values.job, signal: ctx.signal });
    ctx.stdout.write(render(hosts));
    return hosts.some((h) => !h.up) || hosts.length === 0 ? 1 : 0;
  }
  for (;;) {
    try {
      const hosts = await fetchFleetStatus(api, { job: values.job, signal: ctx.signal });
      // Clear the screen on a terminal; in a pipe, one table after another.
      ctx.stdout.write(`${ctx.stdout.isTTY ? '\x1b[H\x1b[2J' : ''}${new Date().toISOString()}\n${render(hosts)}\n`);
    } catch (error) {
      // Watching outlives a Prometheus restart: report and try again next round.
      if (ctx.signal.aborted || !hasCode(error, 'METRICS_PROMETHEUS_UNREACHABLE')) throw error;
      ctx.logger.warn('Prometheus unreachable; retrying', { error: error.message });
    }
    try {
      await sleep(intervalMs, ctx.signal);
    } catch {
      return 0;
    }
  }
}

/** The breaker's cool-down while watching: the refresh interval less a tenth of it (100 ms at most). */
export function watchCooldown(intervalMs: number): number {
  return Math.max(0, intervalMs - Math.min(100, intervalMs / 10));
}
