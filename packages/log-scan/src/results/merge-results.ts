import { OpsError, ExitCode } from '@ops/core';
import { createAggregator } from './aggregate.js';
import type { ScanResult } from './scan-result.js';

/** Unions partial results (`--format json` outputs of several scanners) into one. */
export function mergeResults(results: readonly ScanResult[]): ScanResult {
  const aggregator = createAggregator();
  const stats = { sources: 0, bytes: 0, lines: 0, matches: 0, seconds: 0, skippedLines: 0 };
  const errors = [];
  for (const [i, r] of results.entries()) {
    if (!r || !Array.isArray(r.ips) || typeof r.stats !== 'object') {
      throw new OpsError('LOG_SCAN_BAD_RESULT', `partial result #${i + 1} is not a log-scan JSON result`, {
        exitCode: ExitCode.USAGE,
        hint: 'merge the outputs of `log-scan --format json`',
      });
    }
    aggregator.merge(r.ips);
    stats.sources += r.stats.sources ?? 0;
    stats.bytes += r.stats.bytes ?? 0;
    stats.lines += r.stats.lines ?? 0;
    stats.seconds = Math.max(stats.seconds, r.stats.seconds ?? 0);
    stats.skippedLines += r.stats.skippedLines ?? 0;
    errors.push(...(r.errors ?? []));
  }
  stats.matches = aggregator.matches;
  return { ips: aggregator.records(), stats, errors };
}
