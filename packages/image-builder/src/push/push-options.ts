import type { Engine } from '../engine/create-engine.js';
import { checkIntegerOption, type Logger, UsageError } from '@ops/core';
import { isValidTag } from '../build/build-options.js';
import type { PushEvent } from '../stream/push-progress.js';

export interface PushImageOptions {
  /** Tags to push (`registry/name:tag`), each pushed on its own. Required, at least one. */
  readonly tags: readonly string[];
  /** Retries of a push that failed for a transient reason (registry unreachable, 5xx). Defaults to 3. */
  readonly retries?: number;
  /** First wait between retries, in ms. Defaults to 500. */
  readonly minDelayMs?: number;
  /** Longest wait between retries, in ms. Defaults to 10000. */
  readonly maxDelayMs?: number;
  /** Compare each digest with the registry's manifest (`Docker-Content-Digest`). Defaults to true. */
  readonly verifyDigest?: boolean;
  /** Ends the whole push (every tag, retries included) after this many ms. Defaults to no limit. */
  readonly timeoutMs?: number;
  /** Longest wait for the engine (or registry) to answer one call, in ms. Defaults to 30000. */
  readonly requestTimeoutMs?: number;
  /** Ends a push whose progress stream is silent this long, in ms. Defaults to 120000. */
  readonly stallTimeoutMs?: number;
  /** Engine client. Defaults to `createEngine()` (DOCKER_HOST). */
  readonly docker?: Engine;
  /** Environment for credentials (REGISTRY_USERNAME/PASSWORD, DOCKER_CONFIG). Defaults to `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Where push progress goes. Defaults to none. */
  readonly logger?: Logger;
  /** Progress events: layer statuses, pushed digests, retries, verification. Defaults to none. */
  readonly onEvent?: (event: PushEvent) => void;
  /** Cancels the push. Defaults to none. */
  readonly signal?: AbortSignal;
}

export const PUSH_DEFAULTS = { retries: 3, minDelayMs: 500, maxDelayMs: 10_000, verifyDigest: true, requestTimeoutMs: 30_000, stallTimeoutMs: 120_000 };

/** Fills the defaults and validates every option, naming the bad one. */
export function resolvePushOptions(options: PushImageOptions) {
  const o = { ...PUSH_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as typeof PUSH_DEFAULTS & PushImageOptions;
  if (!Array.isArray(o.tags) || o.tags.length === 0) throw new UsageError('Expected `tags` to hold at least one image reference, got none');
  for (const tag of o.tags) if (!isValidTag(tag)) throw new UsageError(`Expected \`tags\` to hold image references like registry/name:tag, got "${tag}"`);
  checkIntegerOption(o.retries, 'retries');
  if (!(o.minDelayMs >= 0)) throw new UsageError(`Expected \`minDelayMs\` to be a non-negative number, got ${o.minDelayMs}`);
  if (!(o.maxDelayMs >= o.minDelayMs)) throw new UsageError(`Expected \`maxDelayMs\` to be at least \`minDelayMs\`, got ${o.maxDelayMs}`);
  for (const name of ['timeoutMs', 'requestTimeoutMs', 'stallTimeoutMs'] as const) {
    const v = o[name];
    if (v !== undefined && (!Number.isFinite(v) || v <= 0)) throw new UsageError(`Expected \`${name}\` to be a positive number, got ${v}`);
  }
  return o;
}
