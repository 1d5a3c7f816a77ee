import type { ProbeResult } from '../types.js';

/** Counts of a run: reachable, unreachable, and unreachable by reason (timeouts by stage). */
export interface Summary {
  readonly reachable: number;
  readonly unreachable: number;
  /** `[reason, count]`, largest first; timeouts as `timeout (stage)`. */
  readonly byReason: Array<[string, number]>;
}

/** Counts results one at a time, so a run of any size keeps only these numbers. */
export interface Tally {
  add(result: ProbeResult): void;
  summary(): Summary;
}

export function createTally(): Tally {
  const byReason = new Map<string, number>();
  let reachable = 0;
  let unreachable = 0;
  return {
    add(r) {
      if (r.status === 'reachable') {
        reachable++;
        return;
      }
      unreachable++;
      const key = r.reason === 'timeout' ? `timeout (${r.stage})` : String(r.reason);
      byReason.set(key, (byReason.get(key) ?? 0) + 1);
    },
    summary: () => ({ reachable, unreachable, byReason: [...byReason].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])) }),
  };
}

/** Counts of unreachable hosts by reason (and stage for timeouts), largest first. */
export function summarize(results: Iterable<ProbeResult>): Summary {
  const tally = createTally();
  for (const r of results) tally.add(r);
  return tally.summary();
}

/** The closing lines of the text output: totals, then unreachable hosts by reason. */
export function formatSummary(s: Summary, extra: readonly string[] = []): string {
  const total = s.reachable + s.unreachable;
  const head = `${total} host${total === 1 ? '' : 's'}: ${s.reachable} reachable, ${s.unreachable} unreachable`;
  const reasons = s.byReason.map(([reason, n]) => `  ${reason}: ${n}`).join('\n');
  return `${head}${reasons ? `\nunreachable by reason:\n${reasons}` : ''}${extra.map((l) => `\n${l}`).join('')}\n`;
}
