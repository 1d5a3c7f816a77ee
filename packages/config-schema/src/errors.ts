import { ExitCode, OpsError, type OpsErrorOptions } from '@ops/core';
import { formatProblem, type ConfigProblem } from './problem.js';

/** Stable codes of the errors `@ops/config-schema` throws. */
export type ConfigErrorCode =
  | 'CONFIG_READ_FAILED'
  | 'CONFIG_TOO_LARGE'
  | 'CONFIG_INVALID'
  | 'CONFIG_SCHEMA_INVALID'
  | 'CONFIG_SET_INVALID'
  | 'CONFIG_INVALID_OPTION'
  | 'CONFIG_NOT_JSON';

/** Every error of `@ops/config-schema`: match on `code`. */
export class ConfigError extends OpsError<ConfigErrorCode> {
  constructor(code: ConfigErrorCode, message: string, options: OpsErrorOptions = {}) {
    super(code, message, { exitCode: code === 'CONFIG_INVALID' || code === 'CONFIG_NOT_JSON' ? ExitCode.PROBLEM : ExitCode.USAGE, ...options });
  }
}

/**
 * The configuration was read but is not valid: bad syntax, duplicate keys, an unset variable, or
 * values the schema rejects. `problems` lists every one with its file, line and column.
 */
export class ConfigInvalidError extends ConfigError {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    const shown = problems.slice(0, 5).map(formatProblem).join('\n  ');
    const more = problems.length > 5 ? `\n  ... and ${problems.length - 5} more` : '';
    const message = `${problems.length} problem${problems.length === 1 ? '' : 's'} in the configuration:\n  ${shown}${more}`;
    super('CONFIG_INVALID', message, {
      hint: 'fix the values at the positions shown',
      context: { files: [...new Set(problems.map((p) => p.file))] },
    });
    // The problems mask secret values already (hidden under secret-looking keys, registered
    // secrets replaced); the generic free-text redaction would turn `password: must be a string`
    // into `password: [REDACTED] be a string`, so the message is kept as built.
    Object.defineProperty(this, 'message', { value: message, writable: true, configurable: true, enumerable: false });
    this.problems = problems;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), problems: this.problems };
  }
}

/** A bad option value, naming the option: ``Expected `maxBytes` to be ...``. */
export function invalidOption(name: string, expected: string, got: unknown): ConfigError {
  return new ConfigError('CONFIG_INVALID_OPTION', `Expected \`${name}\` to be ${expected}, got ${JSON.stringify(got)}`);
}
