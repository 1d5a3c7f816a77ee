import { cpus, totalmem } from 'node:os';

/** One line naming the date and machine, for the head of each benchmark report. */
export function machineLine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores (${cpu}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/**
 * The environment without NODE_EXTRA_CA_CERTS. This machine sets it (a bundle of 144 certificates
 * for its proxy), and on Node 20 every Node process then loads the whole certificate store before
 * its first line (~40 ms of CPU; nodejs/node#40524; Node 24 loads it when first used), which no
 * anchor pays. A CI runner or a server does not set it: the benchmarks run without it and show
 * what it adds in a row of its own.
 */
export function withoutExtraCa(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const { NODE_EXTRA_CA_CERTS: _dropped, ...rest } = env;
  return rest;
}
