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
export { RetryError, AttemptTimeoutError, type AttemptRecord, type RetryGiveUpReason, type TimeoutPhase } from './retry/retry-error.js';
export { createHttpClient, reasonOf, type HttpClient, type HttpRequestOptions, type DownloadOptions } from './http/http-client.js';
export {
  DEFAULT_RETRY_STATUSES,
  IDEMPOTENT_METHODS,
  CLIENT_DEFAULTS,
  type HttpClientOptions,
  type HttpRetryOptions,
  type HttpClientHooks,
} from './http/client-options.js';
export { HttpStatusError, HttpNetworkError, RetryAfterTooLongError, CircuitOpenError, RetryBudgetError, BodyTooLargeError, TooManyRedirectsError, BadResponseError, type HttpErrorFields } from './http/http-errors.js';
export { BodyCutError, type BodyProgress } from './http/resumable-body.js';
export type { HttpStreamResponse } from './http/stream-response.js';
export type { DownloadResult, DownloadHead } from './http/download-file.js';
export type { RequestBody, BodyFactory, StreamBody } from './http/request-body.js';
export type { HttpResponse, ResponseHeaders } from './http/http-response.js';
export type { QueryValue } from './http/request-target.js';
export { parseRetryAfter } from './http/retry-after.js';
export { redactUrl } from './http/redact-url.js';
export { classifyNetworkError, networkErrorCode, RETRYABLE_NETWORK_CODES } from './http/network-errors.js';
export { createCircuitBreaker, BREAKER_DEFAULTS, type CircuitBreaker, type CircuitBreakerOptions, type CircuitState, type CircuitOutcome } from './breaker/circuit-breaker.js';
export { createRetryBudget, BUDGET_DEFAULTS, type RetryBudget, type RetryBudgetOptions } from './budget/retry-budget.js';
