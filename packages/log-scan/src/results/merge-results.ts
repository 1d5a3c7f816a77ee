import { OpsError, ExitCode } from '@ops/core';
import { DEFAULT_MAX_USERS_PER_IP, type IpRecord } from './aggregate.js';
import { buildResult, type ResultOptions } from './build-result.js';
import { numbering, type PartialCounts } from './partial-counts.js';
import type { ScanResult } from './scan-result.js';

/**
 * Unions partial results (`--format json` outputs of several scanners) into one: counts and kinds
 * add up, times widen, each address's users are listed result after result (in the order given).
 * `options`: what to keep, as for `scan()` (`top`, `minFailures`, `ignore`).
 */
export function mergeResults(results: readonly ScanResult[], options: Partial<ResultOptions> = {}): ScanResult {
  const stats = { sources: 0, bytes: 0, lines: 0, seconds: 0, skippedLines: 0 };
  const errors = [];
  const parts: PartialCounts[] = [];
  for (const [i, r] of results.entries()) {
    if (!r || !Array.isArray(r.ips) || typeof r.stats !== 'object') {
      throw new OpsError('LOG_SCAN_BAD_RESULT', `partial result #${i + 1} is not a log-scan JSON result`, {
        exitCode: ExitCode.USAGE,
        hint: 'merge the outputs of `log-scan --format json`',
      });
    }
    parts.push(partOf(r.ips, i));
    stats.sources += r.stats.sources ?? 0;
    stats.bytes += r.stats.bytes ?? 0;
    stats.lines += r.stats.lines ?? 0;
    stats.seconds = Math.max(stats.seconds, r.stats.seconds ?? 0);
    stats.skippedLines += r.stats.skippedLines ?? 0;
    errors.push(...(r.errors ?? []));
  }
  const built = buildResult(parts, { maxUsersPerIp: DEFAULT_MAX_USERS_PER_IP, ...options });
  return { ips: built.ips, stats: { ...stats, matches: built.matches, addresses: built.addresses }, errors };
}

// One result's records as the counts of one range (number `range`), users in their listed order.
function partOf(records: readonly IpRecord[], range: number): PartialCounts {
  const users = numbering();
  const kindNames = numbering();
  const totals = new Float64Array(3 * records.length);
  const kinds: number[] = [];
  const pairs: number[] = [];
  records.forEach((r, id) => {
    totals[3 * id] = r.count;
    totals[3 * id + 1] = r.firstSeen ? Date.parse(r.firstSeen) : Infinity;
    totals[3 * id + 2] = r.lastSeen ? Date.parse(r.lastSeen) : -Infinity;
    for (const [kind, n] of Object.entries(r.kinds ?? {})) kinds.push(id, kindNames.number(kind), n);
    for (const user of r.users ?? []) pairs.push(id, users.number(user), range);
  });
  return { ips: records.map((r) => r.ip), totals, kinds: Float64Array.from(kinds), kindNames: kindNames.names, users: users.names, pairs: Uint32Array.from(pairs) };
}
