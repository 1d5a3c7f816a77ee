import { readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

/**
 * Splits [0, size) into `parts` byte ranges whose boundaries sit just after a newline, so no
 * line is cut; a range may come out empty when one line spans several split points. The small
 * reads are synchronous: dozens of them through the thread pool cost milliseconds before any
 * thread could start.
 */
export function splitRanges(fh: FileHandle, size: number, parts: number): Array<[number, number]> {
  return splitRangesAt(fh, size, evenPoints(size, parts));
}

/** The points that cut [0, size) into `parts` ranges of (nearly) equal size. */
function evenPoints(size: number, parts: number): number[] {
  return Array.from({ length: parts - 1 }, (_, k) => Math.floor((size * (k + 1)) / parts));
}

/**
 * Where a file of `size` bytes is cut for `threads` threads taking ranges of about `rangeBytes`
 * in turns (at least one range per thread): the last `threads` ranges are cut in four, so that
 * the threads end their last ranges within a quarter of a range of each other.
 */
export function splitPoints(size: number, rangeBytes: number, threads: number): number[] {
  const parts = Math.max(threads, Math.ceil(size / rangeBytes));
  const even = evenPoints(size, parts);
  if (parts < 4 * threads) return even;
  const tail = parts - threads; // the first of the ranges cut in four
  const from = even[tail - 1]!;
  const small = Array.from({ length: 4 * threads - 1 }, (_, k) => Math.floor(from + ((size - from) * (k + 1)) / (4 * threads)));
  return [...even.slice(0, tail), ...small];
}

/** Splits [0, size) at the first newline at or after each point (see splitRanges). */
export function splitRangesAt(fh: FileHandle, size: number, points: readonly number[]): Array<[number, number]> {
  const bounds = [0];
  const window = Buffer.allocUnsafe(4 << 10); // lines are short: one small read finds the next newline
  for (const point of points) {
    let pos = Math.max(point, bounds[bounds.length - 1]!);
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
