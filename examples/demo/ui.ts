import type { Writable } from 'node:stream';
import type { Logger } from '@ops/core';

/** What every demo part gets: where to print, a logger for the libraries, the Ctrl-C signal. */
export interface DemoContext {
  readonly out: Writable;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  /** Absolute path of examples/fixtures/<name>. */
  fixture(name: string): string;
  /** Prints an indented note line. */
  say(text: string): void;
}

/** One part of the demo: a heading naming its package, then `run`. */
export interface DemoPart {
  /** The package shown, e.g. `@ops/log-scan`. */
  readonly pkg: string;
  /** What the part does, after the package name in the heading. */
  readonly title: string;
  run(ctx: DemoContext): Promise<void>;
}

const bold = (text: string, tty: boolean) => (tty ? `\x1b[1m${text}\x1b[0m` : text);

/** `━━ 2/6 @ops/ssh-probe: probe SSH hosts ━━━━`, padded to 78 columns. */
export function heading(index: number, total: number, part: DemoPart, tty: boolean): string {
  const text = `━━ ${index}/${total} ${part.pkg}: ${part.title} `;
  return `\n${bold(text + '━'.repeat(Math.max(4, 78 - text.length)), tty)}\n`;
}

/** Indents every line of `text` by two spaces. */
export function indent(text: string): string {
  return text.replace(/\n$/, '').split('\n').map((line) => (line.trim() ? `  ${line}` : '')).join('\n') + '\n';
}

/** `work`, or a rejection naming `what` when it takes longer than `ms` (the work itself is not cancelled). */
export async function withDeadline<T>(what: string, ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${Math.round(ms / 1000)}s`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Whether the demo may start its own daemons (sshd, dockerd, a registry): only as root, and not
 * when DEMO_DAEMONS=0 says to leave them out.
 */
export function mayStartDaemons(): boolean {
  return process.getuid?.() === 0 && process.env.DEMO_DAEMONS !== '0';
}
