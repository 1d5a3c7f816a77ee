import { ExitCode, OpsError, type OpsErrorOptions } from '@ops/core';

/**
 * The Dockerfile or the options need a feature the chosen builder or this daemon does not have
 * (`RUN --mount`, heredocs, secrets, ssh); raised before the context is sent. `feature` names it.
 * Exit code 2.
 */
export class FeatureError extends OpsError<'IMAGE_FEATURE_UNSUPPORTED'> {
  readonly feature: string;
  constructor(feature: string, message: string, options: OpsErrorOptions = {}) {
    super('IMAGE_FEATURE_UNSUPPORTED', message, { exitCode: ExitCode.USAGE, context: { feature }, ...options });
    this.feature = feature;
  }
}
