import { addAbortSignal, type Readable } from 'node:stream';
import { AbortError } from '@ops/core';
import { packContext } from '../context/pack-context.js';
import { asEngineError, createEngine, pingEngine } from '../engine/create-engine.js';
import { BuildError } from '../errors/build-error.js';
import { createBuildProgress, type BuildEvent } from '../stream/build-progress.js';
import { createJsonLineSplitter } from '../stream/json-lines.js';
import { resolveBuildOptions, type BuildImageOptions } from './build-options.js';
import { ociLabels } from './oci-labels.js';

/** What `buildImage` returns. */
export interface BuildResult {
  /** The image ID (`sha256:...`). */
  readonly imageId: string;
  readonly tags: readonly string[];
  /** Labels sent with the build (given plus OCI). */
  readonly labels: Readonly<Record<string, string>>;
  /** Entries and bytes of the context tar. */
  readonly context: { readonly entries: number; readonly bytes: number };
  readonly durationMs: number;
}

/**
 * Builds an image through the Engine API: packs the context (honouring `.dockerignore`), sends
 * it, follows the JSON stream line by line and fails with a `BuildError` (failing step, last
 * output lines) when the stream reports an error, even though the HTTP status was 200.
 */
export async function buildImage(options: BuildImageOptions): Promise<BuildResult> {
  const o = resolveBuildOptions(options);
  const started = performance.now();
  const docker = o.docker ?? createEngine();
  const emit = (event: BuildEvent) => {
    o.onEvent?.(event);
    if (event.type === 'step') o.logger?.info(event.step, { step: event.index, steps: event.total });
    else if (event.type === 'output') o.logger?.info(event.line, { step: event.index });
    else if (event.type === 'warning') o.logger?.warn(event.message);
  };
  await pingEngine(docker, o.signal);
  const labels = { ...(o.ociLabels ? await ociLabels(o.context, o.env) : {}), ...o.labels };
  const controller = new AbortController();
  const abortOuter = () => controller.abort(o.signal?.reason);
  o.signal?.addEventListener('abort', abortOuter, { once: true });
  let timedOut = false;
  const timer = o.timeoutMs === undefined ? undefined : setTimeout(() => {
    timedOut = true;
    controller.abort(new Error('build timeout'));
  }, o.timeoutMs);
  const progress = createBuildProgress(emit);
  try {
    const packed = await packContext(o.context, { dockerfile: o.dockerfile, ignore: o.ignore, signal: controller.signal });
    o.logger?.debug('sending the build context', { dockerfile: packed.dockerfile, dockerignore: packed.dockerignore, patterns: packed.patterns.length });
    let contextError: unknown;
    packed.done.catch((error: unknown) => (contextError = error));
    let response: NodeJS.ReadableStream;
    try {
      response = await docker.buildImage(packed.stream, {
        t: [...o.tags],
        dockerfile: packed.dockerfile,
        buildargs: { ...o.buildArgs },
        labels,
        ...(o.target ? { target: o.target } : {}),
        ...(o.platform ? { platform: o.platform } : {}),
        pull: o.pull ? '1' : undefined,
        nocache: o.noCache,
        ...(o.cacheFrom.length ? { cachefrom: [...o.cacheFrom] } : {}),
        rm: true,
        forcerm: true,
        abortSignal: controller.signal,
      } as unknown as Parameters<typeof docker.buildImage>[1]);
    } catch (error) {
      const packingFailed = contextError;
      packed.stream.destroy();
      throw packingFailed ?? requestError(error, docker);
    }
    packed.done.then((c) => emit({ type: 'context', ...c }), () => undefined);
    const splitter = createJsonLineSplitter();
    const body = addAbortSignal(controller.signal, response as unknown as Readable);
    try {
      for await (const chunk of body) for (const line of splitter.push(chunk as Buffer)) progress.accept(line);
      for (const line of splitter.end()) progress.accept(line);
    } catch (error) {
      if (!controller.signal.aborted) {
        const packingFailed = contextError;
        packed.stream.destroy();
        throw packingFailed ?? requestError(error, docker);
      }
    }
    if (controller.signal.aborted) throw abortReason(o.signal, timedOut, o.timeoutMs, progress.snapshot());
    const contextStats = await packed.done;
    const outcome = progress.finish();
    if (outcome.error) {
      const failure = { step: outcome.step, lastLines: outcome.lastLines, daemonMessage: outcome.error.message, exitStatus: outcome.error.code };
      throw new BuildError('IMAGE_BUILD_FAILED', `build failed${outcome.step ? ` at ${outcome.step}` : ''}: ${outcome.error.message}`, failure, {
        hint: 'fix the failing step; its last output lines are shown above',
      });
    }
    if (!outcome.imageId) {
      throw new BuildError('IMAGE_BUILD_FAILED', 'the build stream ended without an image ID (the daemon closed the connection?)', { step: outcome.step, lastLines: outcome.lastLines, daemonMessage: undefined, exitStatus: undefined }, { hint: 'check the Docker daemon logs and rerun' });
    }
    const imageId = outcome.imageId.startsWith('sha256:') ? outcome.imageId : (await docker.getImage(outcome.imageId).inspect()).Id;
    return { imageId, tags: [...o.tags], labels, context: contextStats, durationMs: Math.round(performance.now() - started) };
  } catch (error) {
    if (controller.signal.aborted && !(error instanceof BuildError) && !(error instanceof AbortError)) throw abortReason(o.signal, timedOut, o.timeoutMs, progress.snapshot(), error);
    throw error;
  } finally {
    if (timer) clearTimeout(timer);
    o.signal?.removeEventListener('abort', abortOuter);
    if (!controller.signal.aborted) controller.abort(new Error('build finished'));
  }
}

function abortReason(signal: AbortSignal | undefined, timedOut: boolean, timeoutMs: number | undefined, state: ReturnType<ReturnType<typeof createBuildProgress>['snapshot']>, cause?: unknown): Error {
  if (timedOut) {
    const failure = { step: state.step, lastLines: state.lastLines, daemonMessage: undefined, exitStatus: undefined };
    return new BuildError('IMAGE_BUILD_TIMEOUT', `build did not finish within ${timeoutMs}ms${state.step ? `; it was at ${state.step}` : ''}; the request was aborted`, failure, {
      cause,
      hint: 'raise --timeout or find out why the step hangs',
    });
  }
  return new AbortError('the build', signal?.reason);
}

function requestError(error: unknown, docker: Parameters<typeof asEngineError>[1]): unknown {
  const mapped = asEngineError(error, docker);
  if (mapped !== error) return mapped;
  const e = error as { statusCode?: number; json?: { message?: string }; message?: string };
  if (typeof e.statusCode === 'number') {
    const message = e.json?.message ?? e.message ?? `HTTP ${e.statusCode}`;
    return new BuildError('IMAGE_BUILD_FAILED', `the engine refused the build (HTTP ${e.statusCode}): ${message}`, { step: undefined, lastLines: [], daemonMessage: message, exitStatus: undefined }, { cause: error, hint: 'check the Dockerfile, build options and tags' });
  }
  return error;
}
