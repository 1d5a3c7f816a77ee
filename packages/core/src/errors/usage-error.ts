import { ExitCode } from './exit-codes.js';
import { OpsError, type OpsErrorOptions } from './ops-error.js';

/** Bad flags, a bad option value or an unreadable input: exit code 2. */
export class UsageError extends OpsError<'USAGE'> {
  constructor(message: string, options: Omit<OpsErrorOptions, 'exitCode'> = {}) {
    super('USAGE', message, { ...options, exitCode: ExitCode.USAGE });
  }
}
