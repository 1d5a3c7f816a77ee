import { execFile } from 'node:child_process';

/** One mounted filesystem's size, in bytes. */
export interface FilesystemSample {
  readonly device: string;
  readonly mountpoint: string;
  readonly fstype: string;
  readonly sizeBytes: number;
  readonly availBytes: number;
}

/** Parses `df -kPT` output (POSIX format with the type column, sizes in KiB). */
export function parseDf(text: string): FilesystemSample[] {
  const out: FilesystemSample[] = [];
  for (const line of text.split('\n').slice(1)) {
    // Filesystem Type 1024-blocks Used Available Capacity Mounted-on (the mountpoint may hold spaces).
    const m = /^(\S+)\s+(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+\S+\s+(.+)$/.exec(line);
    if (!m) continue;
    out.push({ device: m[1]!, fstype: m[2]!, sizeBytes: Number(m[3]) * 1024, availBytes: Number(m[5]) * 1024, mountpoint: m[6]! });
  }
  return out;
}

/**
 * Filesystem sizes. On Linux `df` runs as a child process that `signal` kills (SIGKILL): a
 * statfs() on a hung NFS mount blocks that child, never the agent (in the agent it would hold a
 * libuv pool thread, and with it the agent's exit). Elsewhere systeminformation answers.
 */
export async function readFilesystems(signal: AbortSignal): Promise<FilesystemSample[]> {
  if (process.platform !== 'linux') {
    const list = await (await import('systeminformation')).default.fsSize();
    return list.map((f) => ({ device: f.fs, mountpoint: f.mount, fstype: f.type, sizeBytes: f.size, availBytes: f.available }));
  }
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile('df', ['-kPT', '-x', 'squashfs'], { signal, killSignal: 'SIGKILL', env: { ...process.env, LC_ALL: 'C' }, maxBuffer: 4 * 1024 * 1024 }, (error, out) => {
      // df exits 1 when one filesystem cannot be read but still prints the others.
      if (error && !out) reject(error);
      else resolve(out);
    });
  });
  return parseDf(stdout);
}
