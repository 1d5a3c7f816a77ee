import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { DOWNLOAD_BLOCK_BYTES, downloadFile } from './download-file.js';
import type { BodySink } from './direct/direct-body.js';
import type { HttpPumpResponse } from './stream-response.js';
import { makeTempDir } from '@ops/testkit';

const bytes = (n: number, fill: number) => Buffer.alloc(n, fill);

/**
 * A response whose pump hands `chunks` to the sink through ONE reused buffer, as a body read
 * straight from the socket does: a sink that kept a chunk past its return would see it overwritten.
 * `beforeChunk(i)` runs before chunk i.
 */
function response(chunks: Buffer[], beforeChunk: (i: number) => Promise<void> = async () => {}): HttpPumpResponse {
  const reused = Buffer.alloc(Math.max(...chunks.map((c) => c.length)));
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const run = async (sink: BodySink): Promise<void> => {
    for (let i = 0; i < chunks.length; i++) {
      await beforeChunk(i);
      chunks[i]!.copy(reused);
      await sink(reused.subarray(0, chunks[i]!.length));
      reused.fill(0xee);
    }
  };
  return { status: 200, headers: {}, url: 'http://127.0.0.1/x', attempts: 1, pump: { run, stop: () => {}, progress: () => ({ bytes: total, resumes: 0, restarts: 0, total }) }, progress: () => ({ bytes: total, resumes: 0, restarts: 0, total }) };
}

const cases: Array<[string, Buffer[]]> = [
  ['small chunks gathered into blocks', [bytes(10, 1), bytes(20, 2), bytes(30, 3)]],
  ['chunks larger than a block', [bytes(5, 1), bytes(DOWNLOAD_BLOCK_BYTES + 7, 2), bytes(3, 3)]],
  ['chunks that fill a block exactly', [bytes(DOWNLOAD_BLOCK_BYTES - 1, 1), bytes(1, 2), bytes(DOWNLOAD_BLOCK_BYTES, 3)]],
  ['big reads written as they are between small ones', [bytes(100, 1), bytes(300_000, 2), bytes(7, 3), bytes(200_000, 4), bytes(64 * 1024, 5)]],
];

describe('downloadFile', () => {
  test.each(cases)('writes every byte in order to a file: %s', async (_, chunks) => {
    const dir = makeTempDir('rh-dl-').path;
    const file = join(dir, 'out.bin');
    const result = await downloadFile(file, async () => response(chunks));
    expect((await readFile(file)).equals(Buffer.concat(chunks))).toBe(true);
    expect(await readdir(dir)).toEqual(['out.bin']);
    expect(result.file).toBe(file);
  });

  test.each(cases)('writes every byte in order to a file, asynchronously after a slow write: %s', async (_, chunks) => {
    const dir = makeTempDir('rh-dl-').path;
    const file = join(dir, 'out.bin');
    await downloadFile(file, async () => response(chunks), undefined, -1);
    expect((await readFile(file)).equals(Buffer.concat(chunks))).toBe(true);
  });

  test.each(cases)('writes every byte in order to a stream: %s', async (_, chunks) => {
    const out = new PassThrough();
    const got: Buffer[] = [];
    out.on('data', (c: Buffer) => got.push(Buffer.from(c)));
    const heads: number[] = [];
    const result = await downloadFile(out, async () => response(chunks), (head) => heads.push(head.status));
    expect(Buffer.concat(got).equals(Buffer.concat(chunks))).toBe(true);
    expect([heads, result.file]).toEqual([[200], undefined]);
  });

  test('a restart drops what the abandoned attempt wrote', async () => {
    const dir = makeTempDir('rh-dl-').path;
    const file = join(dir, 'out.bin');
    // Chunks 0-1 belong to the abandoned attempt; the restart comes before chunk 2.
    const chunks = [bytes(10, 1), bytes(200_000, 2), bytes(15, 7), bytes(5, 8)];
    for (const slowWriteMs of [100, -1]) {
      await downloadFile(file, async (restart) => response(chunks, async (i) => (i === 2 ? restart!() : undefined)), undefined, slowWriteMs);
      expect((await readFile(file)).equals(Buffer.concat(chunks.slice(2)))).toBe(true);
    }
  });

  test('a failed download leaves neither the file nor its temp file', async () => {
    const dir = makeTempDir('rh-dl-').path;
    const failing = response([bytes(10, 1), bytes(10, 2)], async (i) => {
      if (i === 1) throw new Error('cut');
    });
    await expect(downloadFile(join(dir, 'out.bin'), async () => failing)).rejects.toThrow('cut');
    expect(await readdir(dir)).toEqual([]);
  });
});
