import { UsageError } from '../errors/usage-error.js';

const UNIT_BYTES: Record<string, number> = {
  b: 1,
  k: 1024, kib: 1024, kb: 1000,
  m: 1024 ** 2, mib: 1024 ** 2, mb: 1000 ** 2,
  g: 1024 ** 3, gib: 1024 ** 3, gb: 1000 ** 3,
  t: 1024 ** 4, tib: 1024 ** 4, tb: 1000 ** 4,
};

/**
 * Bytes in a size such as `16MiB` (binary), `1.5GB` (decimal), `512k` (binary, like dd) or `4096`.
 */
export function parseSize(input: string | number, name = 'size'): number {
  if (typeof input === 'number' && Number.isFinite(input) && input >= 0) return Math.floor(input);
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(String(input).trim());
  const factor = match ? UNIT_BYTES[(match[2] || 'b').toLowerCase()] : undefined;
  if (!match || factor === undefined) {
    throw new UsageError(`Expected \`${name}\` to be a size like 4096, 512KiB, 16MiB or 1.5GB, got "${input}"`);
  }
  return Math.floor(Number(match[1]) * factor);
}

/** `1536` -> `1.5 KiB`: for messages and progress output. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}
