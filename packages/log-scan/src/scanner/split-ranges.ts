import { readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

/**
 * Splits [0, size) into `parts` byte ranges whose boundaries sit just after a newline, so no
 * line is cut; a range may come out empty when one line spans several split points. The small
 * reads are synchronous: dozens of them through the thread pool cost milliseconds before any
 * thread could start.
 */
export function splitRanges(fh: FileHandle, size: number, parts: number): Array<[number, number]> {
  const bounds = [0];
  const window = Buffer.allocUnsafe(4 << 10); // lines are short: one small read finds the next newline
  for (let k = 1; k < parts; k++) {
    let pos = Math.max(Math.floor((size * k) / parts), bounds[bounds.length - 1]!);
    let boundary = size;
    while (pos < size) {
      const bytesRead = readSync(fh.fd, window, 0, window.length, pos);
      if (bytesRead === 0) break;
      const nl = window.subarray(0, bytesRead).indexOf(10);
      if (nl !== -1) { boundary = pos + nl + 1; break; }
      pos += bytesRead;
    }
    bounds.push(boundary);
  }
  bounds.push(size);
  return bounds.slice(0, -1).map((start, i) => [start, bounds[i + 1]!] as [number, number]);
}
