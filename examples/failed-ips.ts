/**
 * failed-ips: scan auth logs and print the IPs that failed to log in the most (@ops/log-scan).
 *
 * Shows `scan()` over files, directories, globs or gzip logs (large files are split over worker
 * threads), and what each IP record holds: count, users tried, first/last seen, kinds.
 *
 * Run:  pnpm --filter @ops/examples exec tsx failed-ips.ts [--top N] [LOG...]
 *       (defaults: --top 5 fixtures/auth.log)
 *
 * Expected output (fixtures/auth.log):
 *   203.0.113.7                   12 failures  users: admin,root         sshd-failed-password=9 ...
 *   2001:db8:85a3::8a2e:370:7334   5 failures  users: oracle,postgres    sshd-failed-password=3 ...
 *   198.51.100.23                  3 failures  users: root               sshd-failed-publickey=2 ...
 *   198.51.100.4                   3 failures  users: ftpuser,anonymous  vsftpd-fail-login=3
 *   192.0.2.44                     2 failures  users: backup             ...
 *   34 failures from 11 IPs in 41 lines (1 source)
 */
import { fileURLToPath } from 'node:url';
import { ExitCode, parseCliArgs, runCli, UsageError } from '@ops/core';
import { scan } from '@ops/log-scan';

const SAMPLE = fileURLToPath(new URL('./fixtures/auth.log', import.meta.url));

await runCli(async ({ argv, logger, signal, stdout }) => {
  const { values, positionals } = parseCliArgs(argv, { top: { type: 'string', default: '5' } } as const);
  const top = Number(values.top);
  if (!Number.isInteger(top) || top < 1) throw new UsageError(`Expected \`--top\` to be a positive integer, got "${values.top}"`);

  const result = await scan(positionals.length ? positionals : [SAMPLE], { logger, signal });

  const width = Math.max(0, ...result.ips.slice(0, top).map((r) => r.ip.length));
  for (const r of result.ips.slice(0, top)) {
    const kinds = Object.entries(r.kinds).map(([kind, n]) => `${kind}=${n}`).join(' ');
    stdout.write(`${r.ip.padEnd(width)}  ${String(r.count).padStart(4)} failures  users: ${(r.users.join(',') || '-').padEnd(18)} ${kinds}\n`);
  }
  const { matches, lines, sources } = result.stats;
  stdout.write(`${matches} failures from ${result.ips.length} IPs in ${lines} lines (${sources} source${sources === 1 ? '' : 's'})\n`);
  // A source that broke part-way (truncated gzip, S3 error) is reported, not fatal: exit 3 like the CLI.
  for (const e of result.errors) logger.error(e.message, { code: e.code, source: e.source });
  return result.errors.length ? ExitCode.ENVIRONMENT : ExitCode.OK;
}, { name: 'failed-ips' });
