/**
 * preflight: an in-house release tool composed from four libraries. It
 *   1. loads and validates the deploy config (@ops/config-schema),
 *   2. probes every target host over SSH (@ops/ssh-probe),
 *   3. builds and pushes the image (@ops/image-builder),
 *   4. asks the deploy API to roll it out, with retries (@ops/resilient-http),
 * logging one JSON line per step on stderr (@ops/core logger; retries add one warn line each)
 * and stopping at the first step that fails, with that step's exit code: 1 a problem (invalid
 * config, unreachable host, failed build), 2 usage, 3 environment (Docker engine, registry or
 * deploy API unreachable).
 *
 * Run:  pnpm --filter @ops/examples exec tsx preflight.ts [--config FILE] [--schema FILE] [--set path=value]...
 *         [--identity KEY] [--known-hosts FILE]
 *       (defaults: fixtures/deploy.yaml and its schema; ${VAR:-default} values in the config
 *       read IMAGE_REPOSITORY, TARGET_1, TARGET_2, PROBE_CHECK and DEPLOY_API; Docker from DOCKER_HOST)
 *
 * Expected output with the sample config as it is (its hosts are *.invalid), exit code 1:
 *   {"environment":"staging","level":"info","message":"config ok","ms":190,"ok":true,"service":"shop-api","step":"config","targets":2,...,"tool":"preflight"}
 *   {"code":"PREFLIGHT_HOSTS_UNREACHABLE","error":"2 of 2 hosts unreachable: web1.example.invalid (dns), web2.example.invalid (dns)",
 *    "level":"error","message":"probe failed","ms":44,"ok":false,"step":"probe",...}
 * With every service up (test/examples.int.test.ts starts them), exit code 0:
 *   {..."message":"config ok",...}
 *   {"check":"auth",..."message":"probe ok",...,"reachable":2,"step":"probe",...}
 *   {"contextBytes":5632,"image":"127.0.0.1:5000/shop/api:1.4.2","imageId":"sha256:86fa...",..."message":"build ok",...}
 *   {"digest":"sha256:7965...",..."message":"push ok",...,"verified":true}
 *   {"attempt":1,"level":"warn","message":"retrying POST http://127.0.0.1:8080/api/deployments","reason":"status 503","step":"deploy",...,"wait":"56ms"}
 *   {"attempts":3,"deployment":"dep-1042",..."message":"deploy ok",...,"status":"queued","step":"deploy",...}
 *   stdout: shop-api 1.4.2 (sha256:7965...) deployment dep-1042 queued
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, ExitCode, isOpsError, messageOf, OpsError, parseCliArgs, runCli, type Logger } from '@ops/core';
import { loadConfig } from '@ops/config-schema';
import { buildImage, pushImage } from '@ops/image-builder';
import { createHttpClient } from '@ops/resilient-http';
import { parseInventory, probeAllIndexed, type Check, type ProbeResult } from '@ops/ssh-probe';

/** What deploy.schema.json describes (defaults filled by the loader). */
interface DeployConfig {
  service: string;
  environment: string;
  replicas: number;
  image: { context: string; repository: string; tag: string; buildArgs: Record<string, string> };
  targets: string[];
  probe: { check: Check; timeout: string; identityFile?: string };
  deploy: { url: string; retries: number; timeout: string };
}

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** Runs one step and logs its JSON line; a failure is logged, then rethrown as `StepFailed`. */
function stepRunner(log: Logger) {
  return async <T>(step: string, run: () => Promise<T>, summary: (result: T) => Record<string, unknown>): Promise<T> => {
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    try {
      const result = await run();
      log.info(`${step} ok`, { step, ok: true, ...summary(result), ms: ms() });
      return result;
    } catch (error) {
      log.error(`${step} failed`, { step, ok: false, code: isOpsError(error) ? error.code : undefined, error: messageOf(error), ms: ms() });
      throw new StepFailed(error);
    }
  };
}

class StepFailed extends Error {
  readonly exitCode: number;
  constructor(cause: unknown) {
    super(messageOf(cause), { cause });
    this.exitCode = isOpsError(cause) ? cause.exitCode : ExitCode.PROBLEM;
  }
}

await runCli(async ({ argv, flags, signal, stdout }) => {
  const { values } = parseCliArgs(argv, {
    config: { type: 'string', default: fixture('deploy.yaml') },
    schema: { type: 'string', default: fixture('deploy.schema.json') },
    set: { type: 'string', multiple: true, default: [] },
    identity: { type: 'string' },
    'known-hosts': { type: 'string' },
  } as const);
  const log = createLogger({ format: 'json', level: flags.logLevel, context: { tool: 'preflight' } });
  const step = stepRunner(log);

  try {
    const config = await step('config',
      async () => (await loadConfig(values.config, { schema: values.schema, set: values.set, signal })) as DeployConfig,
      (c) => ({ service: c.service, environment: c.environment, targets: c.targets.length }));

    await step('probe', async () => {
      const targets = parseInventory(config.targets.join('\n'), 'lines', values.config);
      const identity = values.identity ?? config.probe.identityFile;
      const results: ProbeResult[] = [];
      for await (const [index, r] of probeAllIndexed(targets, {
        check: config.probe.check,
        timeout: config.probe.timeout,
        identityFiles: identity ? [identity] : undefined,
        knownHosts: values['known-hosts'],
        signal,
      })) results[index] = r;
      const down = results.filter((r) => r.status === 'unreachable');
      if (down.length) {
        throw new OpsError('PREFLIGHT_HOSTS_UNREACHABLE', `${down.length} of ${results.length} hosts unreachable: ${down.map((r) => `${r.host} (${r.reason})`).join(', ')}`, {
          hint: 'fix the hosts or remove them from targets',
        });
      }
      return results;
    }, (results) => ({ reachable: results.length, check: config.probe.check }));

    const ref = `${config.image.repository}:${config.image.tag}`;
    await step('build', () => buildImage({
      context: resolve(dirname(values.config), config.image.context),
      tags: [ref],
      buildArgs: config.image.buildArgs,
      signal,
    }), (b) => ({ image: ref, imageId: b.imageId, contextBytes: b.context.bytes }));

    const pushed = await step('push', () => pushImage({ tags: [ref], signal }), (p) => ({ image: ref, digest: p.digests[ref], verified: p.verified.includes(ref) }));
    const digest = pushed.digests[ref]!;

    const api = createHttpClient({
      baseUrl: config.deploy.url,
      timeout: config.deploy.timeout,
      retry: { retries: config.deploy.retries, minDelay: '250ms', maxDelay: '5s' },
      logger: log.child({ step: 'deploy' }),
    });
    const deployed = await step('deploy', async () => {
      // Keyed by the digest: a retried (or rerun) request rolls the same image out once.
      const response = await api.request('POST', 'deployments', {
        json: { service: config.service, environment: config.environment, image: ref, digest, replicas: config.replicas },
        idempotencyKey: `${config.service}-${config.environment}-${digest}`,
        signal,
      });
      return { ...response.json<{ id: string; status: string }>(), attempts: response.attempts };
    }, (d) => ({ deployment: d.id, status: d.status, attempts: d.attempts }));

    stdout.write(`${config.service} ${config.image.tag} (${digest}) deployment ${deployed.id} ${deployed.status}\n`);
    return ExitCode.OK;
  } catch (error) {
    if (error instanceof StepFailed) return error.exitCode;
    throw error;
  }
}, { name: 'preflight' });
