/**
 * build-and-push: the image step of a pipeline (@ops/image-builder).
 *
 * Shows `buildImage()` through the Docker Engine API (DOCKER_HOST): the context packed with its
 * .dockerignore, each step logged, OCI labels added, a failing RUN failing the step with its last
 * output lines; then `pushImage()` with credentials from REGISTRY_USERNAME/REGISTRY_PASSWORD or
 * the docker config (never logged), transient registry errors retried and the digest checked
 * against the registry.
 *
 * Run:  DOCKER_HOST=unix:///var/run/docker.sock \
 *         pnpm --filter @ops/examples exec tsx build-and-push.ts [--context DIR] [--tag REF]... [--build-arg K=V]... [--push]
 *       (defaults: --context fixtures/app --tag shop/api:dev; push needs a registry in the tag,
 *       e.g. --tag 127.0.0.1:5000/shop/api:1.4.2 --push)
 *
 * Expected output, exit code 0 (3 when the engine or registry cannot be reached, 1 when the build fails):
 *   stderr: {"cli":"build-and-push","level":"info","message":"Step 1/8 : ARG BASE_IMAGE=busybox:1.36","step":1,"steps":8,...}
 *           ... one line per step (the last two add the OCI labels) and per line of RUN output ...
 *           {"cli":"build-and-push","level":"info","message":"pushed 127.0.0.1:5000/shop/api:1.4.2","digest":"sha256:e3f2...",...}
 *   stdout: built sha256:dd88559b... as 127.0.0.1:5000/shop/api:1.4.2 (5 files, 5.50 KiB context) in 2.52s
 *           pushed 127.0.0.1:5000/shop/api:1.4.2 sha256:e3f20618... (verified)
 */
import { fileURLToPath } from 'node:url';
import { formatBytes, formatDuration, parseCliArgs, parseKeyValues, runCli } from '@ops/core';
import { buildImage, pushImage } from '@ops/image-builder';

const SAMPLE_CONTEXT = fileURLToPath(new URL('./fixtures/app', import.meta.url));

await runCli(async ({ argv, logger, signal, stdout }) => {
  const { values } = parseCliArgs(argv, {
    context: { type: 'string', default: SAMPLE_CONTEXT },
    tag: { type: 'string', multiple: true, default: ['shop/api:dev'] },
    'build-arg': { type: 'string', multiple: true, default: [] },
    push: { type: 'boolean', default: false },
  } as const);

  const built = await buildImage({
    context: values.context,
    tags: values.tag,
    buildArgs: parseKeyValues(values['build-arg'], '--build-arg'),
    logger,
    signal,
    timeoutMs: 10 * 60_000,
  });
  stdout.write(`built ${built.imageId} as ${built.tags.join(', ')} (${built.context.entries} files, ${formatBytes(built.context.bytes)} context) in ${formatDuration(built.durationMs)}\n`);

  if (values.push) {
    const pushed = await pushImage({ tags: built.tags, logger, signal });
    for (const tag of pushed.tags) {
      stdout.write(`pushed ${tag} ${pushed.digests[tag]}${pushed.verified.includes(tag) ? ' (verified)' : ''}\n`);
    }
  }
}, { name: 'build-and-push' });
