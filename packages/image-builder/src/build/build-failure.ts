import { ExitCode } from '@ops/core';
import type { DockerfileInfo } from '../dockerfile/parse-dockerfile.js';
import { BuildError } from '../errors/build-error.js';
import type { BuildOutcome } from '../stream/build-progress.js';

const PULL_AUTH = /no basic auth credentials|unauthorized|authentication required|pull access denied|authorization failed|401 Unauthorized/i;

/** The Dockerfile line of the instruction a step ran (`Step 2/5 : RUN make`, `[stage 2/3] RUN make`). */
export function stepLine(step: string | undefined, info: DockerfileInfo): number | undefined {
  if (!step) return undefined;
  const classic = /^Step (\d+)\/\d+ : (.*)$/s.exec(step);
  const text = (classic ? classic[2]! : step.replace(/^\[[^\]]*\]\s*/, '')).replace(/\s+/g, ' ').trim();
  const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
  const found = info.instructions.find((ins) => norm(`${ins.keyword} ${ins.args}`).toLowerCase() === text.toLowerCase());
  if (found) return found.line;
  const prefix = info.instructions.find((ins) => text.toLowerCase().startsWith(norm(`${ins.keyword} ${ins.args}`).toLowerCase().slice(0, 40)) && ins.args.length > 0);
  if (prefix) return prefix.line;
  return classic ? info.instructions[Number(classic[1]) - 1]?.line : undefined;
}

/** The exit status of the failing command, from the daemon's code or its message (`exit code: 2`). */
function exitStatusOf(error: NonNullable<BuildOutcome['error']>): number | undefined {
  if (error.code !== undefined && Number.isInteger(error.code) && error.code > 0 && error.code < 256) return error.code;
  const m = /(?:exit code|returned a non-zero code): (\d+)/.exec(error.message);
  const n = m ? Number(m[1]) : undefined;
  return n !== undefined && n > 0 && n < 256 ? n : undefined;
}

/**
 * The `BuildError` for a build stream that reported an error: the failing step, its Dockerfile line
 * and last output lines, the command's exit status (also the CLI's exit code, as with docker), and
 * a hint that fits: a refused base-image pull says whether credentials were sent and from where.
 */
export function buildFailure(outcome: BuildOutcome, about: { registries: Readonly<Record<string, string>>; dockerfile: DockerfileInfo; dockerfileName: string }): BuildError {
  const error = outcome.error!;
  const exitStatus = exitStatusOf(error);
  const line = stepLine(outcome.step, about.dockerfile);
  const failure = { step: outcome.step, lastLines: outcome.lastLines, daemonMessage: error.message, exitStatus, line, dockerfile: about.dockerfileName };
  const message = `build failed${outcome.step ? ` at ${outcome.step}` : ''}${line ? ` (${about.dockerfileName}:${line})` : ''}: ${error.message}`;
  if (PULL_AUTH.test(error.message)) {
    const registry = Object.keys(about.registries).find((r) => error.message.includes(r));
    const hint = registry
      ? `the registry ${registry} rejected the credentials from ${about.registries[registry]}: check the user and password (or token) and that they may pull this image`
      : 'no credentials were sent for the base image\'s registry: docker login, set DOCKER_CONFIG, or set REGISTRY_USERNAME and REGISTRY_PASSWORD when it is also the push registry';
    return new BuildError('IMAGE_PULL_UNAUTHORIZED', message, failure, { hint });
  }
  return new BuildError('IMAGE_BUILD_FAILED', message, failure, {
    hint: 'fix the failing step; its last output lines are shown above',
    // As `docker build` does: the failing command's status (it may be 2 or 3; documented).
    exitCode: (exitStatus ?? ExitCode.PROBLEM) as ExitCode,
  });
}
