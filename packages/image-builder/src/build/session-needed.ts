import { unquote, type Stage } from '../dockerfile/base-images.js';
import type { DockerfileInfo } from '../dockerfile/parse-dockerfile.js';
import { inspectImage, type Engine } from '../engine/create-engine.js';
import { engineCall, type EngineCallOptions } from '../engine/engine-call.js';
import { BuildError } from '../errors/build-error.js';

/** What a BuildKit build asks for that only a session gives, or that may make the engine pull. */
export interface SessionWants {
  readonly secrets: number;
  readonly ssh: number;
  readonly pull: boolean;
  readonly cacheFrom: number;
  readonly platform: string | undefined;
}

/**
 * Whether a BuildKit build needs a session (`POST /session`, gRPC served on it): for secrets,
 * SSH agents, and registry credentials when the engine may pull (a base image it does not have,
 * `--pull`, `--cache-from`, `--platform`, a `# syntax=` frontend, an image named by `--from`).
 * A build whose every base image is already in the engine goes without one, as the Engine API
 * allows: no gRPC to load and no session to open (a cached build takes ~40% less time). An image
 * the engine cannot be asked about counts as missing.
 */
export async function sessionNeeded(docker: Engine, info: DockerfileInfo, stages: readonly Stage[], wants: SessionWants, call: EngineCallOptions): Promise<boolean> {
  if (wants.secrets || wants.ssh) return true;
  if (wants.pull || wants.cacheFrom || wants.platform || info.syntax) return true;
  if (mayPullBeyondStages(info, stages)) return true;
  const bases = [...new Set(stages.filter((s) => s.external).map((s) => s.from))];
  if (bases.some((ref) => ref === '' || ref.includes('$'))) return true;
  const present = await Promise.all(bases.map((ref) => engineCall(docker, 'GET /images/{name}/json', call, (signal) => inspectImage(docker, ref, signal)).then(() => true, () => false)));
  return present.includes(false);
}

/**
 * Whether the Dockerfile names an image outside its stages where BuildKit pulls one: `COPY` or
 * `ADD --from=<image>`, `RUN --mount=...,from=<image>`, a `FROM --platform=...` (another
 * platform's image), or any of them under `ONBUILD`.
 */
export function mayPullBeyondStages(info: DockerfileInfo, stages: readonly Stage[]): boolean {
  const names = new Set(stages.map((s) => s.name).filter((n): n is string => n !== undefined));
  const outside = (quoted: string) => {
    const ref = unquote(quoted);
    return !/^\d+$/.test(ref) && !names.has(ref.toLowerCase());
  };
  for (const ins of info.instructions) {
    const args = ins.keyword === 'ONBUILD' ? ins.args.replace(/^\s*\S+/, '') : ins.args;
    const keyword = ins.keyword === 'ONBUILD' ? (/^\s*(\S+)/.exec(ins.args)?.[1] ?? '').toUpperCase() : ins.keyword;
    if (keyword === 'FROM' && /(?:^|\s)--platform=/.test(args)) return true;
    if (keyword === 'COPY' || keyword === 'ADD') {
      const from = /(?:^|\s)--from=(\S+)/.exec(args)?.[1];
      if (from !== undefined && outside(from)) return true;
    }
    if (keyword === 'RUN') {
      for (const mount of args.matchAll(/(?:^|\s)--mount=(\S+)/g)) {
        const from = /(?:^|,)from=([^,]+)/.exec(mount[1]!)?.[1];
        if (from !== undefined && outside(from)) return true;
      }
    }
  }
  return false;
}

/**
 * Whether a build that went without a session failed for want of one: BuildKit asked the client
 * session for registry credentials and there was none (`no active sessions`). That happens when
 * the engine resolves a base image in its registry although it has it (BuildKit on the
 * containerd image store) or a base image's `ONBUILD` pulls one: buildImage then builds again,
 * once, with a session.
 */
export function wantedSessionAfterAll(error: unknown, sessionSkipped: boolean): boolean {
  return sessionSkipped && error instanceof BuildError && error.code === 'IMAGE_BUILD_FAILED' && /\bno active sessions\b/i.test(error.message);
}
