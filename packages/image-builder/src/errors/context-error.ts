import { ExitCode, OpsError, type OpsErrorOptions } from '@ops/core';

/** The build context or Dockerfile cannot be used (missing, unreadable, bad pattern). Exit code 2. */
export class ContextError extends OpsError<'IMAGE_CONTEXT_INVALID'> {
  constructor(message: string, options: OpsErrorOptions = {}) {
    super('IMAGE_CONTEXT_INVALID', message, { exitCode: ExitCode.USAGE, ...options });
  }
}
