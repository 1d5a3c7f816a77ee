import type { Engine } from '../engine/create-engine.js';
import { UsageError, type Logger } from '@ops/core';
import type { BuildEvent } from '../stream/build-progress.js';

export interface BuildImageOptions {
  /** The build context directory. Required. */
  readonly context: string;
  /** Dockerfile path, absolute or relative to the context; may be outside it (the CLI's `--file` is relative to the working directory, as with docker). Defaults to `<context>/Dockerfile`. */
  readonly dockerfile?: string;
  /** Tags given to the image (`name:tag`). Defaults to none. */
  readonly tags?: readonly string[];
  /** `--build-arg` values. Defaults to none. */
  readonly buildArgs?: Readonly<Record<string, string>>;
  /** Labels, sent as build labels; they override the OCI labels added automatically. Defaults to none. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Build stage to stop at. Defaults to the last stage. */
  readonly target?: string;
  /** Target platform, e.g. `linux/amd64`. Defaults to the engine's. */
  readonly platform?: string;
  /** Always pull newer base images. Defaults to false. */
  readonly pull?: boolean;
  /** Build without the layer cache. Defaults to false. */
  readonly noCache?: boolean;
  /** Images used as cache sources. Defaults to none. */
  readonly cacheFrom?: readonly string[];
  /** Add `org.opencontainers.image.revision/source` from git and the CI environment, and `created` when `SOURCE_DATE_EPOCH` is set (a build stays reproducible). Defaults to true. */
  readonly ociLabels?: boolean;
  /** Extra `.dockerignore` patterns. Defaults to none. */
  readonly ignore?: readonly string[];
  /** Ends the build (and aborts the request) after this many ms, whatever it waits for. Defaults to no limit. */
  readonly timeoutMs?: number;
  /** Longest wait for the engine to answer one call (connect and response headers), in ms. Defaults to 30000. */
  readonly requestTimeoutMs?: number;
  /** Ends the build when its stream is silent this long, in ms (a RUN step that prints nothing for long counts). Defaults to no limit. */
  readonly stallTimeoutMs?: number;
  /** `buildkit`, `classic`, or `auto`: BuildKit when the daemon has it (API 1.39+ on Linux). Defaults to `auto`. */
  readonly builder?: 'auto' | 'buildkit' | 'classic';
  /** Network for RUN steps (`default`, `none`, `host`). Defaults to the daemon's (for BuildKit on a daemon without a bridge network: `none`, as the classic builder gets). */
  readonly network?: string;
  /** Build secrets for `RUN --mount=type=secret` (BuildKit): id and the file holding the value. Defaults to none. */
  readonly secrets?: readonly { readonly id: string; readonly src: string }[];
  /** SSH agent sockets for `RUN --mount=type=ssh` (BuildKit): `default` (SSH_AUTH_SOCK) or `id=path`. Defaults to none. */
  readonly ssh?: readonly string[];
  /** Send steps, output lines and warnings to `logger` (at info/warn). Set false when `onEvent` prints them. Defaults to true. */
  readonly logOutput?: boolean;
  /** Engine client. Defaults to `createEngine()` (DOCKER_HOST). */
  readonly docker?: Engine;
  /** Where steps and output lines go. Defaults to none. */
  readonly logger?: Logger;
  /** Progress events: context sent, step started, output line, image built. Defaults to none. */
  readonly onEvent?: (event: BuildEvent) => void;
  /** Cancels the build. Defaults to none. */
  readonly signal?: AbortSignal;
  /** Environment read for OCI labels. Defaults to `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
}

export const BUILD_DEFAULTS = {
  tags: [] as readonly string[],
  buildArgs: {} as Readonly<Record<string, string>>,
  labels: {} as Readonly<Record<string, string>>,
  pull: false,
  noCache: false,
  cacheFrom: [] as readonly string[],
  ociLabels: true,
  ignore: [] as readonly string[],
  requestTimeoutMs: 30_000,
  builder: 'auto' as 'auto' | 'buildkit' | 'classic',
  secrets: [] as readonly { readonly id: string; readonly src: string }[],
  ssh: [] as readonly string[],
  logOutput: true,
};

const TAG = /^(?:[a-zA-Z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?$/;

/** Whether `tag` is a valid image reference without digest (`[registry/]name[:tag]`). */
export function isValidTag(tag: string): boolean {
  return TAG.test(tag);
}

/** Fills the defaults and validates every option, naming the bad one. */
export function resolveBuildOptions(options: BuildImageOptions) {
  const o = { ...BUILD_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as typeof BUILD_DEFAULTS & BuildImageOptions;
  if (typeof o.context !== 'string' || o.context === '') throw new UsageError('Expected `context` to be a directory path, got nothing');
  for (const tag of o.tags) if (!isValidTag(tag)) throw new UsageError(`Expected \`tags\` to hold image references like registry/name:tag, got "${tag}"`);
  if (o.timeoutMs !== undefined && (!Number.isFinite(o.timeoutMs) || o.timeoutMs <= 0)) throw new UsageError(`Expected \`timeoutMs\` to be a positive number, got ${o.timeoutMs}`);
  for (const name of ['requestTimeoutMs', 'stallTimeoutMs'] as const) {
    const v = o[name];
    if (v !== undefined && (!Number.isFinite(v) || v <= 0)) throw new UsageError(`Expected \`${name}\` to be a positive number, got ${v}`);
  }
  if (!['auto', 'buildkit', 'classic'].includes(o.builder)) throw new UsageError(`Expected \`builder\` to be auto, buildkit or classic, got "${o.builder}"`);
  for (const s of o.secrets) if (!s || !/^[\w.-]+$/.test(s.id ?? '') || !s.src) throw new UsageError(`Expected \`secrets\` entries like { id: "npmrc", src: "/path/file" }, got ${JSON.stringify(s?.id ?? s)}`);
  for (const s of o.ssh) if (!/^[\w.-]+(=.+)?$/.test(s)) throw new UsageError(`Expected \`ssh\` entries like "default" or "id=/path/agent.sock", got "${s}"`);
  if (o.platform !== undefined && !/^[a-z0-9_]+(\/[a-z0-9_.]+){0,2}$/i.test(o.platform)) throw new UsageError(`Expected \`platform\` like linux/amd64, got "${o.platform}"`);
  return o;
}
