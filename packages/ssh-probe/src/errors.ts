import { ExitCode, OpsError, type OpsErrorOptions } from '@ops/core';
import type { Reason, Stage } from './types.js';

export type SshProbeErrorCode =
  | 'SSH_PROBE_INVENTORY_INVALID'
  | 'SSH_PROBE_NO_TARGETS'
  | 'SSH_PROBE_NO_CREDENTIALS'
  | 'SSH_PROBE_IDENTITY_INVALID'
  | 'SSH_PROBE_KNOWN_HOSTS_INVALID'
  | 'SSH_PROBE_UNREACHABLE';

/** Every error `@ops/ssh-probe` throws; match on `code`. */
export class SshProbeError extends OpsError<SshProbeErrorCode> {
  constructor(code: SshProbeErrorCode, message: string, options: OpsErrorOptions = {}) {
    super(code, message, options);
  }
}

/** An inventory line or file that cannot be read (exit 2). */
export function inventoryError(message: string, context: Record<string, unknown>, hint = 'fix the inventory line; see the README for the accepted forms'): SshProbeError {
  return new SshProbeError('SSH_PROBE_INVENTORY_INVALID', message, { context, hint, exitCode: ExitCode.USAGE });
}

/**
 * One failed probe attempt: why (`reason`) and where (`stage`). `retryable` marks connections the
 * server reset before its banner or during key exchange (sshd's MaxStartups throttling).
 */
export class ProbeFailure extends OpsError<'SSH_PROBE_UNREACHABLE'> {
  readonly reason: Reason;
  readonly stage: Stage;
  readonly retryable: boolean;

  constructor(reason: Reason, stage: Stage, message: string, options: OpsErrorOptions & { retryable?: boolean } = {}) {
    super('SSH_PROBE_UNREACHABLE', message, options);
    this.reason = reason;
    this.stage = stage;
    this.retryable = options.retryable ?? false;
  }
}
