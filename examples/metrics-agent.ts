/**
 * metrics-agent: serve this host's CPU, memory and load as Prometheus metrics (@ops/host-metrics).
 *
 * Shows `startAgent()`: a sampler reading /proc every interval (a scrape only renders the latest
 * sample, so it costs nothing), `/metrics`, `/healthz` and `/readyz`, stopped cleanly by the
 * runCli signal on Ctrl-C or SIGTERM.
 *
 * Run:  pnpm --filter @ops/examples exec tsx metrics-agent.ts [--port 9100] [--host 127.0.0.1] [--interval 5s]
 *       then: curl -s http://127.0.0.1:9100/metrics | grep ^host_   (--host 0.0.0.0 to let Prometheus scrape it)
 *
 * Expected output: stdout: serving http://127.0.0.1:9100/metrics (sampling every 5s, Ctrl-C to stop)
 *   and from curl:
 *   host_cpu_usage_ratio 0.07
 *   host_memory_available_bytes 5.1e+09
 *   host_load1 0.42
 *   ...
 */
import { parseCliArgs, runCli, UsageError } from '@ops/core';
import { startAgent } from '@ops/host-metrics';

await runCli(async ({ argv, logger, signal, stdout }) => {
  const { values } = parseCliArgs(argv, {
    port: { type: 'string', default: '9100' },
    host: { type: 'string', default: '127.0.0.1' },
    interval: { type: 'string', default: '5s' },
  } as const);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`Expected \`--port\` to be 0-65535, got "${values.port}"`);

  const agent = await startAgent({
    port,
    host: values.host,
    interval: values.interval,
    signal, // Ctrl-C / SIGTERM stops the agent
    onError: (collector, error) => logger.warn('collector failed', { collector, error }),
  });
  stdout.write(`serving ${agent.url}/metrics (sampling every ${values.interval}, Ctrl-C to stop)\n`);
  await agent.stopped;
  logger.info('agent stopped');
}, { name: 'metrics-agent' });
