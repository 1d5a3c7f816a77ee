import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { MetricsError } from '../errors.js';

/**
 * Reads a procfs (or sysfs, cgroupfs) file without ever blocking the agent: the file is opened
 * with O_NONBLOCK, so a FIFO or a device put in its place opens at once instead of waiting for a
 * writer, and anything but a regular file is refused before a read. A blocked open or read would
 * hold one of libuv's four pool threads for good, and Node's exit waits for those threads:
 * that is how a FIFO under `--proc-root` used to keep a SIGTERMed agent alive.
 */
export async function readProcFile(path: string, signal?: AbortSignal): Promise<string> {
  signal?.throwIfAborted();
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) {
      throw new MetricsError('METRICS_COLLECT_FAILED', `${path} is not a regular file (${kind(stat)}); not reading it, since a read could block`, {
        context: { path },
        hint: 'check what is mounted at --proc-root / --cgroup-root',
      });
    }
    return await handle.readFile({ encoding: 'utf8', signal });
  } finally {
    await handle.close();
  }
}

function kind(stat: { isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean; isDirectory(): boolean }): string {
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  if (stat.isDirectory()) return 'a directory';
  return 'not a file';
}
