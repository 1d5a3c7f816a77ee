import { parseCliArgs, parseDuration, UsageError, type CliContext } from '@ops/core';
import { COLLECTOR_DEFAULTS } from '../agent/collector-options.js';
import { startAgent } from '../agent/start-agent.js';
import { loadWebConfig } from '../agent/web-config.js';

export const SERVE_HELP = `Usage: host-metrics serve [options]

Samples CPU, memory, swap and load every interval and serves the latest sample as
Prometheus metrics on /metrics (plus /healthz and /readyz). Stops cleanly on SIGTERM.

Options:
  --port PORT               TCP port (default: 9100)
  --listen ADDR             address to listen on, ADDR or ADDR:PORT (default: 0.0.0.0)
  --interval D              sample interval, e.g. 5s, 1s, 500ms (default: 5s)
  --collector-timeout D     give up on a collector after D; at most the interval
                            (default: 2s, or the interval when that is shorter)
  --disk                    also collect filesystem sizes and disk I/O
  --network                 also collect network interface counters
  --proc-root DIR           where procfs is mounted (default: /proc)
  --cgroup PATH             report this cgroup's limits (default: the agent's own)
  --cgroup-root DIR         where cgroupfs is mounted, v1 or v2 (default: /sys/fs/cgroup)
  --no-cgroup               do not report cgroup limits
  --no-process-metrics      leave out the agent's own process_* and nodejs_* metrics
  --web-config FILE         TLS and basic auth, node_exporter's web config format
                            (tls_server_config, basic_auth_users with bcrypt hashes)
`;

/** `host-metrics serve`: runs the agent until the signal aborts. */
export async function serveCommand(argv: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCliArgs(negativeNumbersAsValues(argv, ['--port']), {
    port: { type: 'string' },
    listen: { type: 'string' },
    interval: { type: 'string' },
    'collector-timeout': { type: 'string' },
    disk: { type: 'boolean' },
    network: { type: 'boolean' },
    'proc-root': { type: 'string' },
    'no-process-metrics': { type: 'boolean' },
    cgroup: { type: 'string' },
    'cgroup-root': { type: 'string' },
    'no-cgroup': { type: 'boolean' },
    'web-config': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    ctx.stdout.write(SERVE_HELP);
    return 0;
  }
  if (positionals.length) throw new UsageError(`serve takes no arguments, got "${positionals.join(' ')}"`, { hint: 'run host-metrics serve --help' });
  const { host, port } = parseListen(values.listen, values.port);
  const interval = values.interval === undefined ? undefined : parseDuration(values.interval, { name: '--interval' });
  const collectorTimeout = values['collector-timeout'] === undefined ? undefined : parseDuration(values['collector-timeout'], { name: '--collector-timeout' });
  if (collectorTimeout !== undefined && collectorTimeout > (interval ?? COLLECTOR_DEFAULTS.interval)) {
    throw new UsageError(`Expected \`--collector-timeout\` to be at most the interval (${interval ?? COLLECTOR_DEFAULTS.interval}ms), got "${values['collector-timeout']}"`, { hint: 'a collector may not run into the next sample: shorten --collector-timeout or lengthen --interval' });
  }
  const webConfig = values['web-config'] === undefined ? undefined : await loadWebConfig(values['web-config']);
  const agent = await startAgent({
    webConfig,
    host,
    port,
    interval,
    collectorTimeout,
    processMetrics: !values['no-process-metrics'],
    cgroup: values['no-cgroup'] ? false : values.cgroup,
    cgroupRoot: values['cgroup-root'],
    disk: values.disk,
    network: values.network,
    procRoot: values['proc-root'],
    signal: ctx.signal,
    onError: (collector, error) => ctx.logger.warn('collector failed', { collector, error: (error as Error)?.message ?? String(error) }),
  });
  ctx.logger.info('serving metrics', { url: `${agent.url}/metrics`, listen: host, port: agent.port, intervalMs: agent.collector.intervalMs, collectors: agent.collector.collectors });
  await agent.stopped;
  ctx.logger.info('stopped');
  return 0;
}

/** `--listen ADDR[:PORT]` and `--port`: the port in ADDR wins over the default, `--port` over both. */
export function parseListen(listen: string | undefined, portFlag: string | undefined): { host: string; port: number } {
  let host = '0.0.0.0';
  let port = 9100;
  if (listen !== undefined) {
    const bracketed = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(listen);
    const hostPort = /^([^:[\]\s]+)(?::(\d+))?$/.exec(listen);
    const bareIpv6 = /^[0-9a-fA-F]*:[0-9a-fA-F:.]*$/.test(listen) && (listen.match(/:/g) ?? []).length > 1;
    const match = bracketed ?? hostPort;
    if (bareIpv6) host = listen;
    else if (match) {
      host = match[1]!;
      if (match[2] !== undefined) port = Number(match[2]);
    } else throw new UsageError(`Expected \`--listen\` to be ADDR or ADDR:PORT (IPv6 as [ADDR]:PORT), got "${listen}"`);
  }
  if (portFlag !== undefined) {
    if (!/^\d+$/.test(portFlag)) throw new UsageError(`Expected \`--port\` to be a number from 0 to 65535, got "${portFlag}"`);
    port = Number(portFlag);
  }
  if (port > 65_535) throw new UsageError(`Expected the port to be from 0 to 65535, got ${port}`);
  return { host, port };
}

/**
 * `--port -1` reaches validation ("Expected `--port` to be a number...") instead of parseArgs's
 * "argument is ambiguous": a negative number after these flags is taken as their value.
 */
export function negativeNumbersAsValues(argv: readonly string[], flags: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const next = argv[i + 1];
    if (flags.includes(argv[i]!) && next !== undefined && /^-\d/.test(next)) {
      out.push(`${argv[i]}=${next}`);
      i++;
    } else out.push(argv[i]!);
  }
  return out;
}
