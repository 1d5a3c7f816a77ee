/** Error codes of transient network failures worth another attempt. */
export const RETRYABLE_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'HTTP_ATTEMPT_TIMEOUT',
]);

/** Error codes that another attempt will not fix: permanent DNS failures, TLS verification. */
const PERMANENT_PATTERNS = [/^ENOTFOUND$/, /^EAI_NONAME$/, /^EAI_FAIL$/, /CERT/, /^ERR_TLS_/, /^UNABLE_TO_/, /SELF_SIGNED/, /^ERR_SSL_/, /^HOSTNAME_MISMATCH$/];

/** The first `code` found on the error or along its `cause` chain. */
export function networkErrorCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'HTTP_NETWORK') return code;
  }
  return undefined;
}

/** `retry` for transient network failures, `permanent` for DNS NXDOMAIN and TLS errors, `unknown` otherwise. */
export function classifyNetworkError(error: unknown): 'retry' | 'permanent' | 'unknown' {
  const code = networkErrorCode(error);
  if (!code) return 'unknown';
  if (RETRYABLE_NETWORK_CODES.has(code)) return 'retry';
  if (PERMANENT_PATTERNS.some((p) => p.test(code))) return 'permanent';
  return 'unknown';
}
