import { spawn, type ChildProcess } from 'node:child_process';
import { onCleanup } from './cleanup.js';

export interface ServiceProcessOptions {
  /** Name used in error messages. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

export interface ServiceProcess {
  readonly child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far (last 64 KiB). */
  output(): string;
  /** Why the process is gone, or undefined while it runs. */
  exited(): string | undefined;
  /** SIGTERM, then SIGKILL after `graceMs` (default 5s). */
  stop(graceMs?: number): Promise<void>;
}

/** Starts a daemon in the foreground, captures its output and kills it at process exit. */
export function startServiceProcess(options: ServiceProcessOptions): ServiceProcess {
  const child = spawn(options.command, [...options.args], { env: options.env ?? process.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let exitReason: string | undefined;
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-65_536);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  child.on('error', (error) => (exitReason = `${options.name} could not start: ${error.message}`));
  child.on('exit', (code, signal) => (exitReason ??= `${options.name} exited with ${signal ?? `code ${code}`}: ${output.slice(-2000)}`));
  const unregister = onCleanup(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return {
    child,
    output: () => output,
    exited: () => exitReason,
    async stop(graceMs = 5000) {
      unregister();
      if (child.exitCode !== null || child.signalCode !== null || exitReason) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await gone;
      clearTimeout(timer);
    },
  };
}
