#!/usr/bin/env node
// First: opens the engine's connections while the rest loads (see cli-start.ts).
import { earlyStart } from './cli-start.js';
import { relative, resolve } from 'node:path';
import { AbortError, COMMON_FLAGS_HELP, ExitCode, UsageError, createLogger, isOpsError, parseCliArgs, parseDuration, parseIntegerFlag, parseKeyValues, readPackageVersion, resolveOutputFormat, runCli, writeFileAtomic, type CliContext } from '@ops/core';
import { buildImage } from './build/build-image.js';
import { finalErrorLine, finalOkLine, type FailurePlace } from './ci/final-line.js';
import { resolveLogMode } from './ci/log-mode.js';
import { createOutputPrinter } from './ci/output-printer.js';
import { writeResults, type CommandSummary } from './ci/write-results.js';
import { createEngine, inspectImage } from './engine/create-engine.js';
import { engineCall } from './engine/engine-call.js';
import { BuildError } from './errors/build-error.js';
import { pushImage } from './push/push-image.js';
import { pushResultOf, type PushResult } from './push/push-result.js';
import { parseSecretFlag } from './build/secret-flag.js';
import { startStopwatch } from './stopwatch.js';

const HELP = `Usage: image-builder build --context DIR --tag T [--tag T]... [options]
       image-builder push --tag T [--tag T]... [options]

Builds (and pushes) a container image through the Docker Engine API (DOCKER_HOST), failing loudly:
an error anywhere in the build or push stream fails the command with the step and its output.

Build:
  --context DIR          build context directory (required)
  -f, --file F           Dockerfile, relative to the working directory as with docker build -f,
                         may be outside the context (default: DIR/Dockerfile)
  --tag T                image reference registry/name:tag (repeatable, at least one)
  --build-arg K=V        build argument (repeatable)
  --label K=V            label (repeatable), sent as build labels; org.opencontainers.image
                         revision/source are added, and created when SOURCE_DATE_EPOCH is set
  --no-oci-labels        do not add the org.opencontainers.image.* labels
  --target T             build stage to stop at
  --platform P           target platform, e.g. linux/amd64
  --pull                 always pull newer base images
  --no-cache             do not use the layer cache
  --cache-from IMAGE     image to use as a cache source (repeatable)
  --builder B            buildkit, classic or auto: BuildKit when the daemon has it (default: auto)
  --network N            network for RUN steps: default, none or host (default: the daemon's)
  --secret id=ID,src=F   secret for RUN --mount=type=secret (BuildKit; also id=ID,env=VAR; repeatable)
  --ssh default|ID=SOCK  SSH agent for RUN --mount=type=ssh (BuildKit; default: SSH_AUTH_SOCK)
  --push                 push every tag after the build

Credentials (sent for every registry the build pulls from and the push): REGISTRY_USERNAME +
REGISTRY_PASSWORD for the registries of the tags, else DOCKER_CONFIG/config.json auths,
credHelpers or credsStore.

Push:
  --retries N            retries of a push that failed for a transient reason (default: 3)

Time limits:
  --timeout D            end the whole command (build and push) after D, e.g. 10m (default: none)
  --request-timeout D    longest wait for the engine to answer one call (default: 30s)
  --stall-timeout D      end a build or push whose stream is silent for D
                         (default: none for builds, 2m for pushes)

Output:
  --format F             text or json: {"imageId","tags","digests","results","durationMs"}
                         (default: text); written also when the command fails
  --iidfile F            write the image ID to F
  --digest-file F        one line per tag: TAG<TAB>pushed<TAB>DIGEST or TAG<TAB>failed<TAB>ERROR
  --log-format F         text (pretty), json or github (default: github under GitHub Actions,
                         else text); build output lines are the build's own text, in log groups
                         on GitHub, with an ::error annotation on the failing Dockerfile line

Under GitHub Actions, imageid, digest, tags, digests and results are written to GITHUB_OUTPUT
(also when the command fails).

Exit codes: 0 built (and pushed); 1 the build or push failed; when a build step's command failed,
its own exit status (as docker build); 2 usage; 3 the engine or registry could not be reached or
did not answer in time. SIGINT/SIGTERM cancel the build or push on the daemon (130/143).

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
  builder: { type: 'string' },
  network: { type: 'string' },
  secret: { type: 'string', multiple: true },
  ssh: { type: 'string', multiple: true },
  timeout: { type: 'string' },
  'request-timeout': { type: 'string' },
  'stall-timeout': { type: 'string' },
  push: { type: 'boolean' },
  retries: { type: 'string' },
  format: { type: 'string' },
  iidfile: { type: 'string' },
  'digest-file': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const NAME = 'image-builder';
const { mode, argv } = resolveLogMode(process.argv.slice(2));
const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

async function main({ argv: args, flags, signal, stdout, stderr }: CliContext): Promise<number> {
  const { values, positionals } = parseCliArgs(args, FLAGS);
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
  const duration = (name: 'timeout' | 'request-timeout' | 'stall-timeout') => (values[name] === undefined ? undefined : parseDuration(values[name], { name: `--${name}` }));
  const timeoutMs = duration('timeout');
  const requestTimeoutMs = duration('request-timeout');
  const stallTimeoutMs = duration('stall-timeout');
  const builder = values.builder ?? 'auto';
  if (!['auto', 'buildkit', 'classic'].includes(builder)) throw new UsageError(`Expected \`--builder\` to be auto, buildkit or classic, got "${builder}"`);
  const env = process.env;
  const secrets = (values.secret ?? []).map((s) => parseSecretFlag(s, env));
  const dockerfile = values.file === undefined ? undefined : resolve(values.file);

  const logger = createLogger({ level: flags.logLevel, format: mode === 'json' ? 'json' : 'pretty', stream: stderr, context: { cli: NAME } });
  if (earlyStart) logger.debug('engine connections opened at start-up', { ...earlyStart });
  const printer = createOutputPrinter(stderr, mode);
  const elapsed = startStopwatch();
  const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
  const remaining = () => (deadline === undefined ? undefined : Math.max(1, deadline - Date.now()));
  const docker = createEngine();
  let imageId: string | undefined;
  let pushed: PushResult | undefined;
  let place: FailurePlace | undefined;
  const summary = (): CommandSummary => ({ imageId: imageId ?? null, tags, pushed, durationMs: elapsed() });
  try {
    if (command === 'build') {
      const context = values.context!;
      place = { file: relative(env.GITHUB_WORKSPACE || process.cwd(), dockerfile ?? resolve(context, 'Dockerfile')) || 'Dockerfile', line: undefined };
      const built = await buildImage({
        context, dockerfile, tags,
        buildArgs: parseKeyValues(values['build-arg'], '--build-arg'),
        labels: parseKeyValues(values.label, '--label'),
        ociLabels: !values['no-oci-labels'],
        target: values.target, platform: values.platform, pull: values.pull, noCache: values['no-cache'], cacheFrom: values['cache-from'],
        builder: builder as 'auto', network: values.network, secrets, ssh: values.ssh,
        timeoutMs, requestTimeoutMs, stallTimeoutMs,
        docker, logger, logOutput: false, signal, env,
        onEvent: (event) => {
          if (event.type === 'step') printer.step(event.step);
          else if (event.type === 'output') printer.line(event.line);
          else if (event.type === 'warning') printer.note('warn', event.message);
          else if (event.type === 'context') printer.prepare();
        },
      });
      printer.end();
      imageId = built.imageId;
      printer.note('info', `built ${imageId} (${built.builder})`);
      if (values.iidfile) await writeFileAtomic(values.iidfile, imageId);
    } else {
      // Asked before the push (not beside it): a hung or absent engine ends here, at once, with
      // the call it did not answer, rather than through the push's retries.
      imageId = (await engineCall(docker, `GET /images/${tags[0]}/json`, { timeoutMs: requestTimeoutMs ?? 30_000, signal }, (s) => inspectImage(docker, tags[0]!, s)).catch((error: unknown) => {
        if (isOpsError(error) && error.exitCode === ExitCode.ENVIRONMENT) throw error;
        return undefined;
      }))?.Id;
    }
    if (pushing) {
      printer.step(`Push ${tags.join(', ')}`);
      try {
        pushed = await pushImage({ tags, docker, signal, retries, timeoutMs: command === 'push' ? timeoutMs : remaining(), requestTimeoutMs, stallTimeoutMs, env,
          onEvent: (e) => {
            if (e.type === 'pushed') printer.line(`${e.tag}: pushed ${e.digest}`);
            else if (e.type === 'retry') printer.line(`${e.tag}: ${e.message}; retrying in ${e.delayMs}ms`);
            else if (e.type === 'push-status' && flags.logLevel === 'debug') printer.line(`${e.tag}: ${e.layer ? `${e.layer}: ` : ''}${e.status}`);
          } });
      } finally {
        printer.end();
      }
    }
    await writeResults(summary(), { format, stdout, digestFile: values['digest-file'], github: mode === 'github' || env.GITHUB_ACTIONS === 'true' ? env.GITHUB_OUTPUT : undefined });
    stderr.write(finalOkLine(NAME, pushing ? `pushed ${tags.length} tag(s)` : `built ${imageId}`, mode));
    return ExitCode.OK;
  } catch (error) {
    printer.end();
    pushed = pushResultOf(error) ?? pushed;
    if (pushing && !pushed && imageId) pushed = { tags, digests: {}, verified: [], results: tags.map((tag) => ({ tag, status: 'failed', error: { code: isOpsError(error) ? error.code : 'ERROR', message: 'not pushed: the command failed first' } })), durationMs: 0 };
    if (imageId || pushed) await writeResults(summary(), { format, stdout, digestFile: values['digest-file'], github: mode === 'github' || env.GITHUB_ACTIONS === 'true' ? env.GITHUB_OUTPUT : undefined }).catch(() => undefined);
    const signalName = signal.aborted ? /SIG[A-Z]+/.exec(String((signal.reason as Error | undefined)?.message))?.[0] : undefined;
    if (signalName && (error instanceof AbortError || (isOpsError(error) && error.code === 'ABORTED'))) {
      const done = pushed?.results.filter((r) => r.status === 'pushed').map((r) => r.tag) ?? [];
      const what = pushing && pushed ? `the push was cancelled on the daemon; pushed: ${done.length ? done.join(', ') : 'none'}; not pushed: ${pushed.results.filter((r) => r.status === 'failed').map((r) => r.tag).join(', ') || 'none'}` : 'the build was cancelled on the daemon (no container left)';
      stderr.write(finalErrorLine(NAME, new AbortError(`${what}, after ${signalName}`), mode, SIGNAL_EXIT[signalName] ?? 1));
      return SIGNAL_EXIT[signalName] ?? 1;
    }
    const code = isOpsError(error) ? error.exitCode : ExitCode.PROBLEM;
    if (error instanceof BuildError && place) place = { file: place.file, line: error.line };
    stderr.write(finalErrorLine(NAME, error, mode, code, error instanceof BuildError ? place : undefined));
    return code;
  }
}

// Not awaited: runCli sets the exit code and exits; the bin's CommonJS bundle has no top-level await.
const run = () => void runCli(main, { name: NAME, argv, version: () => readPackageVersion(new URL('../package.json', import.meta.url)) });
// With connections opened at start-up, after one turn of the event loop: the one in which they
// connect and the ping is written (a socket writes nothing before it has connected), so that the
// engine answers while the command sets up rather than after.
if (earlyStart) setImmediate(run);
else run();
