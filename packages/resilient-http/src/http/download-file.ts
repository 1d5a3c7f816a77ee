import { open, rename, unlink } from 'node:fs/promises';
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

/**
 * Streams a response into `file` through a temp file in the same directory (so the rename is
 * atomic), one chunk in memory at a time; a body that cannot be resumed starts over by
 * truncating the temp file. On failure the temp file is removed and `file` is untouched.
 */
export async function downloadFile(file: string, start: (restart: () => Promise<void>) => Promise<HttpStreamResponse>): Promise<DownloadResult> {
  // node:crypto is loaded here, not at start-up: a CLI GET to stdout never needs it.
  const { randomBytes } = await import('node:crypto');
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(4).toString('hex')}.part`);
  const handle = await open(temp, 'w');
  let position = 0;
  let done = false;
  try {
    const res = await start(async () => {
      await handle.truncate(0);
      position = 0;
    });
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      let written = 0;
      while (written < chunk.length) {
        const { bytesWritten } = await handle.write(chunk, written, chunk.length - written, position);
        written += bytesWritten;
        position += bytesWritten;
      }
    }
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
