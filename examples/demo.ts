/**
 * The ops toolbox demo: `pnpm demo` at the repository root (it builds first), or
 * `pnpm --filter @ops/examples demo` once built.
 *
 * Runs the six everyday jobs on embedded defaults, nothing to configure, each under a heading
 * naming its package: scan logs (a bundled sample and a generated large one, with the progress
 * bar), probe SSH (a throwaway sshd when root can start one, always a few unreachable targets),
 * call a flaky local server with retries, validate sample configs, build an image when a Docker
 * engine is reachable (or a private dockerd can be started as root), serve host metrics and
 * scrape them once. Takes about a minute; everything it starts is stopped, every temp file removed.
 * A part that needs what this machine lacks (root, sshd, Docker) says so and the demo goes on;
 * the exit code is 0 unless a part failed outright.
 *
 * Environment: DEMO_LOG_SIZE (size of the generated log, default 256MiB), DEMO_ONLY (comma
 * separated package names, e.g. `log-scan,host-metrics`, to run only those parts), DEMO_DAEMONS=0
 * (never start sshd, dockerd or a registry, even as root), DOCKER_HOST,
 * LOG_LEVEL. Flags: --log-format json|pretty, --log-level (library logs go to stderr).
 */
import { fileURLToPath } from 'node:url';
import { AbortError, formatDuration, isOpsError, messageOf, runCli } from '@ops/core';
import { buildImageDemo } from './demo/build-image.js';
import { callFlaky } from './demo/call-flaky.js';
import { probeSsh } from './demo/probe-ssh.js';
import { scanLogs } from './demo/scan-logs.js';
import { serveMetrics } from './demo/serve-metrics.js';
import { heading, type DemoContext, type DemoPart } from './demo/ui.js';
import { validateConfigs } from './demo/validate-configs.js';

const PARTS: readonly DemoPart[] = [scanLogs, probeSsh, callFlaky, validateConfigs, buildImageDemo, serveMetrics];

await runCli(async ({ logger, signal, stdout }) => {
  const only = process.env.DEMO_ONLY?.split(',').map((s) => s.trim().replace(/^@ops\//, '')).filter(Boolean);
  const parts = only?.length ? PARTS.filter((p) => only.includes(p.pkg.replace(/^@ops\//, ''))) : PARTS;
  const tty = Boolean(stdout.isTTY);
  const ctx: DemoContext = {
    out: stdout,
    logger,
    signal,
    fixture: (name) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)),
    say: (text) => void stdout.write(`  ${text}\n`),
  };
  stdout.write(`ops toolbox demo: ${parts.length} job${parts.length === 1 ? '' : 's'}, library logs on stderr\n`);
  const started = performance.now();
  const failed: string[] = [];
  for (const [index, part] of parts.entries()) {
    stdout.write(heading(index + 1, parts.length, part, tty));
    const partStarted = performance.now();
    try {
      await part.run(ctx);
      ctx.say(`(${part.pkg} done in ${formatDuration(performance.now() - partStarted)})`);
    } catch (error) {
      if (signal.aborted) throw isOpsError(error) ? error : new AbortError('the demo', signal.reason);
      failed.push(part.pkg);
      ctx.say(`FAILED: ${messageOf(error)}`);
    }
  }
  stdout.write(`\ndemo finished in ${formatDuration(performance.now() - started)}: ${parts.length - failed.length}/${parts.length} jobs ran${failed.length ? `, failed: ${failed.join(', ')}` : ''}\n`);
  return failed.length ? 1 : 0;
}, { name: 'demo' });
