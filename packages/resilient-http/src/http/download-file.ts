import { WriteStream, writeSync } from 'node:fs';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { Socket } from 'node:net';
import { basename, dirname, join } from 'node:path';
import type { BodySink } from './direct/direct-body.js';
import type { ResponseHeaders } from './http-response.js';
import type { HttpPumpResponse } from './stream-response.js';

/** What `download()` wrote. */
export interface DownloadResult {
  readonly status: number;
  readonly headers: ResponseHeaders;
  readonly url: string;
  /** The file written (renamed into place once complete); undefined when written to a stream. */
  readonly file: string | undefined;
  readonly bytes: number;
  /** Attempts it took to get the first headers. */
  readonly attempts: number;
  readonly resumes: number;
  readonly restarts: number;
}

/** The answer whose body is about to be written (`download`'s `onHeaders`). */
export interface DownloadHead {
  readonly status: number;
  readonly headers: ResponseHeaders;
  readonly url: string;
}

/** Body bytes gathered before one write: a few hundred writes a GiB instead of one per socket read. */
export const DOWNLOAD_BLOCK_BYTES = 1024 * 1024;
/** A chunk this big is written as it is, not copied into the block first. */
const WRITE_AS_IS_BYTES = 128 * 1024;

type Start = (restart: (() => Promise<void>) | undefined) => Promise<HttpPumpResponse>;

/**
 * Writes a response body into `to`: a file path, through a temp file in the same directory (so
 * the rename is atomic; a body that cannot be resumed starts over by truncating it; on failure the
 * temp file is removed and `to` is untouched), or a stream (each chunk written before the next is
 * read: chunks may be views of a reused read buffer).
 */
export async function downloadFile(to: string | NodeJS.WritableStream, start: Start, onHeaders?: (head: DownloadHead) => void, slowWriteMs = SLOW_WRITE_MS): Promise<DownloadResult> {
  if (typeof to !== 'string') {
    const res = await start(undefined);
    onHeaders?.(res);
    const stream = streamSink(to);
    try {
      await res.pump.run(stream.sink);
    } finally {
      stream.detach();
    }
    return result(res, undefined);
  }
  // node:crypto is loaded here, not at start-up: a CLI GET to stdout never needs it.
  const { randomBytes } = await import('node:crypto');
  const temp = join(dirname(to), `.${basename(to)}.${randomBytes(4).toString('hex')}.part`);
  const handle = await open(temp, 'w');
  let done = false;
  try {
    const file = fileSink(handle, slowWriteMs);
    const res = await start(file.restart);
    onHeaders?.(res);
    await res.pump.run(file.sink);
    await file.flush();
    await handle.close();
    await rename(temp, to);
    done = true;
    return result(res, to);
  } finally {
    if (!done) {
      await handle.close().catch(() => {});
      await unlink(temp).catch(() => {});
    }
  }
}

function result(res: HttpPumpResponse, file: string | undefined): DownloadResult {
  const { bytes, resumes, restarts } = res.progress();
  return { status: res.status, headers: res.headers, url: res.url, file, bytes, attempts: res.attempts, resumes, restarts };
}

/** A synchronous write slower than this (a slow or throttled disk) switches the file to asynchronous writes. */
const SLOW_WRITE_MS = 100;

/**
 * Big chunks are written as they are; small ones (slow links, undici's reads) are gathered into
 * one reused 1 MiB block. Writes are synchronous while the disk keeps up: a write to the page
 * cache costs far less than a round trip through libuv's thread pool (the bench: 1 GiB in about
 * half the time); once one takes longer than 100 ms, the rest go asynchronously, so a slow disk
 * does not hold the event loop (timers, signals).
 */
function fileSink(handle: FileHandle, slowWriteMs: number): { sink: BodySink; flush: () => Promise<void>; restart: () => Promise<void> } {
  const block = Buffer.allocUnsafe(DOWNLOAD_BLOCK_BYTES);
  let filled = 0;
  let position = 0;
  let sync = true;
  const writeNow = (buffer: Buffer, length: number): void => {
    const started = performance.now();
    for (let written = 0; written < length; ) written += writeSync(handle.fd, buffer, written, length - written, position + written);
    position += length;
    if (performance.now() - started > slowWriteMs) sync = false;
  };
  const flush = async (): Promise<void> => {
    position += await writeAll(handle, block, filled, position);
    filled = 0;
  };
  const sink: BodySink = (chunk) => {
    const gather = chunk.length < WRITE_AS_IS_BYTES;
    if (gather && filled + chunk.length <= block.length) {
      filled += chunk.copy(block, filled);
      return undefined;
    }
    if (sync) {
      if (filled) writeNow(block, filled);
      filled = 0;
      if (gather) filled += chunk.copy(block, 0);
      else writeNow(chunk, chunk.length);
      return undefined;
    }
    return (async () => {
      if (filled) await flush();
      if (gather) filled += chunk.copy(block, 0);
      else position += await writeAll(handle, chunk, chunk.length, position);
    })();
  };
  const restart = async (): Promise<void> => {
    filled = 0;
    position = 0;
    await handle.truncate(0);
  };
  return { sink, flush, restart };
}

/**
 * Writes each chunk and waits for its callback; a stream error fails the download. A chunk may be
 * a view of a reused read buffer: it is handed on as it is only to streams that are done with it
 * once their callback runs (process.stdout, sockets, file streams); any other stream (a
 * PassThrough keeps what it is given) gets a copy.
 */
function streamSink(to: NodeJS.WritableStream): { sink: BodySink; detach: () => void } {
  let failure: Error | undefined;
  const onError = (error: Error): void => void (failure ??= error);
  to.on('error', onError);
  const asIs = to === process.stdout || to === process.stderr || to instanceof Socket || to instanceof WriteStream;
  const sink: BodySink = (chunk) =>
    new Promise<void>((resolve, reject) => {
      if (failure) return reject(failure);
      to.write(asIs ? chunk : Buffer.from(chunk), (error) => (error ? reject(error) : failure ? reject(failure) : resolve()));
    });
  return { sink, detach: () => to.removeListener('error', onError) };
}

/** Writes `length` bytes of `buffer` at `position`; resolves with `length`. */
async function writeAll(handle: FileHandle, buffer: Buffer, length: number, position: number): Promise<number> {
  let written = 0;
  while (written < length) written += (await handle.write(buffer, written, length - written, position + written)).bytesWritten;
  return length;
}
