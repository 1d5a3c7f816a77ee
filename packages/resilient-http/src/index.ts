export { retry } from './retry/retry.js';
export {
  resolveRetryOptions,
  defaultShouldRetry,
  RETRY_DEFAULTS,
  DEFAULT_CLOCK,
  type RetryContext,
  type RetryOptions,
  type RetryClock,
  type RetryInfo,
  type ResolvedRetryOptions,
} from './retry/retry-options.js';
export { backoffDelay, type Jitter, type BackoffInput } from './retry/backoff.js';
export { RetryError, AttemptTimeoutError, type AttemptRecord, type RetryGiveUpReason } from './retry/retry-error.js';
