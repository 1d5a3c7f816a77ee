/**
 * check-ssh: probe every host of a servers.txt over SSH and exit non-zero when one is unreachable
 * (@ops/ssh-probe).
 *
 * Shows `parseInventory()` and `probeAll()` (parallel probes, results as they finish) and how an
 * unreachable host is classified: `reason` (dns, refused, timeout, auth, host-key...) and the
 * `stage` it stopped at.
 *
 * Run:  pnpm --filter @ops/examples exec tsx check-ssh.ts [SERVERS_FILE] [--check tcp|banner|auth]
 *         [--identity KEY] [--known-hosts FILE] [--timeout 5s]
 *       (defaults: fixtures/servers.txt, whose .invalid names never resolve, and --check banner:
 *       TCP + SSH banner + key exchange, no credentials needed; --check auth also logs in with
 *       the --identity keys or the SSH agent)
 *
 * Expected output (fixtures/servers.txt), exit code 1:
 *   UNREACHABLE  web1.example.invalid:22  dns at resolve  (cannot resolve web1.example.invalid: no such host (NXDOMAIN))
 *   UNREACHABLE  web2.example.invalid:2222  dns at resolve  (cannot resolve web2.example.invalid: ...)
 *   UNREACHABLE  db1.example.invalid:22  dns at resolve  (cannot resolve db1.example.invalid: ...)
 *   0/3 reachable
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ExitCode, parseCliArgs, runCli, UsageError } from '@ops/core';
import { CHECKS, parseInventory, probeAllIndexed, type Check, type ProbeResult } from '@ops/ssh-probe';

const SAMPLE = fileURLToPath(new URL('./fixtures/servers.txt', import.meta.url));

await runCli(async ({ argv, signal, stdout }) => {
  const { values, positionals } = parseCliArgs(argv, {
    check: { type: 'string', default: 'banner' },
    identity: { type: 'string', multiple: true },
    'known-hosts': { type: 'string' },
    timeout: { type: 'string', default: '5s' },
  } as const);
  if (!CHECKS.includes(values.check as Check)) throw new UsageError(`Expected \`--check\` to be one of ${CHECKS.join(', ')}, got "${values.check}"`);
  const file = positionals[0] ?? SAMPLE;
  const targets = parseInventory(await readFile(file, 'utf8'), 'auto', file);

  const results: ProbeResult[] = [];
  for await (const [index, r] of probeAllIndexed(targets, {
    check: values.check as Check,
    timeout: values.timeout,
    identityFiles: values.identity,
    knownHosts: values['known-hosts'],
    signal,
  })) results[index] = r;

  for (const r of results) {
    const where = `${r.host}:${r.port}`;
    stdout.write(r.status === 'reachable'
      ? `ok           ${where}  ${r.latencyMs}ms  ${r.banner ?? ''}\n`
      : `UNREACHABLE  ${where}  ${r.reason} at ${r.stage}  (${r.error ?? ''})\n`);
  }
  const up = results.filter((r) => r.status === 'reachable').length;
  stdout.write(`${up}/${results.length} reachable\n`);
  return up === results.length ? ExitCode.OK : ExitCode.PROBLEM;
}, { name: 'check-ssh' });
