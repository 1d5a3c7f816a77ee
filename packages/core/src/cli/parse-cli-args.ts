import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors/usage-error.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `node:util` parseArgs with positionals allowed, strict checking, and failures turned into a
 * `UsageError` (exit code 2) that names the flag and points at `--help`.
 */
/** What `parseCliArgs` returns: typed `values` and the `positionals`. */
export type ParsedCliArgs<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>>;

export function parseCliArgs<const O extends Options>(argv: readonly string[], options: O): ParsedCliArgs<O> {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/\. To specify a positional argument.*$/s, '') : String(error);
    throw new UsageError(message, { cause: error, hint: 'run with --help for the usage' });
  }
}

/** Collects `K=V` flag values (build args, labels, overrides) into an object, rejecting bad pairs. */
export function parseKeyValues(values: readonly string[] | undefined, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of values ?? []) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`Expected \`${flag}\` as KEY=VALUE, got "${pair}"`);
    out[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return out;
}
