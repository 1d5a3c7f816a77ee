import { ExitCode, OpsError, formatDuration, messageOf } from '@ops/core';

/** One failed attempt, as kept in `RetryError.attempts`. */
export interface AttemptRecord {
  /** 1-based attempt number. */
  readonly attempt: number;
  /** What the attempt threw. */
  readonly error: unknown;
  /** Wait before the next attempt in ms (0 for the last one). */
  readonly delayMs: number;
  /** Time since the first attempt started when this one failed, in ms. */
  readonly elapsedMs: number;
}

/** Why `retry()` gave up. */
export type RetryGiveUpReason = 'retries' | 'deadline';

/**
 * `retry()` gave up after retryable failures: every retry was used (`reason: 'retries'`) or the
 * `maxElapsed` deadline was reached (`reason: 'deadline'`). `cause` is the last error and
 * `attempts` lists every attempt's error, delay and elapsed time.
 */
export class RetryError extends OpsError<'HTTP_RETRY_EXHAUSTED'> {
  declare readonly attempts: ReadonlyArray<AttemptRecord>;
  readonly reason: RetryGiveUpReason;

  constructor(attempts: ReadonlyArray<AttemptRecord>, reason: RetryGiveUpReason, what = 'the call', extra?: string) {
    const last = attempts[attempts.length - 1];
    const n = attempts.length;
    const lastMessage = messageOf(last?.error);
    const detail = lastMessage.startsWith(`${what} failed: `) ? lastMessage.slice(what.length + 9) : lastMessage.startsWith(`${what} `) ? lastMessage.slice(what.length + 1) : lastMessage;
    const why = reason === 'deadline' ? `the deadline was reached${extra ? ` (${extra})` : ''}` : 'no retries left';
    super(
      'HTTP_RETRY_EXHAUSTED',
      `${what} failed after ${n} attempt${n === 1 ? '' : 's'} in ${formatDuration(last?.elapsedMs ?? 0)}, ${why}: ${detail}`,
      {
        cause: last?.error,
        exitCode: ExitCode.ENVIRONMENT,
        context: { attempts: n, reason },
        hint: reason === 'deadline' ? 'raise maxElapsed (--max-time) or fix the failing service' : 'raise retries (--retries) or fix the failing service',
      },
    );
    Object.defineProperty(this, 'attempts', { value: attempts, enumerable: false });
    this.reason = reason;
  }
}

/** How an HTTP attempt timed out, for the message; `attempt` is `retry()`'s own `attemptTimeout`. */
export type TimeoutPhase = 'attempt' | 'headers';

/** An attempt ran longer than `attemptTimeout` (or, in the HTTP client, got no response headers within `timeout`); retryable by default. */
export class AttemptTimeoutError extends OpsError<'HTTP_ATTEMPT_TIMEOUT'> {
  readonly timeoutMs: number;
  /** True when the `maxElapsed` deadline, not `attemptTimeout`, cut the attempt short. */
  readonly deadline: boolean;
  /**
   * @param what what was attempted (`GET https://…`), named in the message when given.
   * @param phase `headers` when the HTTP client's `timeout` (until response headers) fired.
   */
  constructor(attempt: number, timeoutMs: number, deadline = false, what?: string, phase: TimeoutPhase = 'attempt') {
    const limit = formatDuration(timeoutMs);
    const message = deadline
      ? `${what ? `${what}: ` : ''}attempt ${attempt} was cut at the maxElapsed deadline (${limit} left)`
      : phase === 'headers'
        ? `${what ? `${what}: ` : ''}no response headers within ${limit} (timeout) on attempt ${attempt}`
        : `${what ? `${what}: ` : ''}attempt ${attempt} did not finish within ${limit}`;
    super('HTTP_ATTEMPT_TIMEOUT', message, {
      exitCode: ExitCode.ENVIRONMENT,
      context: { attempt, timeoutMs },
      hint: deadline
        ? 'raise maxElapsed (--max-time) or check why the service is slow'
        : phase === 'headers'
          ? 'raise timeout (--timeout) or check why the service is slow to answer'
          : 'raise attemptTimeout or check why the call is slow',
    });
    this.timeoutMs = timeoutMs;
    this.deadline = deadline;
  }
}
