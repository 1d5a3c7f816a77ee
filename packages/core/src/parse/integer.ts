import { UsageError } from '../errors/usage-error.js';

export interface IntegerRange {
  /** Smallest value accepted. Defaults to 0. */
  readonly min?: number;
  /** Largest value accepted. Defaults to none. */
  readonly max?: number;
}

function expected({ min = 0, max }: IntegerRange): string {
  if (max !== undefined) return `an integer from ${min} to ${max}`;
  if (min === 0) return 'a non-negative integer';
  if (min === 1) return 'a positive integer';
  return `an integer >= ${min}`;
}

/**
 * The value of an integer flag such as `--retries 3` (digits only: no sign, exponent or
 * spaces), or undefined when the flag was not given; out of range is a `UsageError` naming it.
 */
export function parseIntegerFlag(value: string | undefined, flag: string, range: IntegerRange = {}): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= (range.min ?? 0)) || (range.max !== undefined && n > range.max)) {
    throw new UsageError(`Expected \`${flag}\` to be ${expected(range)}, got "${value}"`);
  }
  return n;
}

/**
 * Checks an integer option of a library (`retries`, `concurrency`...) and returns it; anything
 * else is a `UsageError` naming the option: ``Expected `retries` to be a non-negative integer, got -1``.
 */
export function checkIntegerOption(value: number, name: string, range: IntegerRange = {}): number {
  if (!Number.isInteger(value) || value < (range.min ?? 0) || (range.max !== undefined && value > range.max)) {
    throw new UsageError(`Expected \`${name}\` to be ${expected(range)}, got ${String(value)}`);
  }
  return value;
}
