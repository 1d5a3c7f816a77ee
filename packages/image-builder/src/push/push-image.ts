import type { Readable } from 'node:stream';
import { AbortError, isOpsError, messageOf } from '@ops/core';
import { createEngine, dial, type Engine } from '../engine/create-engine.js';
import { engineCall, watchStall } from '../engine/engine-call.js';
import { EngineTimeoutError, PushTimeoutError, RegistryUnreachableError, isRegistryUnreachableMessage } from '../errors/environment-error.js';
import { PushError, pushErrorCode } from '../errors/push-error.js';
import { eachChunk } from '../stream/each-chunk.js';
import { createJsonLineSplitter } from '../stream/json-lines.js';
import { createPushProgress, type PushEvent } from '../stream/push-progress.js';
import { parseImageReference, type ImageReference } from './image-reference.js';
import { resolvePushOptions, type PushImageOptions } from './push-options.js';
import { resolveRegistryAuth, toAuthConfig, type RegistryAuth } from './registry-auth.js';
import { registryDigest } from './registry-digest.js';
import { attachPushResult, type PushResult, type TagResult } from './push-result.js';
import { startStopwatch } from '../stopwatch.js';

/** A transient failure worth another attempt; carries the registry it concerns. */
class TransientPushError extends RegistryUnreachableError {}

interface PushContext {
  readonly docker: Engine;
  readonly emit: (e: PushEvent) => void;
  readonly requestTimeoutMs: number;
  readonly stallTimeoutMs: number;
  /** What the push waits for now (for a timeout's message). */
  waitingFor: string;
}

function refusedCredentials(auth: RegistryAuth | undefined, registry: string): string | undefined {
  return auth ? `the registry ${registry} rejected the credentials from ${auth.source}: check the user and password (or token)` : undefined;
}

async function pushOnce(ctx: PushContext, ref: ImageReference, tag: string, auth: RegistryAuth | undefined, signal: AbortSignal): Promise<string> {
  const { docker } = ctx;
  let response: Readable;
  ctx.waitingFor = `the engine to answer POST /images/${ref.name}/push`;
  try {
    response = await engineCall(docker, `POST /images/${ref.name}/push`, { timeoutMs: ctx.requestTimeoutMs, signal }, (s) => dial<Readable>(docker, {
      path: `/images/${ref.name}/push?`, method: 'POST', options: { tag: ref.tag }, authconfig: toAuthConfig(auth), abortSignal: s, isStream: true,
      statusCodes: { 200: true, 404: 'no such image', 500: 'server error' },
    }));
  } catch (error) {
    if (isOpsError(error)) throw error;
    const e = error as { statusCode?: number; json?: { message?: string } };
    const message = e.json?.message ?? messageOf(error);
    if (e.statusCode === 404) throw new PushError('IMAGE_PUSH_NOT_FOUND', tag, message, { cause: error, hint: 'build the image with this tag before pushing it' });
    if (typeof e.statusCode === 'number' && e.statusCode >= 500 && isRegistryUnreachableMessage(message)) throw new TransientPushError(ref.registry, `registry ${ref.registry} could not be reached: ${message}`, { cause: error });
    const code = pushErrorCode(message);
    throw new PushError(code, tag, message, { cause: error, ...(code === 'IMAGE_PUSH_UNAUTHORIZED' && auth ? { hint: refusedCredentials(auth, ref.registry) } : {}) });
  }
  const splitter = createJsonLineSplitter();
  let last = 'no status yet';
  const progress = createPushProgress(tag, (event) => {
    if (event.type === 'push-status') last = `${event.layer ? `${event.layer}: ` : ''}${event.status}`;
    ctx.emit(event);
  });
  ctx.waitingFor = `the registry ${ref.registry}, through the engine (last status: ${last})`;
  const stall = watchStall(response, ctx.stallTimeoutMs, () => new TransientPushError(ref.registry, `the push of ${tag} made no progress for ${ctx.stallTimeoutMs}ms (last status: ${last})`));
  const stopOnAbort = () => response.destroy(new Error('aborted'));
  signal.addEventListener('abort', stopOnAbort, { once: true });
  try {
    await eachChunk(response, (chunk) => {
      stall.touch();
      for (const line of splitter.push(chunk)) progress.accept(line);
      ctx.waitingFor = `the registry ${ref.registry}, through the engine (last status: ${last})`;
    });
    for (const line of splitter.end()) progress.accept(line);
  } finally {
    stall.stop();
    signal.removeEventListener('abort', stopOnAbort);
  }
  const outcome = progress.outcome();
  if (outcome.error) {
    if (isRegistryUnreachableMessage(outcome.error)) throw new TransientPushError(ref.registry, `registry ${ref.registry} could not be reached: ${outcome.error}`);
    const code = pushErrorCode(outcome.error);
    throw new PushError(code, tag, outcome.error, code === 'IMAGE_PUSH_UNAUTHORIZED' && auth ? { hint: refusedCredentials(auth, ref.registry) } : {});
  }
  if (!outcome.digest) throw new TransientPushError(ref.registry, `the push stream of ${tag} ended without a digest`);
  return outcome.digest;
}

/**
 * Pushes every tag through the Engine API with credentials from the environment or the docker
 * config (never logged), retrying transient failures with `retry()` from `@ops/resilient-http`,
 * and checks each digest against the registry's manifest. Every tag is tried; when one fails the
 * first failure is thrown with the result of every tag attached (`pushResultOf(error)`).
 * `timeoutMs` bounds the whole push; each engine call and a silent stream have their own limits.
 */
export async function pushImage(options: PushImageOptions): Promise<PushResult> {
  const o = resolvePushOptions(options);
  const elapsed = startStopwatch();
  const docker = o.docker ?? createEngine();
  const emit = (event: PushEvent) => {
    o.onEvent?.(event);
    if (event.type === 'pushed') o.logger?.info(`pushed ${event.tag}`, { digest: event.digest, size: event.size });
    else if (event.type === 'push-status') o.logger?.debug(`${event.layer ? `${event.layer}: ` : ''}${event.status}`, { tag: event.tag });
    else if (event.type === 'retry') o.logger?.warn(`push of ${event.tag} failed, retrying in ${event.delayMs}ms`, { attempt: event.attempt, error: event.message });
  };
  const controller = new AbortController();
  const abortOuter = () => controller.abort(o.signal?.reason);
  if (o.signal?.aborted) throw new AbortError('the push', o.signal.reason);
  o.signal?.addEventListener('abort', abortOuter, { once: true });
  let timedOut = false;
  const timer = o.timeoutMs === undefined ? undefined : setTimeout(() => {
    timedOut = true;
    controller.abort(new Error('push timeout'));
  }, o.timeoutMs);
  const ctx: PushContext = { docker, emit, requestTimeoutMs: o.requestTimeoutMs, stallTimeoutMs: o.stallTimeoutMs, waitingFor: 'the engine to answer GET /_ping' };
  const results: TagResult[] = [];
  const digests: Record<string, string> = {};
  const verified: string[] = [];
  let firstError: unknown;
  const result = (): PushResult => ({ tags: [...o.tags], digests: { ...digests }, verified: [...verified], results: [...results], durationMs: elapsed() });
  try {
    for (const tag of o.tags) {
      if (controller.signal.aborted) {
        results.push({ tag, status: 'failed', error: { code: timedOut ? 'IMAGE_PUSH_TIMEOUT' : 'ABORTED', message: timedOut ? 'not pushed: the timeout passed first' : 'not pushed: cancelled' } });
        continue;
      }
      try {
        const digest = await pushTag(tag);
        digests[tag] = digest;
        results.push({ tag, status: 'pushed', digest, verified: verified.includes(tag) });
      } catch (error) {
        const mapped = mapError(error, tag);
        firstError ??= mapped;
        results.push({ tag, status: 'failed', error: { code: isOpsError(mapped) ? mapped.code : 'IMAGE_PUSH_FAILED', message: messageOf(mapped) } });
      }
    }
    if (firstError) throw attachPushResult(firstError, result());
    return result();
  } finally {
    if (timer) clearTimeout(timer);
    o.signal?.removeEventListener('abort', abortOuter);
  }

  async function pushTag(tag: string): Promise<string> {
    const ref = parseImageReference(tag);
    ctx.waitingFor = 'the registry credentials';
    const auth = await resolveRegistryAuth(ref.registry, { env: o.env, signal: controller.signal });
    o.logger?.info(`pushing ${tag}`, { registry: ref.registry, authFrom: auth?.source ?? 'none' });
    const attempt = (signal: AbortSignal) => pushOnce(ctx, ref, tag, auth, signal);
    const digest = await attempt(controller.signal).catch((first: unknown) => retryPush(tag, ref, first, attempt));
    if (o.verifyDigest) {
      ctx.waitingFor = `the registry ${ref.registry} to answer a manifest HEAD`;
      const signal = AbortSignal.any([controller.signal, AbortSignal.timeout(o.requestTimeoutMs)]);
      const remote = await registryDigest(ref, auth, signal).catch((error: unknown) => {
        if (!controller.signal.aborted) o.logger?.warn(`could not read the digest of ${tag} from the registry`, { error: messageOf(error) });
        return undefined;
      });
      if (controller.signal.aborted) throw new AbortError(`push of ${tag}`, controller.signal.reason);
      emit({ type: 'verified', tag, digest, registryDigest: remote });
      if (remote && remote !== digest) throw new PushError('IMAGE_DIGEST_MISMATCH', tag, `the daemon reported ${digest} but the registry serves ${remote}`);
      if (remote) verified.push(tag);
    }
    return digest;
  }

  /**
   * Continues after a failed first attempt with `retry()` from `@ops/resilient-http`, loaded only
   * now (it costs start-up time a push that works at once need not pay); the first attempt's
   * error is replayed as attempt 1, so delays and counts are those of `retry()`.
   */
  async function retryPush(tag: string, ref: ImageReference, first: unknown, attempt: (signal: AbortSignal) => Promise<string>): Promise<string> {
    const shouldRetry = (error: unknown) => error instanceof TransientPushError || error instanceof EngineTimeoutError;
    if (!shouldRetry(first) || controller.signal.aborted) throw first;
    const { retry, RetryError } = await import('@ops/resilient-http');
    let replay = true;
    try {
      return await retry(({ signal }) => {
        if (!replay) return attempt(signal);
        replay = false;
        return Promise.reject(first);
      }, {
        retries: o.retries,
        minDelay: o.minDelayMs,
        maxDelay: o.maxDelayMs,
        jitter: 'full',
        signal: controller.signal,
        description: `push of ${tag}`,
        shouldRetry,
        onRetry: (info) => emit({ type: 'retry', tag, attempt: info.attempt, delayMs: info.delayMs, message: messageOf(info.error) }),
      });
    } catch (error) {
      if (error instanceof RetryError) {
        if (error.cause instanceof EngineTimeoutError) throw error.cause;
        const last = error.cause instanceof TransientPushError ? error.cause.message : messageOf(error.cause);
        throw new RegistryUnreachableError(ref.registry, `${last} (gave up after ${error.attempts.length} attempts)`, { cause: error });
      }
      throw error;
    }
  }

  function mapError(error: unknown, tag: string): unknown {
    if (timedOut) return new PushTimeoutError(tag, `the push did not finish within ${o.timeoutMs}ms: the push of ${tag} was waiting for ${ctx.waitingFor}`, { cause: error, context: { tag, waitedFor: ctx.waitingFor } });
    if (controller.signal.aborted) return isOpsError(error) && error.code === 'ABORTED' ? error : new AbortError(`push of ${tag}`, o.signal?.reason);
    return error;
  }
}
