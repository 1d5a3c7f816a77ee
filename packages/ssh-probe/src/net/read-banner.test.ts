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
    [['HTTP/1.1 400 Bad Request\r\n\r\n'], true, false, /not an SSH server: it sent "HTTP\/1\.1 400 Bad Request"/],
    [['\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03'], false, false, /not an SSH server: it sent \d+ bytes of non-text data/],
    [['Exceeded MaxStartups\r\n'], true, true, /MaxStartups/],
    [[], true, true, /closed the connection before its SSH banner/],
  ])('%j: protocol failure at banner (retryable: %s)', async (chunks, end, retryable, message) => {
    const error = await readBanner(feed(chunks, end), 'h:22', new AbortController().signal).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProbeFailure);
    expect(error).toMatchObject({ reason: 'protocol', stage: 'banner', retryable, message: expect.stringMatching(message) });
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
