import { PassThrough } from 'node:stream';
import { ProbeFailure } from '../errors.js';
import { readBanner } from './read-banner.js';

function feed(chunks: readonly string[], end: boolean): PassThrough {
  const stream = new PassThrough();
  setImmediate(() => {
    for (const c of chunks) stream.write(c);
    if (end) stream.end();
  });
  return stream;
}

describe('readBanner', () => {
  test.each([
    [['SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n'], 'SSH-2.0-OpenSSH_9.2p1 Debian-2'],
    [['SSH-2.0-Op', 'enSSH_9.2\r\n'], 'SSH-2.0-OpenSSH_9.2'],
    [['Welcome to host\r\nAuthorized use only\r\n', 'SSH-2.0-dropbear\r\n'], 'SSH-2.0-dropbear'],
  ])('finds the identification line in %j and puts every byte back', async (chunks, banner) => {
    const stream = feed(chunks, false);
    await expect(readBanner(stream, 'h:22', new AbortController().signal)).resolves.toBe(banner);
    expect(stream.read()?.toString()).toBe(chunks.join(''));
  });

  test.each([
    [['HTTP/1.0 400 Bad Request\r\n\r\n'], true, false, 'not an SSH server (saw "HTTP/1.0 400 Bad Request")'],
    [['HTTP/1.1 400 Bad Request\r\n'], false, false, 'not an SSH server (saw "HTTP/1.1 400 Bad Request")'],
    [['220 mail.example.com ESMTP Postfix\r\n'], false, false, 'not an SSH server (saw "220 mail.example.com ESMTP Postfix")'],
    [['+OK POP3 ready\r\n'], false, false, 'not an SSH server (saw "+OK POP3 ready")'],
    [['\x15\x03\x03\x00\x02\x02\x32'], false, false, 'not an SSH server (saw a TLS alert (hex 15 03 03 00 02 02 32): the port speaks TLS)'],
    [['\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a'], false, false, 'not an SSH server (saw 10 bytes of binary data (hex 01 02 03 04 05 06 07 08 ...))'],
    [['hello "there"\x1b[31m\r\n'], true, false, 'not an SSH server (saw 20 bytes of binary data'],
    [['Exceeded MaxStartups\r\n'], true, true, 'MaxStartups'],
    [[], true, true, 'closed the connection before its SSH banner'],
  ])('%j: protocol failure at banner (retryable: %s)', async (chunks, end, retryable, message) => {
    const error = await readBanner(feed(chunks, end), 'h:22', new AbortController().signal).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProbeFailure);
    expect(error).toMatchObject({ stage: 'banner', retryable, reason: retryable ? 'throttled' : 'protocol', message: expect.stringContaining(message) });
  });

  test('text the server sends before an HTTP line is escaped for a terminal', async () => {
    const error = await readBanner(feed(['HTTP/1.1 400 "bad"\x07\r\n'], false), 'h:22', new AbortController().signal).catch((e: unknown) => e);
    expect((error as Error).message).toBe('h:22 is not an SSH server (saw "HTTP/1.1 400 \\"bad\\"\\x07")');
  });

  test('a reset before any byte is retryable', async () => {
    const stream = new PassThrough();
    setImmediate(() => stream.destroy(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })));
    await expect(readBanner(stream, 'h:22', new AbortController().signal)).rejects.toMatchObject({ retryable: true, stage: 'banner' });
  });

  test('an abort rejects with the signal reason and destroys the stream', async () => {
    const stream = new PassThrough();
    const controller = new AbortController();
    const pending = readBanner(stream, 'h:22', controller.signal);
    controller.abort(new Error('deadline'));
    await expect(pending).rejects.toThrow('deadline');
    expect(stream.destroyed).toBe(true);
  });
});
