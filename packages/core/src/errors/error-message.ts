import { isOpsError } from './ops-error.js';
import { redactString } from '../log/redact.js';

/**
 * One clear line for a human: `CODE: message (hint)`. Messages of unexpected errors have the
 * working directory stripped so bug reports do not leak local paths.
 */
export function formatErrorLine(error: unknown): string {
  if (isOpsError(error)) {
    return `${error.code}: ${error.message}${error.hint ? ` (${error.hint})` : ''}`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `unexpected error: ${stripCwd(redactString(message))} (this is a bug; rerun with --log-level debug and report it)`;
}

/** Removes the working directory from a message or stack. */
export function stripCwd(text: string, cwd = process.cwd()): string {
  return cwd.length > 1 ? text.split(cwd + '/').join('') : text;
}

/** The message of any thrown value, for wrapping into a new error's sentence. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
