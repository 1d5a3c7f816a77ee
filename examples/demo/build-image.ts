import { existsSync } from 'node:fs';
import { formatBytes, formatDuration, messageOf } from '@ops/core';
import { buildImage, createEngine, pingEngine, pushImage, type BuildEvent } from '@ops/image-builder';
import { which } from '@ops/testkit';
import { startDockerd, startRegistry, type TestDockerd, type TestRegistry } from '@ops/testkit/docker';
import { mayStartDaemons, withDeadline, type DemoContext, type DemoPart } from './ui.js';

type Engine = ReturnType<typeof createEngine>;

/** An engine to build with: DOCKER_HOST or /var/run/docker.sock, else a private dockerd when root. */
async function findEngine(say: DemoContext['say']): Promise<{ docker: Engine; where: string; own?: TestDockerd } | undefined> {
  const configured = process.env.DOCKER_HOST || (existsSync('/var/run/docker.sock') ? 'unix:///var/run/docker.sock' : undefined);
  if (configured) {
    const docker = createEngine({ dockerHost: configured });
    try {
      await pingEngine(docker, AbortSignal.timeout(5000));
      return { docker, where: configured };
    } catch (error) {
      say(`the Docker engine at ${configured} does not answer (${messageOf(error)})`);
    }
  }
  if (mayStartDaemons() && which('dockerd') && which('busybox')) {
    say('no Docker engine configured: starting a private dockerd from @ops/testkit (own data root and socket, no network)');
    try {
      const own = await withDeadline('dockerd', 30_000, startDockerd({ startTimeoutMs: 25_000 }));
      return { docker: createEngine({ dockerHost: own.dockerHost }), where: `${own.dockerHost} (private dockerd, ${own.storageDriver})`, own };
    } catch (error) {
      say(`the private dockerd did not start: ${messageOf(error).split('\n')[0]}`);
    }
  }
  return undefined;
}

export const buildImageDemo: DemoPart = {
  pkg: '@ops/image-builder',
  title: 'build (and push) an image through the Docker Engine API',
  async run({ say, logger, signal, fixture }) {
    const engine = await findEngine(say);
    if (!engine) {
      say('no Docker engine reachable: skipping the build. To run it, point DOCKER_HOST at an engine, e.g.');
      say('  DOCKER_HOST=unix:///var/run/docker.sock pnpm demo      (a local daemon)');
      say('  DOCKER_HOST=tcp://build-host:2375 pnpm demo            (a remote one; ssh://user@host works too)');
      return;
    }
    let registry: TestRegistry | undefined;
    let imageId: string | undefined;
    try {
      say(`engine: ${engine.where}`);
      if (engine.own && which('docker-registry')) registry = await withDeadline('docker-registry', 20_000, startRegistry());
      const tag = `${registry ? `${registry.address}/` : ''}ops-demo/shop-api:1.4.2`;
      let steps = 0;
      const built = await buildImage({
        context: fixture('app'),
        tags: [tag],
        // The private dockerd has no network: build FROM the busybox image it imported.
        buildArgs: engine.own ? { BASE_IMAGE: engine.own.baseImage } : {},
        docker: engine.docker,
        logger: logger.child({ package: 'image-builder' }),
        onEvent: (event: BuildEvent) => { if (event.type === 'step') steps++; },
        timeoutMs: 60_000,
        signal,
      });
      imageId = built.imageId;
      say(`built ${tag}: ${built.imageId.slice(0, 19)}... in ${formatDuration(built.durationMs)}, ${steps} steps, context ${built.context.entries} entries (${formatBytes(built.context.bytes)}, .dockerignore applied)`);
      if (registry) {
        const pushed = await pushImage({ tags: [tag], docker: engine.docker, logger: logger.child({ package: 'image-builder' }), signal });
        say(`pushed to the throwaway registry ${registry.address}: ${pushed.digests[tag]} (${pushed.verified.includes(tag) ? 'digest verified against the registry' : 'not verified'})`);
      } else {
        say('(no push: the demo pushes only to a throwaway local registry)');
      }
    } catch (error) {
      // The user's engine may lack the busybox base image and a way to pull it: report, go on.
      if (engine.own || signal.aborted) throw error;
      say(`the build on ${engine.where} failed: ${messageOf(error).split('\n')[0]}`);
      say('(the Dockerfile starts FROM busybox:1.36: the engine must have it or be able to pull it)');
    } finally {
      // Leave the user's engine as it was; a private dockerd goes away with everything in it.
      if (imageId && !engine.own) await new Promise((done) => engine.docker.modem.dial({ path: `/images/${imageId}?force=1`, method: 'DELETE', statusCodes: { 200: true } }, done));
      await registry?.stop();
      await engine.own?.stop();
    }
  },
};
