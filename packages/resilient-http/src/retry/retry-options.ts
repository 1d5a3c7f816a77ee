import { AbortError, checkIntegerOption, hasCode, isOpsError, parseDuration, sleep, UsageError } from '@ops/core';
import type { Jitter } from './backoff.js';

/** What `fn` receives on each attempt. */
export interface RetryContext {
  /** 1-based attempt number. */
  readonly attempt: number;
  /** Aborted when the caller aborts, the attempt times out or the deadline passes. */
  readonly signal: AbortSignal;
  /**
   * Calls `listener` with the reason when `signal` would abort; returns an unsubscribe. A cheaper
   * alternative to reading `signal` (an AbortSignal costs several µs to create on Node 20).
   */
  onStop(listener: (reason: unknown) => void): () => void;
}

/** A time source; inject a fake one in tests. */
export interface RetryClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface RetryInfo {
  readonly attempt: number;
  readonly error: unknown;
  readonly delayMs: number;
  readonly elapsedMs: number;
}

export interface RetryOptions {
  /** Retries after the first attempt (so up to `retries + 1` attempts). Defaults to 4. */
  readonly retries?: number;
  /** First backoff, in ms or as a duration string. Defaults to 1s (with the other defaults the waits span up to ~15s, ~7.5s on average: a pod restart or a deploy). */
  readonly minDelay?: number | string;
  /** Growth of the backoff per attempt. Defaults to 2. */
  readonly factor?: number;
  /** Cap on one backoff. Defaults to 30s. */
  readonly maxDelay?: number | string;
  /** Randomisation of the backoff (see `backoffDelay`). Defaults to `full`. */
  readonly jitter?: Jitter;
  /** Deadline over all attempts and waits; an attempt running at the deadline is aborted. Defaults to none. */
  readonly maxElapsed?: number | string;
  /** Aborts one attempt's signal after this long; the attempt then fails with `AttemptTimeoutError` (retryable). Defaults to none. */
  readonly attemptTimeout?: number | string;
  /** Whether an error is worth another attempt; `false` rethrows the error as is. Defaults to every error except `AbortError`, `USAGE` and programmer errors (`TypeError`, `RangeError`, `SyntaxError`, `ReferenceError`). */
  readonly shouldRetry?: (error: unknown, ctx: { attempt: number; elapsedMs: number }) => boolean | Promise<boolean>;
  /** Called before each backoff wait (one call per retry). Defaults to none. */
  readonly onRetry?: (info: RetryInfo) => void;
  /** Overrides the computed wait for an error (e.g. `Retry-After`); return `undefined` to keep it. Defaults to none. */
  readonly delayFor?: (error: unknown, ctx: { attempt: number; delayMs: number }) => number | undefined;
  /** Cancels the whole operation, including a backoff wait, at once. Defaults to none. */
  readonly signal?: AbortSignal;
  /** Uniform random source in [0, 1). Defaults to `Math.random`. */
  readonly random?: () => number;
  /** Time source. Defaults to `performance.now()` and `@ops/core` `sleep`. */
  readonly clock?: RetryClock;
  /** What is retried, for messages (e.g. `GET https://api/x`); a function is called only when a message needs it. Defaults to `the call`. */
  readonly description?: string | (() => string);
}

export const DEFAULT_CLOCK: RetryClock = { now: () => performance.now(), sleep };

export const RETRY_DEFAULTS = {
  retries: 4,
  minDelay: 1000,
  factor: 2,
  maxDelay: 30_000,
  jitter: 'full' as Jitter,
  random: Math.random,
  clock: DEFAULT_CLOCK,
  description: 'the call',
  shouldRetry: defaultShouldRetry,
};

/** Bugs, not transient failures: another attempt would fail the same way (as p-retry). */
const PROGRAMMER_ERRORS = [TypeError, RangeError, SyntaxError, ReferenceError];

/** Retries everything but cancellation (`AbortError`, a DOM `AbortError`), usage errors and programmer errors. */
export function defaultShouldRetry(error: unknown): boolean {
  if (hasCode(error, 'ABORTED') || hasCode(error, 'USAGE')) return false;
  // fetch()'s network failures are TypeErrors ("fetch failed") with the socket error as cause: those are transient.
  const causeCode = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  if (PROGRAMMER_ERRORS.some((E) => error instanceof E) && typeof causeCode !== 'string') return false;
  if (error instanceof AbortError) return false;
  if (!isOpsError(error) && typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError') return false;
  return true;
}

export interface ResolvedRetryOptions {
  readonly retries: number;
  readonly minDelayMs: number;
  readonly factor: number;
  readonly maxDelayMs: number;
  readonly jitter: Jitter;
  readonly maxElapsedMs: number | undefined;
  readonly attemptTimeoutMs: number | undefined;
  readonly shouldRetry: NonNullable<RetryOptions['shouldRetry']>;
  readonly onRetry: RetryOptions['onRetry'];
  readonly delayFor: RetryOptions['delayFor'];
  readonly signal: AbortSignal | undefined;
  readonly random: () => number;
  readonly clock: RetryClock;
  /** The description, computed on first use. */
  readonly describe: () => string;
}

const JITTERS: readonly Jitter[] = ['full', 'equal', 'decorrelated', 'none'];

/**
 * Fills defaults and validates every option, naming the bad one. (Field by field rather than one
 * spread: it runs once per call and a spread of mixed shapes is ~20x slower in V8.)
 */
export function resolveRetryOptions(options: RetryOptions = {}): ResolvedRetryOptions {
  const d = RETRY_DEFAULTS;
  const retries = options.retries ?? d.retries;
  const factor = options.factor ?? d.factor;
  const jitter = options.jitter ?? d.jitter;
  checkIntegerOption(retries, 'retries');
  if (typeof factor !== 'number' || !(factor >= 1) || !Number.isFinite(factor)) throw new UsageError(`Expected \`factor\` to be a number >= 1, got ${factor}`);
  if (!JITTERS.includes(jitter)) throw new UsageError(`Expected \`jitter\` to be one of ${JITTERS.join(', ')}, got ${String(jitter)}`);
  const minDelayMs = durationMs(options.minDelay ?? d.minDelay, 'minDelay');
  const maxDelayMs = durationMs(options.maxDelay ?? d.maxDelay, 'maxDelay');
  if (maxDelayMs < minDelayMs) throw new UsageError(`Expected \`maxDelay\` (${maxDelayMs}ms) to be at least \`minDelay\` (${minDelayMs}ms)`);
  const maxElapsedMs = options.maxElapsed === undefined ? undefined : durationMs(options.maxElapsed, 'maxElapsed');
  const attemptTimeoutMs = options.attemptTimeout === undefined ? undefined : durationMs(options.attemptTimeout, 'attemptTimeout');
  if (attemptTimeoutMs === 0) throw new UsageError('Expected `attemptTimeout` to be a positive duration, got 0');
  return {
    retries,
    minDelayMs,
    factor,
    maxDelayMs,
    jitter,
    maxElapsedMs,
    attemptTimeoutMs,
    shouldRetry: options.shouldRetry ?? d.shouldRetry,
    onRetry: options.onRetry,
    delayFor: options.delayFor,
    signal: options.signal,
    random: options.random ?? d.random,
    clock: options.clock ?? d.clock,
    describe: describer(options.description ?? d.description),
  };
}

function describer(description: string | (() => string)): () => string {
  if (typeof description === 'string') return () => description;
  let text: string | undefined;
  return () => (text ??= description());
}

function durationMs(value: number | string, name: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  return parseDuration(value, { name, defaultUnit: 'ms' });
}
