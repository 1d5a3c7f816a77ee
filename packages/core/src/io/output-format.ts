import { UsageError } from '../errors/usage-error.js';

/**
 * Checks a `--format` value against the formats a CLI supports; without one, picks
 * `ttyDefault` on a terminal and `pipeDefault` otherwise.
 */
export function resolveOutputFormat<F extends string>(
  value: string | undefined,
  allowed: readonly F[],
  defaults: { readonly tty: F; readonly pipe: F },
  stdout: { isTTY?: boolean } = process.stdout,
): F {
  if (value === undefined) return stdout.isTTY ? defaults.tty : defaults.pipe;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`Expected \`--format\` to be one of ${allowed.join(', ')}, got "${value}"`);
  }
  return value as F;
}
