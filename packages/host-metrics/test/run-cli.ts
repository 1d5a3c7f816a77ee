// Runs the built CLI (pnpm test builds before jest) and starts agents as child processes.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort, startServiceProcess, waitFor, type ServiceProcess } from '@ops/testkit';

export const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `host-metrics ...args` to completion. */
export function runCli(args: readonly string[], options: { timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { timeout: options.timeoutMs ?? 30_000, env: { ...process.env, CI: '1' } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export interface AgentProcess {
  readonly url: string;
  readonly port: number;
  readonly proc: ServiceProcess;
}

/** Starts `host-metrics serve` on a free loopback port and waits for /readyz (or, with `ready: false`, for /healthz). */
export async function startAgentProcess(extraArgs: readonly string[] = [], options: { ready?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<AgentProcess> {
  const port = await freePort();
  const proc = startServiceProcess({ name: 'host-metrics serve', command: process.execPath, args: [CLI, 'serve', '--listen', '127.0.0.1', '--port', String(port), ...extraArgs], env: options.env });
  const url = `http://127.0.0.1:${port}`;
  const path = options.ready === false ? '/healthz' : '/readyz';
  await waitFor(`host-metrics ${path}`, async () => (await fetch(`${url}${path}`)).status === 200, { timeoutMs: 20_000, failIf: proc.exited });
  return { url, port, proc };
}
