import pLimit from 'p-limit';
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

/** `probeAll` yielding `[position in targets, result]`, for output in inventory order. */
export async function* probeAllIndexed(targets: Iterable<Target>, options: ProbeAllOptions = {}): AsyncGenerator<[number, ProbeResult]> {
  const o = resolveProbeOptions(options);
  const list = [...targets];
  const ctx = await createProbeContext(o, list);
  const limit = pLimit(o.concurrency);
  const done: Array<[number, ProbeResult]> = [];
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  let remaining = list.length;
  for (const [index, target] of list.entries()) {
    limit(() => probeTarget(ctx, target)).then((r) => done.push([index, r]), (error: unknown) => (failure ??= { error })).finally(() => {
      remaining--;
      wake?.();
    });
  }
  try {
    while (remaining > 0 || done.length > 0) {
      if (failure) throw failure.error;
      if (done.length === 0) {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        continue;
      }
      yield done.shift()!;
    }
    if (failure) throw failure.error;
  } finally {
    limit.clearQueue();
    ctx.close();
  }
}
