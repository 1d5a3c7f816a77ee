import { setMaxListeners } from 'node:events';
import { AbortError } from '@ops/core';
import type { ProbeResult, Target } from '../types.js';
import { createProbeContext } from './probe-context.js';
import { resolveProbeOptions, type ProbeAllOptions, type ProbeOptions } from './probe-options.js';
import { probeTarget } from './probe-target.js';

/** Probes one host. Unreachable hosts resolve to a result with `reason` and `stage`; bad options throw. */
export async function probe(target: Target, options: ProbeOptions = {}): Promise<ProbeResult> {
  const ctx = await createProbeContext(resolveProbeOptions(options), [target]);
  try {
    return await probeTarget(ctx, target);
  } finally {
    ctx.close();
  }
}

/**
 * Probes many hosts, `concurrency` at a time, yielding each result as it finishes (not in
 * inventory order: sort by position if you need it). Targets are started in order and only
 * `concurrency` probes (sockets, buffers) are alive at once, so memory stays flat for 10,000 hosts.
 */
export async function* probeAll(targets: Iterable<Target>, options: ProbeAllOptions = {}): AsyncGenerator<ProbeResult> {
  for await (const [, result] of probeAllIndexed(targets, options)) yield result;
}

/** Entries repeated in an inventory (same name, address, port, user, keys, jump hosts): probed once. */
function findDuplicates(list: readonly Target[]): { skip: Set<number>; of: Map<number, number[]> } {
  const first = new Map<string, number>();
  const skip = new Set<number>();
  const of = new Map<number, number[]>();
  list.forEach((t, index) => {
    const key = JSON.stringify([t.host.toLowerCase(), t.hostName?.toLowerCase(), t.port, t.user, t.identityFiles, t.proxyJump]);
    const seen = first.get(key);
    if (seen === undefined) return first.set(key, index);
    skip.add(index);
    of.set(seen, [...(of.get(seen) ?? []), index]);
  });
  return { skip, of };
}

/** How many entries of `targets` repeat an earlier one (and are probed once with it). */
export function countDuplicates(targets: readonly Target[]): number {
  return findDuplicates(targets).skip.size;
}

/**
 * `probeAll` yielding `[position in targets, result]`, for output in inventory order. Targets are
 * started one by one as slots free up (nothing is queued ahead), so memory is bounded by
 * `concurrency`, not by the inventory.
 */
export async function* probeAllIndexed(targets: Iterable<Target>, options: ProbeAllOptions = {}): AsyncGenerator<[number, ProbeResult]> {
  const o = resolveProbeOptions(options);
  const list = Array.isArray(targets) ? (targets as readonly Target[]) : [...targets];
  // one signal of our own for the run: every probe in flight listens to it, none to the caller's
  const run = new AbortController();
  setMaxListeners(0, run.signal);
  const onAbort = () => run.abort(o.signal!.reason);
  if (o.signal?.aborted) onAbort();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  const ctx = await createProbeContext({ ...o, signal: run.signal }, list);
  const duplicates = findDuplicates(list);
  const done: Array<[number, ProbeResult]> = [];
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  let next = 0;
  let inFlight = 0;
  const start = () => {
    while (inFlight < o.concurrency && next < list.length && !failure && !run.signal.aborted) {
      const index = next++;
      if (duplicates.skip.has(index)) continue;
      inFlight++;
      probeTarget(ctx, list[index]!).then((r) => {
        done.push([index, r]);
        // the same endpoint listed again: one probe, one result per entry (each with its own name)
        for (const d of duplicates.of.get(index) ?? []) done.push([d, { ...r, host: list[d]!.host }]);
      }, (error: unknown) => (failure ??= { error })).finally(() => {
        inFlight--;
        wake?.();
      });
    }
  };
  try {
    start();
    while (inFlight > 0 || done.length > 0 || (next < list.length && !failure && !run.signal.aborted)) {
      if (failure) throw failure.error;
      if (done.length === 0) {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        start();
        continue;
      }
      yield done.shift()!;
      start();
    }
    if (failure) throw failure.error;
    if (next < list.length) throw new AbortError('probeAll', run.signal.reason);
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    if (inFlight > 0) run.abort(new Error('probeAll ended early'));
    ctx.close();
  }
}
