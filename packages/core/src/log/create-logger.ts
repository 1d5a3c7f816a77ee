import { createRequire } from 'node:module';
import type { Writable } from 'node:stream';
import type winston from 'winston';
import { redact, redactString } from './redact.js';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug' | 'silent';
export type LogFormat = 'json' | 'pretty' | 'auto';
export type Logger = winston.Logger;

export interface LoggerOptions {
  /** Lowest level written. Defaults to `LOG_LEVEL` from the environment, else `info`. */
  readonly level?: LogLevel;
  /** `json` (one object a line), `pretty` (colours), or `auto`: JSON when the stream is not a TTY or `CI` is set. Defaults to `auto`. */
  readonly format?: LogFormat;
  /** Fields added to every line, e.g. `{ package: 'ssh-probe' }`. Defaults to none. */
  readonly context?: Record<string, unknown>;
  /** Where lines go. Defaults to `process.stderr`, keeping stdout for results. */
  readonly stream?: Writable & { isTTY?: boolean };
}

const LEVELS = { error: 0, warn: 1, info: 2, debug: 3 } as const;

// winston is loaded on the first line actually written, not on import nor on createLogger(): a
// worker thread, a library call or a CLI run that never logs does not pay for it (35 ms on an idle
// machine, a second on a loaded one: most of a CLI's start-up).
let loaded: typeof winston | undefined;
const load = (): typeof winston => (loaded ??= createRequire(import.meta.url)('winston') as typeof winston);

/** Removes secrets from the message and every field of a log entry. */
const redactFormat = (info: winston.Logform.TransformableInfo) => {
  const clean = redact({ ...info }) as Record<string | symbol, unknown>;
  for (const key of Object.keys(clean)) info[key] = clean[key];
  info.message = typeof info.message === 'string' ? redactString(info.message) : info.message;
  return info;
};

/** Turns `Error` fields into plain data so they survive JSON. */
const errorFields = (info: winston.Logform.TransformableInfo) => {
  for (const [key, value] of Object.entries(info)) {
    if (value instanceof Error) info[key] = { name: value.name, message: value.message, ...('code' in value ? { code: value.code } : {}) };
  }
  return info;
};

function prettyLine(info: winston.Logform.TransformableInfo): string {
  const { level, message, timestamp, ...rest } = info;
  const fields = Object.entries(rest)
    .filter(([k]) => typeof k === 'string')
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${String(timestamp).slice(11, 23)} ${level} ${String(message)}${fields ? `  \x1b[2m${fields}\x1b[0m` : ''}`;
}

/** Chooses JSON or pretty output for `auto`. */
export function resolveLogFormat(format: LogFormat, stream: { isTTY?: boolean } = process.stderr): 'json' | 'pretty' {
  if (format !== 'auto') return format;
  return stream.isTTY && !process.env.CI ? 'pretty' : 'json';
}

/**
 * A winston logger writing to stderr: JSON lines in CI and pipes, colours on a terminal, with
 * secrets (passwords, tokens, Authorization, registry auth, registered secrets) redacted from
 * the message and every field. Use `logger.child({ host })` for context.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const stream = options.stream ?? process.stderr;
  const level = options.level ?? (process.env.LOG_LEVEL as LogLevel | undefined) ?? 'info';
  const format = resolveLogFormat(options.format ?? 'auto', stream);
  return lazyLogger(() => winstonLogger(stream, level, format, options.context), level);
}

const NOOP = (): void => undefined;

/**
 * The logger `make()` returns, made on first use: until then a call at a level below `level` (and
 * every call when `silent`) is a no-op, and `child()` is lazy too. Anything else makes it.
 */
function lazyLogger(make: () => Logger, level: LogLevel): Logger {
  let real: Logger | undefined;
  const get = () => (real ??= make());
  const threshold = level === 'silent' ? -1 : LEVELS[level];
  return new Proxy({} as Logger, {
    get(_target, prop) {
      if (!real) {
        if (typeof prop === 'string' && prop in LEVELS && LEVELS[prop as keyof typeof LEVELS] > threshold) return NOOP;
        if (prop === 'child') return (meta: Record<string, unknown>) => lazyLogger(() => get().child(meta), level);
      }
      const target = get();
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
    set: (_target, prop, value) => Reflect.set(get(), prop, value),
    has: (_target, prop) => Reflect.has(get(), prop),
  });
}

function winstonLogger(stream: Writable, level: LogLevel, format: 'json' | 'pretty', context: Record<string, unknown> | undefined): Logger {
  const winston = load();
  const { combine, timestamp, json, colorize, printf } = winston.format;
  return winston.createLogger({
    levels: LEVELS,
    level: level === 'silent' ? 'error' : level,
    silent: level === 'silent',
    defaultMeta: context,
    format: combine(
      winston.format(errorFields)(),
      winston.format(redactFormat)(),
      timestamp(),
      format === 'json' ? json() : combine(colorize({ level: true }), printf(prettyLine)),
    ),
    transports: [new winston.transports.Stream({ stream })],
  });
}
