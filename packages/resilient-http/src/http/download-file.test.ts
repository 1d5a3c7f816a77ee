import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DOWNLOAD_BLOCK_BYTES, downloadFile } from './download-file.js';
import type { HttpStreamResponse } from './stream-response.js';

const bytes = (n: number, fill: number) => Buffer.alloc(n, fill);

/** A streamed response whose body yields `chunks`; `beforeChunk(i, restart)` runs before chunk i is yielded. */
function response(chunks: Buffer[], restart: (delivered: number) => Promise<void>, beforeChunk: (i: number) => Promise<void> = async () => {}): HttpStreamResponse {
  async function* gen() {
    for (let i = 0; i < chunks.length; i++) {
      await beforeChunk(i);
      yield chunks[i]!;
    }
  }
  const total = chunks.reduce((n, c) => n + c.length, 0);
  return { status: 200, headers: {}, url: 'http://127.0.0.1/x', attempts: 1, body: Readable.from(gen(), { objectMode: false }), progress: () => ({ bytes: total, resumes: 0, restarts: 0, total }) };
}

describe('downloadFile', () => {
  test.each([
    ['small chunks gathered into blocks', [bytes(10, 1), bytes(20, 2), bytes(30, 3)]],
    ['chunks larger than a block', [bytes(5, 1), bytes(DOWNLOAD_BLOCK_BYTES + 7, 2), bytes(3, 3)]],
    ['chunks that fill a block exactly', [bytes(DOWNLOAD_BLOCK_BYTES - 1, 1), bytes(1, 2), bytes(DOWNLOAD_BLOCK_BYTES, 3)]],
  ])('writes every byte in order: %s', async (_, chunks) => {
    const dir = await mkdtemp(join(tmpdir(), 'rh-dl-'));
    const file = join(dir, 'out.bin');
    await downloadFile(file, async (restart) => response(chunks, restart));
    expect((await readFile(file)).equals(Buffer.concat(chunks))).toBe(true);
    expect(await readdir(dir)).toEqual(['out.bin']);
  });

  test('a restart announced while chunks of the abandoned attempt are still unread drops exactly those', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rh-dl-'));
    const file = join(dir, 'out.bin');
    // Chunks 0-1 belong to the abandoned attempt (30 bytes); the restart is announced before the
    // consumer has read them (the body reads ahead), then the new attempt yields chunks 2-3.
    const chunks = [bytes(10, 1), bytes(20, 2), bytes(15, 7), bytes(5, 8)];
    let restart: (delivered: number) => Promise<void> = async () => {};
    await downloadFile(file, async (r) => {
      restart = r;
      return response(chunks, r, async (i) => {
        if (i === 0) await restart(30);
      });
    });
    expect((await readFile(file)).equals(Buffer.concat(chunks.slice(2)))).toBe(true);
  });
});
