import { addAbortSignal, type Readable } from 'node:stream';
import { AbortError, isOpsError, messageOf } from '@ops/core';
import { RetryError, retry } from '@ops/resilient-http';
import type Docker from 'dockerode';
import { asEngineError, createEngine, pingEngine } from '../engine/create-engine.js';
import { EngineUnreachableError, RegistryUnreachableError, isRegistryUnreachableMessage } from '../errors/environment-error.js';
import { PushError, pushErrorCode } from '../errors/push-error.js';
import { createJsonLineSplitter } from '../stream/json-lines.js';
import { createPushProgress, type PushEvent } from '../stream/push-progress.js';
import { parseImageReference, type ImageReference } from './image-reference.js';
import { resolvePushOptions, type PushImageOptions } from './push-options.js';
import { resolveRegistryAuth, toAuthConfig, type RegistryAuth } from './registry-auth.js';
import { registryDigest } from './registry-digest.js';

/** What `pushImage` returns. */
export interface PushResult {
  readonly tags: readonly string[];
  /** The manifest digest of every tag. */
  readonly digests: Readonly<Record<string, string>>;
  /** Tags whose digest the registry confirmed. */
  readonly verified: readonly string[];
  readonly durationMs: number;
}

/** A transient failure worth another attempt; carries the registry it concerns. */
class TransientPushError extends RegistryUnreachableError {}

async function pushOnce(docker: Docker, ref: ImageReference, tag: string, auth: RegistryAuth | undefined, emit: (e: PushEvent) => void, signal: AbortSignal): Promise<string> {
  let response: Readable;
  try {
    response = (await docker.getImage(ref.name).push({ tag: ref.tag, authconfig: toAuthConfig(auth), abortSignal: signal } as unknown as Parameters<Docker.Image['push']>[0])) as unknown as Readable;
  } catch (error) {
    const mapped = asEngineError(error, docker);
    if (mapped !== error) throw mapped;
    const e = error as { statusCode?: number; json?: { message?: string } };
    const message = e.json?.message ?? messageOf(error);
    if (e.statusCode === 404) throw new PushError('IMAGE_PUSH_NOT_FOUND', tag, message, { cause: error, hint: 'build the image with this tag before pushing it' });
    if (typeof e.statusCode === 'number' && e.statusCode >= 500 && isRegistryUnreachableMessage(message)) throw new TransientPushError(ref.registry, `registry ${ref.registry} could not be reached: ${message}`, { cause: error });
    throw new PushError(pushErrorCode(message), tag, message, { cause: error });
  }
  const splitter = createJsonLineSplitter();
  const progress = createPushProgress(tag, emit);
  for await (const chunk of addAbortSignal(signal, response)) for (const line of splitter.push(chunk as Buffer)) progress.accept(line);
  for (const line of splitter.end()) progress.accept(line);
  const outcome = progress.outcome();
  if (outcome.error) {
    if (isRegistryUnreachableMessage(outcome.error)) throw new TransientPushError(ref.registry, `registry ${ref.registry} could not be reached: ${outcome.error}`);
    throw new PushError(pushErrorCode(outcome.error), tag, outcome.error);
  }
  if (!outcome.digest) throw new TransientPushError(ref.registry, `the push stream of ${tag} ended without a digest`);
  return outcome.digest;
}

/**
 * Pushes every tag through the Engine API with credentials from the environment or the docker
 * config (never logged), retrying transient failures with `retry()` from `@ops/resilient-http`,
 * failing with a `PushError` (unauthorized, denied, not found) when the stream reports one, and
 * checking each digest against the registry's manifest.
 */
export async function pushImage(options: PushImageOptions): Promise<PushResult> {
  const o = resolvePushOptions(options);
  const started = performance.now();
  const docker = o.docker ?? createEngine();
  const emit = (event: PushEvent) => {
    o.onEvent?.(event);
    if (event.type === 'pushed') o.logger?.info(`pushed ${event.tag}`, { digest: event.digest, size: event.size });
    else if (event.type === 'push-status') o.logger?.debug(`${event.layer ? `${event.layer}: ` : ''}${event.status}`, { tag: event.tag });
    else if (event.type === 'retry') o.logger?.warn(`push of ${event.tag} failed, retrying in ${event.delayMs}ms`, { attempt: event.attempt, error: event.message });
  };
  await pingEngine(docker, o.signal);
  const digests: Record<string, string> = {};
  const verified: string[] = [];
  for (const tag of o.tags) {
    const ref = parseImageReference(tag);
    const auth = await resolveRegistryAuth(ref.registry, { env: o.env, signal: o.signal });
    o.logger?.info(`pushing ${tag}`, { registry: ref.registry, authFrom: auth?.source ?? 'none' });
    let digest: string;
    try {
      digest = await retry(({ signal }) => pushOnce(docker, ref, tag, auth, emit, signal), {
        retries: o.retries,
        minDelay: o.minDelayMs,
        maxDelay: o.maxDelayMs,
        jitter: 'full',
        signal: o.signal,
        description: `push of ${tag}`,
        shouldRetry: (error) => error instanceof TransientPushError,
        onRetry: (info) => emit({ type: 'retry', tag, attempt: info.attempt, delayMs: info.delayMs, message: messageOf(info.error) }),
      });
    } catch (error) {
      if (error instanceof RetryError) {
        const last = error.cause instanceof TransientPushError ? error.cause.message : messageOf(error.cause);
        throw new RegistryUnreachableError(ref.registry, `${last} (gave up after ${error.attempts.length} attempts)`, { cause: error });
      }
      if (o.signal?.aborted && !(isOpsError(error) && error.code === 'ABORTED')) throw new AbortError(`push of ${tag}`, o.signal.reason);
      if (error instanceof EngineUnreachableError || isOpsError(error)) throw error;
      throw asEngineError(error, docker);
    }
    digests[tag] = digest;
    if (o.verifyDigest) {
      const remote = await registryDigest(ref, auth, o.signal).catch((error: unknown) => {
        o.logger?.warn(`could not read the digest of ${tag} from the registry`, { error: messageOf(error) });
        return undefined;
      });
      emit({ type: 'verified', tag, digest, registryDigest: remote });
      if (remote && remote !== digest) throw new PushError('IMAGE_DIGEST_MISMATCH', tag, `the daemon reported ${digest} but the registry serves ${remote}`);
      if (remote) verified.push(tag);
    }
  }
  return { tags: [...o.tags], digests, verified, durationMs: Math.round(performance.now() - started) };
}
