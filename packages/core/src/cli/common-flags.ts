import { UsageError } from '../errors/usage-error.js';
import type { LogFormat, LogLevel } from '../log/create-logger.js';

export interface CommonFlags {
  readonly logLevel: LogLevel | undefined;
  readonly logFormat: LogFormat;
  readonly quiet: boolean;
  /** `--version` or `-V` was given: runCli prints the program's version and exits 0. */
  readonly version: boolean;
}

const LEVELS = ['error', 'warn', 'info', 'debug', 'silent'];
const FORMATS = ['json', 'pretty', 'auto'];

/**
 * Takes the flags every ops CLI shares (`--log-level`, `--log-format`, `--quiet`, `--version`) out
 * of argv and returns them with the remaining arguments, untouched and in order. Stops at `--`.
 */
export function extractCommonFlags(argv: readonly string[]): { flags: CommonFlags; rest: string[] } {
  let logLevel: LogLevel | undefined;
  let logFormat: LogFormat = 'auto';
  let quiet = false;
  let version = false;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--quiet' || flag === '-q') {
      quiet = true;
    } else if (arg === '--version' || arg === '-V') {
      version = true;
    } else if (flag === '--log-level' || flag === '--log-format') {
      const value = inline ?? argv[++i];
      const allowed = flag === '--log-level' ? LEVELS : FORMATS;
      if (value === undefined || !allowed.includes(value)) {
        throw new UsageError(`Expected \`${flag}\` to be one of ${allowed.join(', ')}, got ${value === undefined ? 'nothing' : `"${value}"`}`);
      }
      if (flag === '--log-level') logLevel = value as LogLevel;
      else logFormat = value as LogFormat;
    } else {
      rest.push(arg);
    }
  }
  return { flags: { logLevel: quiet && !logLevel ? 'error' : logLevel, logFormat, quiet, version }, rest };
}

/** Help text for the common flags, to append to each CLI's usage. */
export const COMMON_FLAGS_HELP = `Common options:
  --log-level LEVEL    error, warn, info, debug or silent (default: info)
  --log-format FORMAT  json, pretty or auto: JSON unless stderr is a terminal (default: auto)
  -q, --quiet          only errors on stderr
  -V, --version        print the version and exit
  -h, --help           show this help`;
