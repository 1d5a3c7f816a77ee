import { appendFileSync } from 'node:fs';

/** Folds log lines into collapsible groups when running under GitHub Actions. */
export interface LogGroups {
  /** Ends the open group (if any) and starts one titled `title`. */
  start(title: string): void;
  /** Ends the open group. */
  end(): void;
}

/** Whether the process runs inside a GitHub Actions job. */
export function isGitHubActions(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.GITHUB_ACTIONS === 'true';
}

/**
 * `::group::`/`::endgroup::` workflow commands written to `stream` (the runner reads them from
 * stdout and stderr); a no-op outside GitHub Actions.
 */
export function createLogGroups(stream: NodeJS.WritableStream, enabled: boolean): LogGroups {
  let open = false;
  const escape = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  return {
    start(title) {
      if (!enabled) return;
      if (open) stream.write('::endgroup::\n');
      stream.write(`::group::${escape(title)}\n`);
      open = true;
    },
    end() {
      if (!enabled || !open) return;
      stream.write('::endgroup::\n');
      open = false;
    },
  };
}

/**
 * Appends step outputs to the `GITHUB_OUTPUT` file (heredoc syntax, so values may span lines).
 * Does nothing when `GITHUB_OUTPUT` is not set.
 */
export async function writeGitHubOutputs(outputs: Record<string, string>, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const file = env.GITHUB_OUTPUT;
  if (!file) return;
  // node:crypto is loaded here, not on import: a few ms of start-up that most runs never use.
  const { randomBytes } = await import('node:crypto');
  let text = '';
  for (const [name, value] of Object.entries(outputs)) {
    const delimiter = `ghadelimiter_${randomBytes(8).toString('hex')}`;
    text += `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
  }
  appendFileSync(file, text);
}
