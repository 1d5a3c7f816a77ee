import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { formatBytes, parseSize, renderTable } from '@ops/core';
import { scan } from '@ops/log-scan';
import { makeTempDir } from '@ops/testkit';
import { generateLargeLog } from './generate-log.js';
import { indent, type DemoPart } from './ui.js';

/** Size of the generated log: DEMO_LOG_SIZE (e.g. 64MiB), else 256 MiB. */
const LARGE_LOG_BYTES = parseSize(process.env.DEMO_LOG_SIZE ?? '256MiB', 'DEMO_LOG_SIZE');

/** The `log-scan` CLI of the workspace package (its `bin`, built by `pnpm build`). */
function logScanCli(): string {
  const manifest = createRequire(import.meta.url).resolve('@ops/log-scan/package.json');
  const bin = (JSON.parse(readFileSync(manifest, 'utf8')) as { bin: Record<string, string> }).bin['log-scan']!;
  return join(dirname(manifest), bin);
}

export const scanLogs: DemoPart = {
  pkg: '@ops/log-scan',
  title: 'IPs that failed to log in, from a sample and a large generated log',
  async run({ out, say, fixture, signal }) {
    const sample = fixture('auth.log');
    say(`scan() of the bundled sample ${sample}:`);
    const result = await scan([sample], { signal });
    const rows = result.ips.slice(0, 5).map((r) => [r.ip, r.count, r.users.join(',') || '-', Object.keys(r.kinds).join(' ')]);
    out.write(indent(renderTable(['IP', 'FAILURES', 'USERS', 'KINDS'], rows, { alignRight: [1] })));
    say(`${result.stats.matches} failures from ${result.ips.length} IPs (IPv4 and IPv6) in ${result.stats.lines} lines of sshd, pam_unix, vsftpd, dovecot and postfix`);

    const tmp = makeTempDir('ops-demo-log-');
    try {
      const big = join(tmp.path, 'auth.log');
      const started = performance.now();
      const bytes = await generateLargeLog(big, LARGE_LOG_BYTES, signal);
      say(`generated ${formatBytes(bytes)} of auth.log in ${((performance.now() - started) / 1000).toFixed(1)}s: ${big}`);
      say('log-scan --progress --top 5 (the CLI; large files are split over worker threads):');
      const child = spawn(process.execPath, [logScanCli(), '--progress', '--top', '5', '--format', 'text', big], { stdio: ['ignore', 'pipe', 'inherit'], signal });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
      const [code] = (await once(child, 'close')) as [number | null];
      if (code !== 0) throw new Error(`log-scan exited with code ${code}`);
      out.write(indent(text));
    } finally {
      tmp.remove();
    }
  },
};
