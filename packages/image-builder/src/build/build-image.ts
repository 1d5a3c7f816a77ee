import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { AbortError } from '@ops/core';
import { packContext } from '../context/pack-context.js';
import { createTarHeaderEncoder } from '../context/tar-header.js';
import { listStages, type Stage } from '../dockerfile/base-images.js';
import { parseDockerfile, type DockerfileInfo } from '../dockerfile/parse-dockerfile.js';
import { createEngine, dial, inspectImage, type Engine } from '../engine/create-engine.js';
import { engineCall, watchStall } from '../engine/engine-call.js';
import { engineInfo, type EngineInfo } from '../engine/engine-info.js';
import { BuildError } from '../errors/build-error.js';
import { ContextError } from '../errors/context-error.js';
import { EngineTimeoutError } from '../errors/environment-error.js';
import { parseImageReference } from '../push/image-reference.js';
import { createBuildProgress, prepareBuildProgress, type BuildEvent, type BuildProgress } from '../stream/build-progress.js';
import { eachChunk } from '../stream/each-chunk.js';
import { createJsonLineSplitter, type JsonLineSplitter } from '../stream/json-lines.js';
import { buildFailure } from './build-failure.js';
import { resolveBuildOptions, type BuildImageOptions } from './build-options.js';
import { buildRegistryConfig } from './build-registry-config.js';
import { chooseBuilder } from './choose-builder.js';
import { sessionNeeded, wantedSessionAfterAll } from './session-needed.js';
import { ociLabels } from './oci-labels.js';
import { startStopwatch } from '../stopwatch.js';

/** What `buildImage` returns. */
export interface BuildResult {
  /** The image ID (`sha256:...`). */
  readonly imageId: string;
  readonly tags: readonly string[];
  /** Labels sent with the build (given plus OCI). */
  readonly labels: Readonly<Record<string, string>>;
  /** Entries and bytes of the context tar. */
  readonly context: { readonly entries: number; readonly bytes: number };
  /** The builder used. */
  readonly builder: 'buildkit' | 'classic';
  readonly durationMs: number;
}

/**
 * Builds an image through the Engine API: asks the engine what it can do, checks the Dockerfile
 * against the builder (BuildKit or classic) before sending anything, sends credentials for every
 * registry the build pulls from, packs the context (honouring `.dockerignore`), follows the
 * stream and fails with a `BuildError` (failing step, last output lines) when it reports an error.
 * `timeoutMs` covers all of it; each engine call and a silent stream have their own limits.
 */
export async function buildImage(options: BuildImageOptions): Promise<BuildResult> {
  const attempt: Attempt = { forceSession: false, sessionSkipped: false };
  try {
    return await buildOnce(options, attempt);
  } catch (error) {
    // Built without a session (every base image in the engine, nothing else to serve), and the
    // engine wanted one anyway: a daemon that resolves base images in their registry (BuildKit on
    // the containerd image store), or a base image's ONBUILD that pulls one, asks the session for
    // registry credentials (even for an anonymous pull). Build again with a session.
    if (!wantedSessionAfterAll(error, attempt.sessionSkipped)) throw error;
    return buildOnce(options, { forceSession: true, sessionSkipped: false, warning: 'the engine asked the build for registry credentials (no active sessions): building again with a BuildKit session' });
  }
}

/** One build: a session forced (the retry), whether one was skipped, a warning to emit first. */
interface Attempt { readonly forceSession: boolean; sessionSkipped: boolean; readonly warning?: string }

async function buildOnce(options: BuildImageOptions, attempt: Attempt): Promise<BuildResult> {
  const o = resolveBuildOptions(options);
  const elapsed = startStopwatch();
  const docker = o.docker ?? createEngine();
  const env = o.env ?? process.env;
  const emit = (event: BuildEvent) => {
    o.onEvent?.(event);
    if (!o.logOutput) return;
    if (event.type === 'step') o.logger?.info(event.step, { step: event.index, steps: event.total });
    else if (event.type === 'output') o.logger?.info(event.line, { step: event.index });
    else if (event.type === 'warning') o.logger?.warn(event.message);
  };
  if (attempt.warning) emit({ type: 'warning', message: attempt.warning });
  const controller = new AbortController();
  const abortOuter = () => controller.abort(o.signal?.reason);
  if (o.signal?.aborted) throw new AbortError('the build', o.signal.reason);
  o.signal?.addEventListener('abort', abortOuter, { once: true });
  let timedOut = false;
  let waitingFor = 'the engine to answer HEAD /_ping';
  let streamStarted = false;
  const timer = o.timeoutMs === undefined ? undefined : setTimeout(() => {
    timedOut = true;
    controller.abort(new Error('build timeout'));
  }, o.timeoutMs);
  let progress: BuildProgress = createBuildProgress(emit);
  let closeSession: (() => void) | undefined;
  const call = { timeoutMs: o.requestTimeoutMs, signal: controller.signal };
  // The engine's answer, the Dockerfile, the registries' credentials and node-tar (for the
  // context) are awaited in the order of their errors, but asked for at once: the ping's round
  // trip hides the rest. Small files are read synchronously (a thread-pool round trip costs
  // more than the read).
  // The classic builder, asked for, needs nothing of the engine's answer (it chooses the builder
  // and checks BuildKit's features): its build request goes first, the ping right after it, and
  // is awaited then; an engine that failed it is still what is reported, before any other error
  // (the catch below).
  let asked: Promise<EngineInfo> | undefined;
  const ask = (): Promise<EngineInfo> => {
    if (!asked) {
      asked = engineInfo(docker, call);
      asked.catch(() => undefined);
    }
    return asked;
  };
  let pingAnswered = o.builder !== 'classic';
  if (pingAnswered) ask();
  try {
    createTarHeaderEncoder().catch(() => undefined);
    if (!isDirectory(o.context)) throw new ContextError(`build context ${resolve(o.context)} is not a directory`, { hint: 'pass an existing directory as --context' });
    // git (for the OCI labels, outside CI) runs while the engine answers.
    const oci = o.ociLabels ? ociLabels(o.context, env) : undefined;
    oci?.catch(() => undefined);
    const dockerfilePath = resolve(o.context, o.dockerfile ?? 'Dockerfile');
    const read = readDockerfile(dockerfilePath);
    const stages = read.dockerfile ? listStages(read.dockerfile, o.buildArgs) : [];
    const credentials = read.dockerfile ? registryConfigFor(stages) : undefined;
    credentials?.catch(() => undefined);
    const engine = pingAnswered ? await ask() : undefined;
    if (!read.dockerfile) throw read.error;
    const dockerfile = read.dockerfile;
    const choice = chooseBuilder(engine, dockerfile, { builder: o.builder, secrets: o.secrets, ssh: o.ssh, dockerfileName: o.dockerfile ?? 'Dockerfile' });
    for (const message of choice.warnings) emit({ type: 'warning', message });
    const buildkit = choice.builder === 'buildkit';
    // BuildKit's parts (progress decoder, session with gRPC and node:crypto) are loaded only for
    // a BuildKit build: a classic build's start-up does not pay for them.
    // Whether a BuildKit build needs a session (the engine asked about its base images while the
    // network and the credentials are looked up).
    const needsSession = buildkit && (attempt.forceSession || sessionNeeded(docker, dockerfile, stages, { secrets: o.secrets.length, ssh: o.ssh.length, pull: o.pull, cacheFrom: o.cacheFrom.length, platform: o.platform }, call));
    if (buildkit) progress = (await import('../stream/buildkit-progress.js')).createBuildkitProgress(emit);
    // BuildKit's default network is the daemon's bridge; a daemon without one (--bridge=none)
    // fails every RUN with "network bridge not found", where the classic builder runs it without
    // a network. Give BuildKit the same.
    const network = o.network ?? (buildkit && !(await hasBridgeNetwork(docker, call)) ? 'none' : undefined);
    waitingFor = 'the credentials of the registries';
    const registries = await credentials!;
    if (Object.keys(registries.sources).length) o.logger?.debug('registry credentials', { from: registries.sources });
    const labels = { ...(await oci), ...o.labels };
    let session: string | undefined;
    if (buildkit) {
      waitingFor = 'the engine to say which base images it has';
      if (await needsSession) {
        waitingFor = 'the engine to open a BuildKit session';
        const { startBuildSession } = await import('./build-session.js');
        const opened = await startBuildSession(docker, { auth: registries.config, secrets: o.secrets, ssh: o.ssh, env, ...call });
        session = opened.id;
        closeSession = opened.close;
      }
      attempt.sessionSkipped = session === undefined;
      o.logger?.debug('BuildKit session', { opened: session !== undefined });
    }
    waitingFor = 'the engine to accept the build context';
    // The Dockerfile first, the rest packed once the request head and it are written: the engine
    // starts unpacking the context (a process of its own, most of a cached build's time on its
    // side) when the first bytes come, so the rest of the packing runs meanwhile.
    const packed = await packContext(o.context, { dockerfile: o.dockerfile, ignore: o.ignore, signal: controller.signal, dockerfileFirst: true });
    o.logger?.debug('sending the build context', { dockerfile: packed.dockerfile, dockerignore: packed.dockerignore, patterns: packed.patterns.length, builder: choice.builder });
    let contextError: unknown;
    packed.done.catch((error: unknown) => (contextError = error));
    let sending: Promise<Readable>;
    let splitter: JsonLineSplitter;
    try {
      const query = {
        t: [...o.tags],
        dockerfile: packed.dockerfile,
        // BuildKit 0.11+ (Docker 23+) dates the image from it, as buildx passes it.
        buildargs: { ...(buildkit && env.SOURCE_DATE_EPOCH ? { SOURCE_DATE_EPOCH: env.SOURCE_DATE_EPOCH } : {}), ...o.buildArgs },
        labels,
        ...(o.target ? { target: o.target } : {}),
        ...(o.platform ? { platform: o.platform } : {}),
        ...(network ? { networkmode: network } : {}),
        ...(o.pull ? { pull: '1' } : {}),
        ...(o.noCache ? { nocache: 'true' } : {}),
        ...(o.cacheFrom.length ? { cachefrom: JSON.stringify(o.cacheFrom) } : {}),
        ...(buildkit ? { version: '2', ...(session ? { session } : {}) } : { rm: 'true', forcerm: 'true' }),
      };
      // The deadline runs from the end of the upload: sending a big context takes what it takes.
      sending = engineCall(docker, 'POST /build', { ...call, startAfter: packed.done }, (signal) => dial<Readable>(docker, {
        path: '/build?', method: 'POST', file: packed.whole ?? packed.stream, releaseChunk: packed.release, options: query, registryconfig: registries.config,
        abortSignal: signal, isStream: true, statusCodes: { 200: true, 400: 'bad parameter', 500: 'server error' },
      }));
      sending.catch(() => undefined);
      // While the engine works (a small context is sent by now, with the request): the context
      // event (onEvent callers may ready their output then) and the stream's decoder.
      packed.done.then((c) => emit({ type: 'context', ...c }), () => undefined);
      splitter = createJsonLineSplitter();
      if (!buildkit) prepareBuildProgress();
    } catch (error) {
      packed.stream.destroy();
      throw contextError ?? requestError(error);
    }
    if (!pingAnswered) {
      waitingFor = 'the engine to answer HEAD /_ping';
      await ask();
      pingAnswered = true;
      waitingFor = 'the engine to accept the build context';
    }
    let response: Readable;
    try {
      response = await sending;
    } catch (error) {
      packed.stream.destroy();
      throw contextError ?? requestError(error);
    }
    waitingFor = 'the build stream';
    const stall = watchStall(response, o.stallTimeoutMs, () => new EngineTimeoutError(`the build stream was silent for ${o.stallTimeoutMs}ms${progress.snapshot().step ? ` at ${progress.snapshot().step}` : ''}`, { context: { waitedFor: 'the build stream' } }));
    const stopOnAbort = () => response.destroy(new Error('aborted'));
    controller.signal.addEventListener('abort', stopOnAbort, { once: true });
    try {
      await eachChunk(response, (chunk) => {
        streamStarted = true;
        stall.touch();
        for (const line of splitter.push(chunk)) progress.accept(line);
      });
      for (const line of splitter.end()) progress.accept(line);
    } catch (error) {
      if (!controller.signal.aborted) {
        packed.stream.destroy();
        throw contextError ?? requestError(error);
      }
    } finally {
      stall.stop();
      controller.signal.removeEventListener('abort', stopOnAbort);
    }
    if (controller.signal.aborted) throw abortReason();
    const contextStats = await packed.done;
    const outcome = progress.finish();
    if (outcome.error) throw buildFailure(outcome, { registries: registries.sources, dockerfile: dockerfile, dockerfileName: o.dockerfile ?? 'Dockerfile' });
    if (!outcome.imageId) {
      throw new BuildError('IMAGE_BUILD_FAILED', 'the build stream ended without an image ID (the daemon closed the connection?)', { step: outcome.step, lastLines: outcome.lastLines, daemonMessage: undefined, exitStatus: undefined }, { hint: 'check the Docker daemon logs and rerun' });
    }
    const imageId = outcome.imageId.startsWith('sha256:') ? outcome.imageId : (await engineCall(docker, 'GET /images/{id}/json', call, (signal) => inspectImage(docker, outcome.imageId!, signal))).Id;
    return { imageId, tags: [...o.tags], labels, context: contextStats, builder: choice.builder, durationMs: elapsed() };
  } catch (error) {
    if (controller.signal.aborted && !(error instanceof BuildError)) throw abortReason(error);
    if (!pingAnswered) await ask().then(() => undefined, (engineError: unknown) => Promise.reject(controller.signal.aborted ? abortReason(engineError) : engineError));
    throw error;
  } finally {
    if (timer) clearTimeout(timer);
    closeSession?.();
    o.signal?.removeEventListener('abort', abortOuter);
    if (!controller.signal.aborted) controller.abort(new Error('build finished'));
  }

  function registryConfigFor(stages: readonly Stage[]) {
    const pulls = stages.filter((s) => s.external).map((s) => parseImageReference(s.from).registry);
    return buildRegistryConfig({ pulls, tags: o.tags, env, signal: controller.signal });
  }

  function abortReason(cause?: unknown): Error {
    if (!timedOut) return new AbortError('the build', o.signal?.reason);
    const state = progress.snapshot();
    if (!streamStarted) {
      return new EngineTimeoutError(`the build did not finish within ${o.timeoutMs}ms: it was waiting for ${waitingFor}`, { cause, context: { waitedFor: waitingFor } });
    }
    const failure = { step: state.step, lastLines: state.lastLines, daemonMessage: undefined, exitStatus: undefined };
    return new BuildError('IMAGE_BUILD_TIMEOUT', `build did not finish within ${o.timeoutMs}ms${state.step ? `; it was at ${state.step}` : ''}; the request was aborted`, failure, {
      cause,
      hint: 'raise --timeout or find out why the step hangs',
    });
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The Dockerfile, parsed, or the error to report once the engine has answered. */
function readDockerfile(path: string): { dockerfile: DockerfileInfo; error?: undefined } | { dockerfile?: undefined; error: unknown } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { error: new ContextError(`Dockerfile ${path} cannot be read: ${code ?? (error as Error).message}`, { cause: error, hint: 'pass the Dockerfile with --file' }) };
  }
  try {
    return { dockerfile: parseDockerfile(text) };
  } catch (error) {
    return { error };
  }
}

async function hasBridgeNetwork(docker: Engine, call: { timeoutMs: number; signal: AbortSignal }): Promise<boolean> {
  try {
    await engineCall(docker, 'GET /networks/bridge', call, (signal) => dial(docker, { path: '/networks/bridge', method: 'GET', abortSignal: signal, statusCodes: { 200: true, 404: 'no such network', 500: 'server error' } }));
    return true;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return false;
    throw error;
  }
}

function requestError(error: unknown): unknown {
  const e = error as { statusCode?: number; json?: { message?: string }; message?: string };
  if (typeof e.statusCode === 'number') {
    const message = e.json?.message ?? e.message ?? `HTTP ${e.statusCode}`;
    return new BuildError('IMAGE_BUILD_FAILED', `the engine refused the build (HTTP ${e.statusCode}): ${message}`, { step: undefined, lastLines: [], daemonMessage: message, exitStatus: undefined }, { cause: error, hint: 'check the Dockerfile, build options and tags' });
  }
  return error;
}
