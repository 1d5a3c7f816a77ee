import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The examples directory (scripts are run from there, like `pnpm --filter @ops/examples exec`). */
export const EXAMPLES_DIR = fileURLToPath(new URL('..', import.meta.url));

export interface ScriptRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Starts `node --import tsx <script> ...args` in examples/ (as `pnpm demo` does) with `env` added
 * (CI=1: JSON logs). TSX_DISABLE_CACHE: tsx keeps compiled files in $TMPDIR/tsx-<uid>, which
 * the test run must leave empty (compiling the examples again costs a few ms each).
 */
export function startScript(script: string, args: readonly string[] = [], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: EXAMPLES_DIR,
    env: { ...process.env, CI: '1', LOG_LEVEL: 'info', TSX_DISABLE_CACHE: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs a script to its end (killed after `timeoutMs`); never rejects on a non-zero exit. */
export function runScript(script: string, args: readonly string[] = [], env: NodeJS.ProcessEnv = {}, timeoutMs = 60_000): Promise<ScriptRun> {
  const child = startScript(script, args, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The JSON lines of a log stream (other lines skipped). */
export function jsonLines(text: string): Array<Record<string, unknown>> {
  return text.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
}
