import { BodyDecoder } from './body-decoder.js';
import { ProtocolViolation, framingOf, parseHead, type Framing } from './http1-head.js';

/** Feeds `parts` one at a time (each in a buffer of its own, as separate reads) and returns the body and whether it ended. */
function decode(framing: Framing, parts: string[]): { body: string; done: boolean } {
  const decoder = new BodyDecoder(framing);
  let body = '';
  for (const part of parts) {
    const buf = Buffer.from(part, 'latin1');
    for (let pos = 0; pos < buf.length && !decoder.done; ) {
      pos = decoder.next(buf, pos, buf.length);
      body += buf.toString('latin1', decoder.dataStart, decoder.dataEnd);
    }
  }
  return { body, done: decoder.done };
}

describe('parseHead', () => {
  test('status, lower-cased names, repeated headers as arrays, values trimmed', () => {
    expect(parseHead('HTTP/1.1 206 Partial Content\r\nETag: "a"\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\nX-Empty:\r\nX-Pad:   v  ')).toEqual({
      status: 206,
      headers: { etag: '"a"', 'set-cookie': ['a=1', 'b=2'], 'x-empty': '', 'x-pad': 'v' },
    });
    expect(parseHead('HTTP/1.0 200').status).toBe(200);
  });

  test.each([
    ['HTTP/2 200 OK', /bad status line/],
    ['HTTP/1.1 20 OK', /bad status line/],
    ['ICY 200 OK', /bad status line/],
    ['HTTP/1.1 200 OK\r\nno colon here', /bad header line "no colon here"/],
    ['\x1b[31mHTTP\x9b2J', /bad status line "\\u001b\[31mHTTP\\u009b2J"/],
    ['HTTP/1.1 200 OK\r\nbad name: v', /bad header line/],
    ['HTTP/1.1 200 OK\r\na: 1\r\n  folded', /obsolete line folding/],
  ])('%j is refused', (head, message) => {
    expect(() => parseHead(head)).toThrow(message);
  });
});

describe('framingOf', () => {
  const head = (status: number, headers: Record<string, string | string[]>) => ({ status, headers });
  test.each<[string, string, ReturnType<typeof head>, Framing]>([
    ['Content-Length', 'GET', head(200, { 'content-length': '42' }), { kind: 'length', length: 42 }],
    ['equal repeated Content-Lengths', 'GET', head(200, { 'content-length': ['7', '7'] }), { kind: 'length', length: 7 }],
    ['chunked', 'GET', head(200, { 'transfer-encoding': 'gzip, chunked' }), { kind: 'chunked' }],
    ['a coding without chunked: read until close', 'GET', head(200, { 'transfer-encoding': 'gzip' }), { kind: 'close' }],
    ['neither: read until close', 'GET', head(200, {}), { kind: 'close' }],
    ['HEAD', 'HEAD', head(200, { 'content-length': '42' }), { kind: 'none' }],
    ['204', 'GET', head(204, {}), { kind: 'none' }],
    ['304', 'GET', head(304, { 'content-length': '42' }), { kind: 'none' }],
  ])('%s', (_, method, h, framing) => {
    expect(framingOf(method, h)).toEqual(framing);
  });

  test.each([
    [{ 'content-length': '-1' }, /bad Content-Length/],
    [{ 'content-length': '1e3' }, /bad Content-Length/],
    [{ 'content-length': ['1', '2'] }, /bad Content-Length "1, 2"/],
    [{ 'content-length': '5', 'transfer-encoding': 'chunked' }, /ambiguous framing/],
    [{ 'transfer-encoding': 'chunked, chunked' }, /chunked twice/],
  ])('%j is refused', (headers, message) => {
    expect(() => framingOf('GET', head(200, headers))).toThrow(message);
  });
});

describe('BodyDecoder', () => {
  test.each<[string, Framing, string[], string]>([
    ['Content-Length across reads, extra bytes ignored', { kind: 'length', length: 11 }, ['hello', ' wor', 'ld!!!'], 'hello world'],
    ['chunked with extensions and trailers', { kind: 'chunked' }, ['5;a=b;c="d e"\r\nhello\r\n1 \t;x\r\n \r\n5\r\nworld\r\n0\r\nx-t: 1\r\ny: 2\r\n\r\n'], 'hello world'],
    ['chunked split at every byte', { kind: 'chunked' }, [...'3\r\nabc\r\nA\r\n0123456789\r\n0\r\n\r\n'], 'abc0123456789'],
    ['close-delimited', { kind: 'close' }, ['any', 'thing'], 'anything'],
  ])('%s', (_, framing, parts, body) => {
    expect(decode(framing, parts)).toEqual({ body, done: framing.kind !== 'close' });
  });

  test.each([
    ['zz\r\n', /bad chunk size line "zz"/],
    ['-1\r\n', /bad chunk size line/],
    ['5\nhello', /does not end with CRLF/],
    ['3\r\nabcX\r\n', /longer than its chunk size/],
    [`${'1'.repeat(20)}\r\n`, /bad chunk size line/],
    ['0\r\nnot a trailer\r\n\r\n', /bad trailer line/],
  ])('chunked %j is refused', (input, message) => {
    expect(() => decode({ kind: 'chunked' }, [input])).toThrow(ProtocolViolation);
    expect(() => decode({ kind: 'chunked' }, [input])).toThrow(message);
  });

  test('the end of input inside a body is a cut (ECONNRESET, so it is resumed); close-delimited ends there', () => {
    const length = new BodyDecoder({ kind: 'length', length: 10 });
    length.next(Buffer.from('abc'), 0, 3);
    expect(length.endOfInput()).toMatchObject({ code: 'ECONNRESET', message: expect.stringMatching(/after 3 of 10 body bytes/) });
    const chunked = new BodyDecoder({ kind: 'chunked' });
    chunked.next(Buffer.from('5\r\nab'), 0, 5);
    expect(chunked.endOfInput()).toMatchObject({ code: 'ECONNRESET' });
    expect(new BodyDecoder({ kind: 'close' }).endOfInput()).toBeUndefined();
  });
});
