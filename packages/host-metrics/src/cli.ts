#!/usr/bin/env node
import { COMMON_FLAGS_HELP, dispatchCommand, readPackageVersion, runCli } from '@ops/core';
import type { CliContext } from '@ops/core';

const USAGE = `Usage: host-metrics <command> [options]

CPU and memory every 5 seconds as Prometheus metrics, for one host or a fleet.

Commands:
  serve                 run the agent: sample and serve /metrics (default port 9100)
  prometheus-config     print a Prometheus configuration for an inventory of agents
  top                   print the fleet (CPU, memory, up/down) from Prometheus

Run host-metrics <command> --help for a command's options.

${COMMON_FLAGS_HELP}
`;

// Each command loads its own modules: the agent (serve) never holds the HTTP client, YAML or
// fleet code in memory (about 30 MiB of RSS).
const COMMANDS = {
  serve: async (argv: readonly string[], ctx: CliContext) => (await import('./commands/serve.js')).serveCommand(argv, ctx),
  'prometheus-config': async (argv: readonly string[], ctx: CliContext) => (await import('./commands/prometheus-config.js')).prometheusConfigCommand(argv, ctx),
  top: async (argv: readonly string[], ctx: CliContext) => (await import('./commands/top.js')).topCommand(argv, ctx),
} as const;

await runCli((ctx) => dispatchCommand(ctx, COMMANDS, { name: 'host-metrics', usage: USAGE }), { name: 'host-metrics', version: () => readPackageVersion(new URL('../package.json', import.meta.url)) });
