/** What replaces a secret wherever it is found. */
export const REDACTED = '[REDACTED]';

/**
 * One rule of free-text redaction: `pattern` (global) finds a secret, `replace` gets the capture
 * groups and returns the text to put back. Rules run in table order over every message, log
 * line, error (`message`, `context`, `toJSON`) and URL the ops libraries print.
 */
export interface RedactionRule {
  /** Stable key, used by tests and docs. */
  readonly key: string;
  /** What the rule protects. */
  readonly what: string;
  readonly pattern: RegExp;
  /** Gets the whole match, then the capture groups. */
  readonly replace: (match: string, ...groups: string[]) => string;
}

/** Query parameters whose value is a credential, matched case-insensitively after `?` or `&`. */
export const SECRET_QUERY_PARAMS = [
  'x-amz-signature', // AWS SigV4 presigned URLs (X-Amz-Credential, the access key id, may stay)
  'x-amz-security-token', // AWS STS session token
  'x-goog-signature', // GCS V4 signed URLs
  'x-goog-credential-token',
  'sig', // Azure SAS
  'private_token', // GitLab
  'client_secret', // OAuth
  'code_verifier', // OAuth PKCE
  'id_token',
  'signature',
];

const QUERY_NAMES = SECRET_QUERY_PARAMS.map((n) => n.replace(/[-_]/g, '[-_]')).join('|');

/** Key names, in `key=value` / `key: value` / JSON text, whose value is a secret. */
const KEY_NAMES = 'password|passwd|passphrase|pwd|secret|client_secret|private[_-]?token|token|access_token|refresh_token|api[_-]?key|access[_-]?key(?:[_-]?id)?|secret[_-]?(?:access[_-]?)?key|auth';

/** An OAuth callback: a query carrying `state=`, or a path naming a callback or authorization step. */
const OAUTH_CALLBACK = /[?&]state=|\/(?:oauth2?|callback|authorize|auth)\b/i;


export const REDACTION_RULES: ReadonlyArray<RedactionRule> = [
  {
    key: 'url-userinfo',
    what: 'the password in scheme://user:password@host',
    pattern: /([a-z][a-z0-9+.-]*:\/\/[^\s/:@]*):([^\s/@]+)@/gi,
    replace: (_m, scheme) => `${scheme}:${REDACTED}@`,
  },
  {
    key: 'pem-private-key',
    what: 'PEM private keys',
    pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
    replace: () => `-----BEGIN PRIVATE KEY----- ${REDACTED}`,
  },
  {
    key: 'authorization-header',
    what: 'Authorization, Proxy-Authorization and X-Registry-Auth values, keeping the scheme',
    pattern: /\b((?:proxy-)?authorization|x-registry-auth)(["']?\s*[:=]\s*["']?)(?:(basic|bearer|token|digest|negotiate)\s+)?[^\s"',;]+/gi,
    replace: (_m, name, sep, scheme) => `${name}${sep}${scheme ? `${scheme} ` : ''}${REDACTED}`,
  },
  {
    key: 'bearer-token',
    what: 'a bearer token anywhere in text',
    pattern: /\b(bearer)\s+(?!\[REDACTED\])[A-Za-z0-9._~+/-]+=*/gi,
    replace: (_m, word) => `${word} ${REDACTED}`,
  },
  {
    key: 'credential-header',
    what: 'headers named like credentials (`*-Token`, `*-Key`, `*-Signature`, Cookie, Set-Cookie, Private-Token) in `Name: value` text',
    // Idempotency-Key is named like one but is not a secret (and is useful in logs).
    pattern: /(?<![\w-])((?!idempotency-key\b)(?:[a-z][a-z0-9]*-)+(?:token|key|signature)|cookie|set-cookie)(["']?\s*:\s*["']?)(?!\[REDACTED\])[^\r\n"']+/gi,
    replace: (_m, name, sep) => `${name}${sep}${REDACTED}`,
  },
  {
    key: 'signed-url-query',
    what: 'signatures and tokens of signed URLs: AWS SigV4, GCS V4, Azure SAS `sig`, GitLab `private_token`, OAuth `client_secret`',
    pattern: new RegExp(`([?&](?:${QUERY_NAMES})=)(?!\\[REDACTED\\])[^&#\\s"']+`, 'gi'),
    replace: (_m, prefix) => `${prefix}${REDACTED}`,
  },
  {
    key: 'oauth-callback-code',
    what: 'the authorization `code` of an OAuth callback URL (a query with `state=` or a callback/authorize path)',
    pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+|\/[^\s"'<>]*\?[^\s"'<>]+/gi,
    replace: (url) => (OAUTH_CALLBACK.test(url) ? url.replace(/([?&]code=)(?!\[REDACTED\])[^&#\s"']+/gi, `$1${REDACTED}`) : url),
  },
  {
    key: 'secret-key-value',
    what: '`password=`, `token=`, `api_key=`, `secret=`, `client_secret=`… pairs in free text, query strings and JSON',
    pattern: new RegExp(`(?<![/.\\w-])(${KEY_NAMES})(["']?\\s*[:=]\\s*["']?)(?!\\[REDACTED\\])([^\\s"'&,;}]+)`, 'gi'),
    replace: (_m, name, sep) => `${name}${sep}${REDACTED}`,
  },
];
