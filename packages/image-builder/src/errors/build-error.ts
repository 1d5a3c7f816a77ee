import { ExitCode, OpsError, type OpsErrorOptions } from '@ops/core';

export type BuildErrorCode = 'IMAGE_BUILD_FAILED' | 'IMAGE_BUILD_TIMEOUT';

/** Facts about a failed build, kept as fields (not only in the message). */
export interface BuildFailure {
  /** The step running when the build failed, e.g. `Step 2/3 : RUN make`, if one had started. */
  readonly step: string | undefined;
  /** The last lines the build printed (at most 20). */
  readonly lastLines: readonly string[];
  /** The daemon's error message (`errorDetail.message`), when it sent one. */
  readonly daemonMessage: string | undefined;
  /** The daemon's error code (`errorDetail.code`, the failing command's exit code), when it sent one. */
  readonly exitStatus: number | undefined;
}

/**
 * The build failed: an error in the Engine's JSON stream (`IMAGE_BUILD_FAILED`) or the
 * `timeout` passed (`IMAGE_BUILD_TIMEOUT`). Exit code 1.
 */
export class BuildError extends OpsError<BuildErrorCode> implements BuildFailure {
  readonly step: string | undefined;
  readonly lastLines: readonly string[];
  readonly daemonMessage: string | undefined;
  readonly exitStatus: number | undefined;

  constructor(code: BuildErrorCode, message: string, failure: BuildFailure, options: OpsErrorOptions = {}) {
    const tail = failure.lastLines.length ? `\n--- last output lines ---\n${failure.lastLines.join('\n')}` : '';
    super(code, `${message}${tail}`, {
      exitCode: ExitCode.PROBLEM,
      context: { step: failure.step, exitStatus: failure.exitStatus },
      ...options,
    });
    this.step = failure.step;
    this.lastLines = failure.lastLines;
    this.daemonMessage = failure.daemonMessage;
    this.exitStatus = failure.exitStatus;
  }
}
