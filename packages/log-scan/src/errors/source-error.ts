import { ExitCode, OpsError, type OpsErrorOptions } from '@ops/core';

/** A source could not be read to its end: what was read before `byteOffset` still counts. Exit code 3. */
export class SourceError extends OpsError<'LOG_SCAN_SOURCE_FAILED'> {
  /** The source's name (path, `s3://b/k`, `kafka://.../topic[p3]`, `-`). */
  readonly source: string;
  /** Bytes of the source read and counted before the failure. */
  readonly byteOffset: number;

  constructor(source: string, byteOffset: number, message: string, options: Omit<OpsErrorOptions, 'exitCode'> = {}) {
    super('LOG_SCAN_SOURCE_FAILED', `${source}: ${message} (at byte ${byteOffset})`, {
      ...options,
      context: { source, byteOffset, ...options.context },
      exitCode: ExitCode.ENVIRONMENT,
    });
    this.source = source;
    this.byteOffset = byteOffset;
  }
}

/** A path, glob, bucket, key or topic names nothing. Exit code 2. */
export class SourceNotFoundError extends OpsError<'LOG_SCAN_SOURCE_NOT_FOUND'> {
  readonly source: string;

  constructor(source: string, message = 'no such file, directory, object or topic', options: Omit<OpsErrorOptions, 'exitCode'> = {}) {
    super('LOG_SCAN_SOURCE_NOT_FOUND', `${source}: ${message}`, {
      hint: 'check the path or spec; run with --help for the accepted sources',
      ...options,
      context: { source, ...options.context },
      exitCode: ExitCode.USAGE,
    });
    this.source = source;
  }
}

/** True when `error` already names its source (a `SourceError` or `SourceNotFoundError`). */
export function isSourceError(error: unknown): error is SourceError | SourceNotFoundError {
  return error instanceof SourceError || error instanceof SourceNotFoundError;
}
