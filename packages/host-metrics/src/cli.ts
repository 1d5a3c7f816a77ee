#!/usr/bin/env node
import { COMMON_FLAGS_HELP, dispatchCommand, runCli } from '@ops/core';
import { prometheusConfigCommand } from './commands/prometheus-config.js';
import { serveCommand } from './commands/serve.js';
import { topCommand } from './commands/top.js';

const USAGE = `Usage: host-metrics <command> [options]

CPU and memory every 5 seconds as Prometheus metrics, for one host or a fleet.

Commands:
  serve                 run the agent: sample and serve /metrics (default port 9100)
  prometheus-config     print a Prometheus configuration for an inventory of agents
  top                   print the fleet (CPU, memory, up/down) from Prometheus

Run host-metrics <command> --help for a command's options.

${COMMON_FLAGS_HELP}
`;

const COMMANDS = { serve: serveCommand, 'prometheus-config': prometheusConfigCommand, top: topCommand } as const;

await runCli((ctx) => dispatchCommand(ctx, COMMANDS, { name: 'host-metrics', usage: USAGE }), { name: 'host-metrics' });
