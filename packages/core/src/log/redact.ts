import { REDACTED, REDACTION_RULES } from './redaction-rules.js';

export { REDACTED };

// Field names whose values are secrets, matched on the lower-cased name with `-`/`_` removed.
const SECRET_NAMES = ['password', 'passwd', 'passphrase', 'secret', 'token', 'authorization', 'apikey',
  'credential', 'cookie', 'privatekey', 'registryauth', 'xregistryauth', 'identitytoken', 'accesskey', 'signature'];
const EXACT_SECRET_NAMES = new Set(['auth', 'pass', 'pwd', 'auths', 'sig']);
/** Named like a credential but not one: `Idempotency-Key` is an ordinary request id, useful in logs. */
const NOT_SECRET_NAMES = new Set(['idempotencykey']);

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
  for (const rule of REDACTION_RULES) {
    // The callback gets (match, ...groups, offset, whole string): the last two are dropped.
    out = out.replace(rule.pattern, (...args: unknown[]) => rule.replace(...(args.slice(0, -2) as [string, ...string[]])));
  }
  return out;
}

/** True when a field with this name holds a secret. */
export function isSecretName(name: string): boolean {
  const key = name.toLowerCase().replace(/[-_]/g, '');
  if (NOT_SECRET_NAMES.has(key)) return false;
  return EXACT_SECRET_NAMES.has(key) || SECRET_NAMES.some((s) => key.includes(s)) || /[-_]key$/i.test(name);
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
