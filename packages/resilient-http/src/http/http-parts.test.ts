import { registerSecret } from '@ops/core';
import { classifyNetworkError, networkErrorCode } from './network-errors.js';
import { parseRetryAfter } from './retry-after.js';
import { redactUrl } from './redact-url.js';
import { requestTarget } from './request-target.js';
import { resolveClientBasics, resolveHttpRetry } from './client-options.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('parseRetryAfter', () => {
  test.each<[string | string[] | undefined, number | undefined]>([
    ['120', 120_000],
    [' 0 ', 0],
    [['5', '9'], 5000],
    ['Thu, 01 Jan 2026 12:00:30 GMT', 30_000],
    ['Thu, 01 Jan 2026 11:59:00 GMT', 0], // in the past
    ['-5', undefined],
    ['1.5', undefined],
    ['soon', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%p -> %p', (value, expected) => expect(parseRetryAfter(value, NOW)).toBe(expected));
});

describe('redactUrl', () => {
  test.each([
    ['https://user:pa55word@api.example.com/x', 'https://api.example.com/x'],
    ['https://api.example.com/x?token=abc123&page=2', 'https://api.example.com/x?token=[REDACTED]&page=2'],
    ['http://127.0.0.1:8080/a?api_key=k', 'http://127.0.0.1:8080/a?api_key=[REDACTED]'],
    ['not a url password=x', 'not a url password=[REDACTED]'],
  ])('%s -> %s', (input, expected) => expect(redactUrl(input)).toBe(expected));

  test('registered secrets are removed from paths too', () => {
    registerSecret('deadbeefcafe');
    expect(redactUrl('https://h/hooks/deadbeefcafe')).toBe('https://h/hooks/[REDACTED]');
  });
});

describe('network error classification', () => {
  const err = (code: string, cause?: unknown) => Object.assign(new Error(code), { code, cause });
  test.each([
    ['ECONNRESET', 'retry'],
    ['ECONNREFUSED', 'retry'],
    ['EPIPE', 'retry'],
    ['ETIMEDOUT', 'retry'],
    ['EAI_AGAIN', 'retry'],
    ['UND_ERR_CONNECT_TIMEOUT', 'retry'],
    ['UND_ERR_HEADERS_TIMEOUT', 'retry'],
    ['UND_ERR_BODY_TIMEOUT', 'retry'],
    ['UND_ERR_SOCKET', 'retry'],
    ['ENOTFOUND', 'permanent'],
    ['CERT_HAS_EXPIRED', 'permanent'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'permanent'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'permanent'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'permanent'],
    ['UND_ERR_INVALID_ARG', 'unknown'],
  ])('%s is %s', (code, kind) => expect(classifyNetworkError(err(code))).toBe(kind));

  test('codes are found along the cause chain (fetch-style TypeError)', () => {
    const wrapped = new TypeError('fetch failed', { cause: err('ECONNRESET') });
    expect(networkErrorCode(wrapped)).toBe('ECONNRESET');
    expect(classifyNetworkError(wrapped)).toBe('retry');
    expect(classifyNetworkError(new Error('plain'))).toBe('unknown');
  });
});

describe('requestTarget', () => {
  const base = new URL('http://api.local/v1/');
  test.each([
    ['/items', 'http://api.local/v1/items'],
    ['items/7', 'http://api.local/v1/items/7'],
    ['https://other.local/x', 'https://other.local/x'],
  ])('%s resolves to %s', (path, expected) => expect(requestTarget(base, path).url.toString()).toBe(expected));

  test('query values: arrays repeat, undefined and null are skipped', () => {
    expect(requestTarget(base, '/q', { a: [1, 2], b: true, c: undefined, d: null }).url.search).toBe('?a=1&a=2&b=true');
  });

  test('credentials become a Basic Authorization header', () => {
    const t = requestTarget(undefined, 'http://bob:se%40cret@h.local/');
    expect(t.url.toString()).toBe('http://h.local/');
    expect(t.authorization).toBe(`Basic ${Buffer.from('bob:se@cret').toString('base64')}`);
  });

  test.each([
    [undefined, '/relative', /no baseUrl is set/],
    [base, 'ftp://x/y', /Expected an http or https URL, got ftp:/],
  ])('rejects %s + %s', (b, path, message) => expect(() => requestTarget(b, path)).toThrow(message));
});

describe('client options', () => {
  test.each([
    [{ baseUrl: 'nope' }, /Expected `baseUrl` to be an absolute http\(s\) URL/],
    [{ baseUrl: 'ftp://x' }, /`baseUrl` to be an http or https URL/],
    [{ timeout: '0' }, /`timeout` to be a positive duration/],
    [{ timeout: 'fast' }, /`timeout`/],
    [{ maxErrorBody: -1 }, /`maxErrorBody`/],
  ])('%o is rejected', (options, message) => expect(() => resolveClientBasics(options)).toThrow(message));

  test('baseUrl gets a trailing slash so paths append', () => {
    expect(resolveClientBasics({ baseUrl: 'http://h/api' }).baseUrl?.toString()).toBe('http://h/api/');
  });

  test('retry defaults and validation', () => {
    const r = resolveHttpRetry(undefined);
    expect([...r.statuses]).toEqual([408, 425, 429, 500, 502, 503, 504]);
    expect([...r.methods]).toEqual(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
    expect(r.maxRetryAfterMs).toBe(60_000);
    expect(resolveHttpRetry(false).enabled).toBe(false);
    expect(() => resolveHttpRetry({ statuses: [700] })).toThrow(/`retry.statuses`/);
    expect(() => resolveHttpRetry({ maxRetryAfter: 'x' })).toThrow(/`retry.maxRetryAfter`/);
  });
});
