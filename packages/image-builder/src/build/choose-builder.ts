import type { DockerfileInfo } from '../dockerfile/parse-dockerfile.js';
import { versionAtLeast, type EngineInfo } from '../engine/engine-info.js';
import { FeatureError } from '../errors/feature-error.js';

export interface BuilderChoice {
  readonly builder: 'buildkit' | 'classic';
  /** Things worth a warning (a directive the builder ignores). */
  readonly warnings: readonly string[];
}

interface Wanted {
  readonly builder: 'auto' | 'buildkit' | 'classic';
  readonly secrets: readonly unknown[];
  readonly ssh: readonly unknown[];
  readonly dockerfileName: string;
}

/** The first instruction using a BuildKit-only feature, named for a message. */
function buildkitOnly(info: DockerfileInfo, file: string): { feature: string; where: string } | undefined {
  for (const ins of info.instructions) {
    const where = `${file}:${ins.line}`;
    if (ins.heredoc) return { feature: 'heredoc', where };
    const flag = /(?:^|\s)--(mount|network|security)[= ]/.exec(ins.args);
    if (ins.keyword === 'RUN' && flag) return { feature: `RUN --${flag[1]}`, where };
  }
  return undefined;
}

/**
 * Picks the builder: the one asked for, or with `auto` BuildKit when the daemon has it. Fails,
 * before any context is sent, when the Dockerfile or the options need what the builder lacks.
 */
export function chooseBuilder(engine: EngineInfo | undefined, info: DockerfileInfo, wanted: Wanted): BuilderChoice {
  // Not asked (undefined) only for the classic builder asked for, which needs nothing of it.
  if (!engine && wanted.builder !== 'classic') throw new TypeError('chooseBuilder: the engine\'s answer is needed to choose a builder');
  const e = engine ?? { apiVersion: '', version: '', os: 'linux', buildkit: false };
  const warnings: string[] = [];
  const needs = buildkitOnly(info, wanted.dockerfileName);
  const sessionFeature = wanted.secrets.length ? '--secret' : wanted.ssh.length ? '--ssh' : undefined;
  const builder = wanted.builder === 'auto' ? (e.buildkit ? 'buildkit' : 'classic') : wanted.builder;
  if (builder === 'buildkit' && !e.buildkit) {
    throw new FeatureError('BuildKit', `the Docker engine ${e.version} (API ${e.apiVersion}, ${e.os}) has no BuildKit`, { hint: 'use --builder classic, or a Docker engine 18.09+ on Linux' });
  }
  if (builder === 'classic') {
    const lacking = needs ? `${needs.feature} (${needs.where})` : sessionFeature;
    if (lacking) {
      const why = wanted.builder === 'classic' ? 'with --builder classic' : `on this daemon (Docker ${e.version}, no BuildKit)`;
      throw new FeatureError(needs?.feature ?? sessionFeature!, `${lacking} needs BuildKit, which is not available ${why}`, { hint: wanted.builder === 'classic' ? 'use --builder buildkit (or auto)' : 'use a Docker engine with BuildKit (18.09+ on Linux)' });
    }
    if (info.syntax) warnings.push(`the classic builder ignores the "# syntax=${info.syntax}" directive (as docker build does without BuildKit)`);
  }
  // Heredocs came with Dockerfile frontend 1.4, built into Docker 23; older daemons need `# syntax=`.
  if (builder === 'buildkit' && needs?.feature === 'heredoc' && !info.syntax && !versionAtLeast(e.version, '23')) {
    throw new FeatureError('heredoc', `heredoc (${needs.where}) needs Dockerfile frontend 1.4, and the frontend built into Docker ${e.version} is older`, { hint: 'write the script as RUN a && b, or add "# syntax=docker/dockerfile:1.4" (the daemon then pulls that frontend image)' });
  }
  return { builder, warnings };
}
