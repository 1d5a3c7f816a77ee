import { ExitCode } from './exit-codes.js';
import { redact, redactString } from '../log/redact.js';

const BRAND = Symbol.for('@ops/core.OpsError');

export interface OpsErrorOptions {
  /** The error that caused this one; kept as `error.cause`. */
  readonly cause?: unknown;
  /** Structured facts (host, path, status...). Secrets are redacted on construction. */
  readonly context?: Record<string, unknown>;
  /** What the user should do about it, printed after the message by `runCli`. */
  readonly hint?: string;
  /** Exit code a CLI should use for this error. Defaults to 1 (`ExitCode.PROBLEM`). */
  readonly exitCode?: ExitCode;
}

/**
 * Base class of every error the ops libraries throw. Match on `code` (a stable string
 * prefixed per package) or with `hasCode(e, code)`; `isOpsError` works across
 * duplicate copies of the package through a `Symbol.for` brand.
 */
export class OpsError<C extends string = string> extends Error {
  readonly code: C;
  readonly exitCode: ExitCode;
  readonly context: Readonly<Record<string, unknown>>;
  readonly hint: string | undefined;

  constructor(code: C, message: string, options: OpsErrorOptions = {}) {
    super(redactString(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = options.exitCode ?? ExitCode.PROBLEM;
    this.context = redact(options.context ?? {}) as Record<string, unknown>;
    this.hint = options.hint === undefined ? undefined : redactString(options.hint);
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** Plain-data form for JSON output and structured logs (no stack, secrets redacted). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      ...(this.hint ? { hint: this.hint } : {}),
      ...(Object.keys(this.context).length ? { context: this.context } : {}),
      ...(this.cause !== undefined ? { cause: describeCause(this.cause) } : {}),
    };
  }
}

function describeCause(cause: unknown): unknown {
  if (isOpsError(cause)) return cause.toJSON();
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return { name: cause.name, message: redactString(cause.message), ...(code ? { code } : {}) };
  }
  return redact(cause);
}

/** True for any `OpsError`, including one from another copy of `@ops/core`. */
export function isOpsError(value: unknown): value is OpsError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/** True when `value` is an `OpsError` with the given stable code. */
export function hasCode<C extends string>(value: unknown, code: C): value is OpsError<C> {
  return isOpsError(value) && value.code === code;
}
