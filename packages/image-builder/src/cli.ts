#!/usr/bin/env node
import { COMMON_FLAGS_HELP, ExitCode, UsageError, parseCliArgs, parseIntegerFlag, parseDuration, parseKeyValues, resolveOutputFormat, runCli, writeFileAtomic, type CliContext } from '@ops/core';
import { buildImage } from './build/build-image.js';
import { createLogGroups, isGitHubActions, writeGitHubOutputs } from './ci/github-actions.js';
import { createEngine } from './engine/create-engine.js';
import { pushImage, type PushResult } from './push/push-image.js';

const HELP = `Usage: image-builder build --context DIR --tag T [--tag T]... [options]
       image-builder push --tag T [--tag T]... [options]

Builds (and pushes) a container image through the Docker Engine API (DOCKER_HOST), failing loudly:
an error anywhere in the build or push stream fails the command with the step and its output.

Build:
  --context DIR          build context directory (required)
  --file F               Dockerfile, may be outside the context (default: DIR/Dockerfile)
  --tag T                image reference registry/name:tag (repeatable, at least one)
  --build-arg K=V        build argument (repeatable)
  --label K=V            label (repeatable); OCI revision/created/source labels are added
  --no-oci-labels        do not add the org.opencontainers.image.* labels
  --target T             build stage to stop at
  --platform P           target platform, e.g. linux/amd64
  --pull                 always pull newer base images
  --no-cache             do not use the layer cache
  --cache-from IMAGE     image to use as a cache source (repeatable)
  --timeout D            end a build that takes longer, e.g. 10m (default: none)
  --push                 push every tag after the build

Push (credentials: REGISTRY_USERNAME + REGISTRY_PASSWORD, else DOCKER_CONFIG/config.json
auths, credHelpers or credsStore):
  --retries N            retries of a push that failed for a transient reason (default: 3)

Output:
  --format F             text or json: {"imageId","tags","digests","durationMs"} (default: text)
  --iidfile F            write the image ID to F
  --digest-file F        write the pushed manifest digest to F (one line per distinct digest)

Under GitHub Actions, steps are folded into log groups and imageid, digest, tags and digests are
written to GITHUB_OUTPUT.

Exit codes: 0 built (and pushed), 1 the build or push failed, 2 usage, 3 the engine or registry
could not be reached.

${COMMON_FLAGS_HELP}`;

const FLAGS = {
  context: { type: 'string' },
  file: { type: 'string', short: 'f' },
  tag: { type: 'string', short: 't', multiple: true },
  'build-arg': { type: 'string', multiple: true },
  label: { type: 'string', multiple: true },
  'no-oci-labels': { type: 'boolean' },
  target: { type: 'string' },
  platform: { type: 'string' },
  pull: { type: 'boolean' },
  'no-cache': { type: 'boolean' },
  'cache-from': { type: 'string', multiple: true },
  timeout: { type: 'string' },
  push: { type: 'boolean' },
  retries: { type: 'string' },
  format: { type: 'string' },
  iidfile: { type: 'string' },
  'digest-file': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function main({ argv, logger, signal, stdout, stderr }: CliContext): Promise<number> {
  const { values, positionals } = parseCliArgs(argv, FLAGS);
  if (values.help) {
    stdout.write(`${HELP}\n`);
    return ExitCode.OK;
  }
  const [command, ...extra] = positionals;
  if (command !== 'build' && command !== 'push') throw new UsageError(command ? `unknown command "${command}"` : 'missing command', { hint: 'use `image-builder build --context DIR --tag T` or `image-builder push --tag T`' });
  if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`, { hint: 'run with --help for the usage' });
  const tags = values.tag ?? [];
  if (tags.length === 0) throw new UsageError('Expected at least one `--tag`', { hint: 'pass --tag registry/name:tag' });
  const format = resolveOutputFormat(values.format, ['text', 'json'] as const, { tty: 'text', pipe: 'text' }, stdout);
  if (command === 'build' && !values.context) throw new UsageError('Expected `--context` DIR', { hint: 'pass the build context directory' });
  const pushing = command === 'push' || values.push === true;
  if (values['digest-file'] && !pushing) throw new UsageError('`--digest-file` needs `--push`: digests exist once the image is pushed');
  if (command === 'push' && values.context) throw new UsageError('`--context` is a build flag; use `image-builder build --push`');
  const retries = parseIntegerFlag(values.retries, '--retries', { max: 100 });
  const timeoutMs = values.timeout === undefined ? undefined : parseDuration(values.timeout, { name: '--timeout' });

  const started = performance.now();
  const docker = createEngine();
  const github = isGitHubActions();
  const groups = createLogGroups(stderr, github);
  let imageId: string | undefined;
  try {
    if (command === 'build') {
      logger.info(`building ${tags.join(', ')}`, { context: values.context });
      const built = await buildImage({
        context: values.context!,
        dockerfile: values.file,
        tags,
        buildArgs: parseKeyValues(values['build-arg'], '--build-arg'),
        labels: parseKeyValues(values.label, '--label'),
        ociLabels: !values['no-oci-labels'],
        target: values.target,
        platform: values.platform,
        pull: values.pull,
        noCache: values['no-cache'],
        cacheFrom: values['cache-from'],
        timeoutMs,
        docker,
        logger,
        signal,
        onEvent: (event) => {
          if (event.type === 'step') groups.start(event.step);
        },
      });
      groups.end();
      imageId = built.imageId;
      logger.info(`built ${imageId}`, { tags, contextBytes: built.context.bytes, contextEntries: built.context.entries });
      if (values.iidfile) await writeFileAtomic(values.iidfile, imageId);
    } else {
      imageId = (await docker.getImage(tags[0]!).inspect().catch(() => undefined))?.Id;
    }
    let pushed: PushResult | undefined;
    if (pushing) {
      groups.start(`Push ${tags.join(', ')}`);
      pushed = await pushImage({ tags, docker, logger, signal, retries });
      groups.end();
      if (values['digest-file']) await writeFileAtomic(values['digest-file'], `${[...new Set(Object.values(pushed.digests))].join('\n')}\n`);
    }
    const summary = { imageId: imageId ?? null, tags, digests: pushed?.digests ?? {}, durationMs: Math.round(performance.now() - started) };
    if (format === 'json') stdout.write(`${JSON.stringify(summary)}\n`);
    else {
      if (imageId) stdout.write(`${imageId}\n`);
      for (const tag of tags) stdout.write(`${tag}${summary.digests[tag] ? `@${summary.digests[tag]}` : ''}\n`);
    }
    if (github) {
      const first = Object.values(summary.digests)[0];
      await writeGitHubOutputs({ imageid: imageId ?? '', digest: first ?? '', tags: tags.join('\n'), digests: JSON.stringify(summary.digests) });
    }
    return ExitCode.OK;
  } finally {
    groups.end();
  }
}

await runCli(main, { name: 'image-builder' });
