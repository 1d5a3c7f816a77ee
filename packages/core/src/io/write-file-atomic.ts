import { open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { OpsError } from '../errors/ops-error.js';
import { ExitCode } from '../errors/exit-codes.js';

export interface WriteFileAtomicOptions {
  /** File mode of a new file. Defaults to 0o644; use 0o600 for anything holding secrets. */
  readonly mode?: number;
}

/**
 * Writes `data` to a temporary file beside `path`, fsyncs it and renames it over `path`, so a
 * reader sees the old file or the new one, never half of it.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: WriteFileAtomicOptions = {}): Promise<void> {
  // /dev/null, /dev/stdout, a FIFO: written in place. A rename would put a regular file where the
  // device or pipe was (as root, /dev/null itself).
  if (await isSpecialFile(path)) {
    try {
      return await writeFile(path, data);
    } catch (error) {
      throw writeFailed(path, error);
    }
  }
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${(await import('node:crypto')).randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', options.mode ?? 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw writeFailed(path, error);
  }
}

function writeFailed(path: string, error: unknown): OpsError {
  return new OpsError('OUTPUT_WRITE_FAILED', `Could not write ${path}: ${(error as Error).message}`, {
    cause: error, exitCode: ExitCode.USAGE, context: { path }, hint: 'check that the directory exists and is writable',
  });
}

/** The path exists and is neither a regular file nor a directory (a device, a FIFO, a socket). */
async function isSpecialFile(path: string): Promise<boolean> {
  // bigint: a plain stat of a FIFO confuses Node 20's module loader (seen in config-schema).
  const info = await stat(path, { bigint: true }).catch(() => undefined);
  return info !== undefined && !info.isFile() && !info.isDirectory();
}
