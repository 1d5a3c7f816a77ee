// Helpers of bench/resilient-http.ts that run processes: a download's wall time and peak RSS
// (VmHWM polled from /proc), and the time from spawn to the first request at the server.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

export interface ProcessRun {
  readonly ms: number;
  readonly maxRssMiB: number;
  readonly code: number | null;
}

function peakRss(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/** Runs `command` to completion (stdout to /dev/null), sampling its peak RSS every 10 ms. */
export function downloadRun(command: string, args: readonly string[], removeAfter?: string): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, [...args], { stdio: ['ignore', 'ignore', 'inherit'] });
    let maxRssMiB = 0;
    const sampler = setInterval(() => (maxRssMiB = Math.max(maxRssMiB, peakRss(child.pid))), 10);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(sampler);
      if (removeAfter) rmSync(removeAfter, { force: true });
      resolve({ ms: performance.now() - started, maxRssMiB, code });
    });
  });
}

/** Spawns `command` and resolves with ms from spawn to the server logging `first-request <epoch ms>`. */
export async function startupRun(serverOutput: () => string, command: string, args: readonly string[]): Promise<number> {
  const before = serverOutput().split('first-request').length;
  const started = Date.now();
  const child = spawn(command, [...args], { stdio: 'ignore' });
  await new Promise((resolve) => child.on('exit', resolve));
  const lines = serverOutput().split('first-request');
  if (lines.length <= before) throw new Error(`${command} ${args.join(' ')} did not reach the server`);
  return Number(/\s*(\d+)/.exec(lines.at(-1)!)?.[1]) - started;
}

/** µs per call that `retry()` adds around an immediately resolving call (best of 5 rounds each, interleaved). */
export async function immediateOverheadUs(retry: (fn: () => Promise<number>) => Promise<number>): Promise<number> {
  const n = 200_000;
  const fn = (): Promise<number> => Promise.resolve(1);
  const time = async (call: () => Promise<number>): Promise<number> => {
    const t = performance.now();
    for (let i = 0; i < n; i++) await call();
    return ((performance.now() - t) * 1000) / n;
  };
  let bare = Infinity;
  let wrapped = Infinity;
  for (let round = 0; round < 5; round++) {
    bare = Math.min(bare, await time(fn));
    wrapped = Math.min(wrapped, await time(() => retry(fn)));
  }
  return wrapped - bare;
}
