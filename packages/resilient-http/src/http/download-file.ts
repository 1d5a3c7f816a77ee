import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ResponseHeaders } from './http-response.js';
import type { HttpStreamResponse } from './stream-response.js';

/** What `download()` wrote. */
export interface DownloadResult {
  readonly status: number;
  readonly headers: ResponseHeaders;
  readonly url: string;
  /** The file written (renamed into place once complete). */
  readonly file: string;
  readonly bytes: number;
  /** Attempts it took to get the first headers. */
  readonly attempts: number;
  readonly resumes: number;
  readonly restarts: number;
}

/** Body bytes gathered before one write: a few hundred writes a GiB instead of one per socket read. */
export const DOWNLOAD_BLOCK_BYTES = 1024 * 1024;

/**
 * Streams a response into `file` through a temp file in the same directory (so the rename is
 * atomic), gathering chunks into one reused 1 MiB block written at a time; a body that cannot be
 * resumed starts over by truncating the temp file, once the bytes of the abandoned attempt still
 * buffered ahead of the consumer are read. On failure the temp file is removed and `file` is untouched.
 */
export async function downloadFile(file: string, start: (restart: (delivered: number) => Promise<void>) => Promise<HttpStreamResponse>): Promise<DownloadResult> {
  // node:crypto is loaded here, not at start-up: a CLI GET to stdout never needs it.
  const { randomBytes } = await import('node:crypto');
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(4).toString('hex')}.part`);
  const handle = await open(temp, 'w');
  const block = Buffer.allocUnsafe(DOWNLOAD_BLOCK_BYTES);
  let filled = 0;
  let position = 0;
  // Bytes of the current attempt read so far, and where each pending restart begins (in bytes of
  // the attempt it abandons): the body reads ahead, so chunks of the old attempt may still come.
  let read = 0;
  const restartsAt: number[] = [];
  const startOver = async (): Promise<void> => {
    while (restartsAt.length && read === restartsAt[0]) {
      restartsAt.shift();
      filled = 0;
      position = 0;
      read = 0;
      await handle.truncate(0);
    }
  };
  let done = false;
  try {
    const res = await start(async (delivered) => void restartsAt.push(delivered));
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      await startOver();
      read += chunk.length;
      if (filled + chunk.length > block.length) {
        position += await writeAll(handle, block, filled, position);
        filled = 0;
      }
      if (chunk.length >= block.length) position += await writeAll(handle, chunk, chunk.length, position);
      else filled += chunk.copy(block, filled);
    }
    await startOver();
    await writeAll(handle, block, filled, position);
    await handle.close();
    await rename(temp, file);
    done = true;
    const { bytes, resumes, restarts } = res.progress();
    return { status: res.status, headers: res.headers, url: res.url, file, bytes, attempts: res.attempts, resumes, restarts };
  } finally {
    if (!done) {
      await handle.close().catch(() => {});
      await unlink(temp).catch(() => {});
    }
  }
}

/** Writes `length` bytes of `buffer` at `position`; resolves with `length`. */
async function writeAll(handle: FileHandle, buffer: Buffer, length: number, position: number): Promise<number> {
  let written = 0;
  while (written < length) written += (await handle.write(buffer, written, length - written, position + written)).bytesWritten;
  return length;
}
