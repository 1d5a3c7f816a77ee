import { ExitCode, OpsError, type OpsErrorOptions } from '@ops/core';

/** Stable codes of the errors `@ops/host-metrics` throws. */
export type MetricsErrorCode =
  | 'METRICS_INVALID_OPTION'
  | 'METRICS_COLLECT_FAILED'
  | 'METRICS_COLLECT_TIMEOUT'
  | 'METRICS_LISTEN_FAILED'
  | 'METRICS_WEB_CONFIG_INVALID'
  | 'METRICS_INVENTORY_INVALID'
  | 'METRICS_PROMETHEUS_UNREACHABLE'
  | 'METRICS_PROMETHEUS_QUERY_FAILED';

/** Every error of `@ops/host-metrics`: match on `code`. */
export class MetricsError extends OpsError<MetricsErrorCode> {
  constructor(code: MetricsErrorCode, message: string, options: OpsErrorOptions = {}) {
    super(code, message, { exitCode: defaultExitCode(code), ...options });
  }
}

function defaultExitCode(code: MetricsErrorCode): ExitCode {
  switch (code) {
    case 'METRICS_INVALID_OPTION':
    case 'METRICS_INVENTORY_INVALID':
    case 'METRICS_WEB_CONFIG_INVALID':
      return ExitCode.USAGE;
    case 'METRICS_LISTEN_FAILED':
    case 'METRICS_PROMETHEUS_UNREACHABLE':
      return ExitCode.ENVIRONMENT;
    default:
      return ExitCode.PROBLEM;
  }
}

/** A bad option value, naming the option: ``Expected `interval` to be ...``. */
export function invalidOption(name: string, expected: string, got: unknown): MetricsError {
  return new MetricsError('METRICS_INVALID_OPTION', `Expected \`${name}\` to be ${expected}, got ${JSON.stringify(got)}`);
}
