import { ExitCode, formatDuration, isOpsError } from '@ops/core';
import { reasonOf } from '../http/http-client.js';
import { HttpStatusError, RetryAfterTooLongError } from '../http/http-errors.js';
import { RetryError, type AttemptRecord } from '../retry/retry-error.js';

/** What the CLI does with a failed request: the HTTP status error to print, if any, and the exit code. */
export interface CliFailure {
  readonly exitCode: number;
  /** The final HTTP error answer, whose body goes to stdout. */
  readonly statusError: HttpStatusError | undefined;
  readonly attempts: ReadonlyArray<AttemptRecord>;
}

/**
 * Exit 1 when the final answer is an HTTP error status (retried or not, or a Retry-After too
 * long to wait for), 3 when the request gave up on network errors or timeouts, the error's own
 * exit code otherwise (2 for usage).
 */
export function cliFailure(error: unknown): CliFailure {
  const last = error instanceof RetryError ? error.cause : error;
  const statusError = last instanceof HttpStatusError ? last : last instanceof RetryAfterTooLongError ? (last.cause as HttpStatusError) : undefined;
  const attempts = error instanceof RetryError ? error.attempts : ((last as { attempts?: ReadonlyArray<AttemptRecord> })?.attempts ?? []);
  if (statusError) return { exitCode: ExitCode.PROBLEM, statusError, attempts };
  if (error instanceof RetryError) return { exitCode: ExitCode.ENVIRONMENT, statusError, attempts };
  return { exitCode: isOpsError(error) ? error.exitCode : ExitCode.PROBLEM, statusError, attempts };
}

/** `1: status 503, waited 100ms` lines for the stderr summary. */
export function describeAttempts(attempts: ReadonlyArray<AttemptRecord>): string[] {
  return attempts.map((a) => `${a.attempt}: ${reasonOf(a.error)} at ${formatDuration(a.elapsedMs)}${a.delayMs ? `, waited ${formatDuration(a.delayMs)}` : ''}`);
}

/** `-i`: the status line and headers, as curl prints them. */
export function statusLine(status: number, headers: Readonly<Record<string, unknown>>): string {
  let out = `HTTP/1.1 ${status}\r\n`;
  for (const [name, value] of Object.entries(headers)) {
    for (const v of Array.isArray(value) ? value : [value]) if (v !== undefined) out += `${name}: ${String(v).replace(/[\r\n]/g, ' ')}\r\n`;
  }
  return `${out}\r\n`;
}
