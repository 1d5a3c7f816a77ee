import { COMMON_FLAGS_HELP } from '@ops/core';

export const CLI_OPTIONS = {
  method: { type: 'string', short: 'X' },
  header: { type: 'string', short: 'H', multiple: true },
  data: { type: 'string', short: 'd' },
  json: { type: 'string' },
  output: { type: 'string', short: 'o' },
  include: { type: 'boolean', short: 'i' },
  location: { type: 'boolean', short: 'L' },
  'max-redirs': { type: 'string' },
  'fail-with-body': { type: 'boolean' },
  'idempotency-key': { type: 'string' },
  'retry-non-idempotent': { type: 'boolean' },
  retries: { type: 'string' },
  timeout: { type: 'string' },
  'connect-timeout': { type: 'string' },
  'idle-timeout': { type: 'string' },
  'max-time': { type: 'string' },
  'max-delay': { type: 'string' },
  'max-retry-after': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const USAGE = `Usage: resilient-http [options] URL

Sends one HTTP request, retrying transient failures (408, 425, 429, 5xx, resets, refused
connections, timeouts) with exponential backoff and full jitter, honouring Retry-After.
GET, HEAD, OPTIONS, PUT and DELETE are retried; POST and PATCH only with an Idempotency-Key.
Streams the response body to stdout (or -o FILE) in bounded memory; a download cut mid-body is
resumed with Range/If-Range when the server allows it. Attempts are logged to stderr.

Request:
  -X, --method M            HTTP method (default: GET, or POST with --data/--json)
  -H, --header 'K: V'       request header, repeatable
  -d, --data STR|@FILE      body: the string, a file (@FILE, re-read for each attempt) or stdin (@-);
                            Content-Type application/x-www-form-urlencoded unless -H sets one
      --json STR|@FILE      JSON body: Content-Type and Accept application/json
      --idempotency-key K   send Idempotency-Key: K, which makes a POST/PATCH retryable
      --retry-non-idempotent  retry POST/PATCH without a key (the server may apply it twice)
  -L, --location            follow redirects (Authorization and Cookie are not sent to another origin)
      --max-redirs N        redirects followed with -L (default: 10)
Output:
  -o, --output FILE         write the body to FILE atomically (temp file renamed at the end)
  -i, --include             print the response status line and headers before the body
      --fail-with-body      on an HTTP error status, still write its body (default: not written)
Retries and limits:
      --retries N           retries after the first attempt (default: 4)
      --connect-timeout D   limit of one TCP/TLS connect (default: 10s)
      --timeout D           limit of one attempt until the response headers (default: 30s)
      --idle-timeout D      longest pause between two chunks of the body (default: 30s)
      --max-time D          limit of everything: attempts, waits and the whole body (default: none)
      --max-delay D         cap of one computed backoff wait (default: 30s); not Retry-After
      --max-retry-after D   longest Retry-After honoured; longer fails at once (default: 60s)
  -h, --help                print this help
Durations: 500ms, 5s, 2m; a bare number is seconds.

Exit codes: 0 a 2xx answer (or 1xx/3xx), 1 the final answer is an HTTP error status,
2 usage error, 3 gave up on network errors or timeouts (or --max-time).

${COMMON_FLAGS_HELP}
`;
