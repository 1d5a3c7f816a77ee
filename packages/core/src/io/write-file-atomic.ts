import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
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
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
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
    throw new OpsError('OUTPUT_WRITE_FAILED', `Could not write ${path}: ${(error as Error).message}`, {
      cause: error, exitCode: ExitCode.USAGE, context: { path }, hint: 'check that the directory exists and is writable',
    });
  }
}
