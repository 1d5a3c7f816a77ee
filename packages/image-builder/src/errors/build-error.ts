import { ExitCode, OpsError, type OpsErrorOptions } from '@ops/core';

export type BuildErrorCode = 'IMAGE_BUILD_FAILED' | 'IMAGE_BUILD_TIMEOUT' | 'IMAGE_PULL_UNAUTHORIZED';

/** Facts about a failed build, kept as fields (not only in the message). */
export interface BuildFailure {
  /** The step running when the build failed, e.g. `Step 2/3 : RUN make`, if one had started. */
  readonly step: string | undefined;
  /** The last lines the build printed (at most 20). */
  readonly lastLines: readonly string[];
  /** The daemon's error message (`errorDetail.message`), when it sent one. */
  readonly daemonMessage: string | undefined;
  /** The failing command's exit status, when the daemon gave one. */
  readonly exitStatus: number | undefined;
  /** The Dockerfile line of the failing instruction, when known. */
  readonly line?: number;
  /** The Dockerfile's name as given (for annotations). */
  readonly dockerfile?: string;
}

/**
 * The build failed: an error in the Engine's stream (`IMAGE_BUILD_FAILED`; exit code the failing
 * command's status when it has one, else 1), a refused base-image pull (`IMAGE_PULL_UNAUTHORIZED`,
 * exit 1) or the `timeout` passed while a step ran (`IMAGE_BUILD_TIMEOUT`, exit 1).
 */
export class BuildError extends OpsError<BuildErrorCode> implements BuildFailure {
  readonly step: string | undefined;
  readonly lastLines: readonly string[];
  readonly daemonMessage: string | undefined;
  readonly exitStatus: number | undefined;
  readonly line: number | undefined;
  readonly dockerfile: string | undefined;

  constructor(code: BuildErrorCode, message: string, failure: BuildFailure, options: OpsErrorOptions = {}) {
    const tail = failure.lastLines.length ? `\n--- last output lines ---\n${failure.lastLines.join('\n')}` : '';
    super(code, `${message}${tail}`, {
      exitCode: ExitCode.PROBLEM,
      context: { step: failure.step, exitStatus: failure.exitStatus, line: failure.line },
      ...options,
    });
    this.step = failure.step;
    this.lastLines = failure.lastLines;
    this.daemonMessage = failure.daemonMessage;
    this.exitStatus = failure.exitStatus;
    this.line = failure.line;
    this.dockerfile = failure.dockerfile;
  }
}
