/** What replaces a secret wherever it is found. */
export const REDACTED = '[REDACTED]';

// Field names whose values are secrets, matched on the lower-cased name with `-`/`_` removed.
const SECRET_NAMES = ['password', 'passwd', 'passphrase', 'secret', 'token', 'authorization', 'apikey',
  'credential', 'cookie', 'privatekey', 'registryauth', 'xregistryauth', 'identitytoken', 'accesskey'];
const EXACT_SECRET_NAMES = new Set(['auth', 'pass', 'pwd', 'auths']);

type Replacer = (...groups: string[]) => string;

const STRING_RULES: ReadonlyArray<[RegExp, Replacer]> = [
  // URL credentials: scheme://user:password@host
  [/([a-z][a-z0-9+.-]*:\/\/[^\s/:@]*):([^\s/@]+)@/gi, (scheme) => `${scheme}:${REDACTED}@`],
  // PEM private keys
  [/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g, () => `-----BEGIN PRIVATE KEY----- ${REDACTED}`],
  // Authorization headers, with or without a scheme
  [/\b((?:proxy-)?authorization|x-registry-auth)(["']?\s*[:=]\s*["']?)(?:(basic|bearer|token|digest|negotiate)\s+)?[^\s"',;]+/gi, (name, sep, scheme) => `${name}${sep}${scheme ? `${scheme} ` : ''}${REDACTED}`],
  [/\b(bearer)\s+[A-Za-z0-9._~+/-]+=*/gi, (word) => `${word} ${REDACTED}`],
  // key=value and key: value pairs in free text, query strings and JSON
  [/(?<![/.\w-])(password|passwd|passphrase|pwd|secret|client_secret|token|access_token|refresh_token|api[_-]?key|access[_-]?key(?:[_-]?id)?|secret[_-]?(?:access[_-]?)?key|auth)(["']?\s*[:=]\s*["']?)(?!\[REDACTED\])([^\s"'&,;}]+)/gi, (name, sep) => `${name}${sep}${REDACTED}`],
];

const registered = new Set<string>();

/**
 * Registers a secret value (a password read from an env var, a registry token) so that it is
 * replaced wherever it later appears in a message, a log field or an error. Values shorter than
 * 4 characters are ignored: redacting them would mangle ordinary text.
 */
export function registerSecret(value: string | undefined | null): void {
  if (value && value.length >= 4) registered.add(value);
}

/** Replaces every secret found in free text. */
export function redactString(text: string): string {
  let out = text;
  for (const secret of registered) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  for (const [pattern, replacement] of STRING_RULES) {
    out = out.replace(pattern, (...args: unknown[]) => replacement(...(args.slice(1, -2) as string[])));
  }
  return out;
}

/** True when a field with this name holds a secret. */
export function isSecretName(name: string): boolean {
  const key = name.toLowerCase().replace(/[-_]/g, '');
  return EXACT_SECRET_NAMES.has(key) || SECRET_NAMES.some((s) => key.includes(s));
}

/**
 * Deep copy of `value` with secrets removed: values of secret-named fields (strings and
 * objects; counts stay) and secrets inside strings. Handles cycles, errors and buffers.
 */
export function redact(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  if (depth > 10) return '[Object]';
  seen.add(value);
  if (Buffer.isBuffer(value)) return `[Buffer ${value.length} bytes]`;
  if (value instanceof Date) return value;
  if (value instanceof URL) return redactString(value.href);
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1, seen));
  if (value instanceof Error) {
    const { code } = value as { code?: unknown };
    return { name: value.name, message: redactString(value.message), ...(code !== undefined ? { code } : {}) };
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = isSecretName(key) && v !== null && v !== undefined && typeof v !== 'number' && typeof v !== 'boolean'
      ? REDACTED
      : redact(v, depth + 1, seen);
  }
  return out;
}
