import { UsageError } from '../errors/usage-error.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export interface ParseDurationOptions {
  /** Unit for a bare number such as `5`. Defaults to none: a bare number is rejected (except 0). */
  readonly defaultUnit?: 'ms' | 's';
  /** Name of the flag or option, used in the error message. Defaults to `duration`. */
  readonly name?: string;
}

/**
 * Milliseconds in a duration such as `500ms`, `1.5s`, `2m`, `1h30m`, `1d`. Numbers pass through
 * as milliseconds.
 */
export function parseDuration(input: string | number, options: ParseDurationOptions = {}): number {
  const name = options.name ?? 'duration';
  if (typeof input === 'number') {
    if (Number.isFinite(input) && input >= 0) return input;
    throw new UsageError(`Expected \`${name}\` to be a non-negative number of milliseconds, got ${input}`);
  }
  const text = input.trim();
  if (/^\d+(\.\d+)?$/.test(text)) {
    if (Number(text) === 0) return 0;
    if (options.defaultUnit) return Math.round(Number(text) * UNIT_MS[options.defaultUnit]!);
  }
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) {
    throw new UsageError(`Expected \`${name}\` to be a duration like 500ms, 1.5s, 2m or 1h30m, got "${input}"`);
  }
  return Math.round(parts.reduce((sum, [, n, unit]) => sum + Number(n) * UNIT_MS[unit!]!, 0));
}

/** `1500` -> `1.5s`, `90000` -> `1m30s`: for messages. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(ms < 10_000 ? 2 : 1))}s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return s ? `${m}m${s}s` : `${m}m`;
}
