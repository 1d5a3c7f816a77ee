import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '@ops/testkit';

// The command as users run it: the bin, which runs the bundled dist/cli.cjs.
const CLI = join(import.meta.dirname, '../bin/log-scan.js');
const LOG = [
  'Nov 19 10:00:01 web1 sshd[1]: Failed password for root from 203.0.113.7 port 1 ssh2',
  'Nov 19 10:00:02 web1 sshd[2]: Invalid user admin from 2001:db8::7 port 2',
  'Nov 19 10:00:03 web1 sshd[3]: Connection closed by authenticating user root 198.51.100.3 port 3 [preauth]',
  'Nov 19 10:00:04 web1 sshd[1]: Disconnecting: Too many authentication failures [preauth]',
  'Nov 19 10:00:05 web1 dovecot: imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<bob>, method=PLAIN, rip=192.0.2.8, lip=10.0.0.5',
].join('\n') + '\n';

const run = (args: string[]) => spawnSync('node', [CLI, '--format', 'json', ...args], { encoding: 'utf8' });
const kinds = (args: string[]) => {
  const r = run(args);
  expect(r.status).toBe(0);
  return Object.fromEntries((JSON.parse(r.stdout).ips as Array<{ ip: string; kinds: Record<string, number> }>).map((i) => [i.ip, i.kinds]));
};

describe('log-scan CLI: --kind, --exclude-kind, --suspicious', () => {
  const log = join(makeTempDir('log-scan-kinds-').path, 'auth.log');
  writeFileSync(log, LOG);

  test('by default: failures only (the address-less disconnect takes its session\'s address), no suspicious line', () => {
    expect(kinds([log])).toEqual({
      '203.0.113.7': { 'sshd-failed-password': 1, 'sshd-max-auth-attempts': 1 },
      '2001:db8::7': { 'sshd-invalid-user': 1 },
      '192.0.2.8': { 'dovecot-login-auth-failed': 1 },
    });
  });

  test('--suspicious adds the pre-auth disconnects', () => {
    expect(kinds(['--suspicious', log])['198.51.100.3']).toEqual({ 'sshd-preauth-disconnect': 1 });
  });

  test('--kind takes a comma list and repeats; a suspicious kind named is counted', () => {
    expect(Object.keys(kinds(['--kind', 'sshd-invalid-user,dovecot-login-auth-failed', log])).sort()).toEqual(['192.0.2.8', '2001:db8::7']);
    expect(kinds(['--kind', 'sshd-preauth-disconnect', '--kind', 'sshd-invalid-user', log])).toEqual({
      '2001:db8::7': { 'sshd-invalid-user': 1 },
      '198.51.100.3': { 'sshd-preauth-disconnect': 1 },
    });
  });

  test('--exclude-kind leaves kinds out (the scanner module and the JavaScript matchers alike)', () => {
    expect(kinds(['--exclude-kind', 'sshd-failed-password', '--exclude-kind', 'dovecot-login-auth-failed', log])).toEqual({
      '203.0.113.7': { 'sshd-max-auth-attempts': 1 },
      '2001:db8::7': { 'sshd-invalid-user': 1 },
    });
  });

  test.each([['--kind'], ['--exclude-kind']])('%s with an unknown kind: exit 2, the kind and the valid ones named', (flag) => {
    const r = run([flag, 'sshd-failed-password,ssh-typo', log]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`unknown kind "ssh-typo" in \`${flag}\``);
    expect(r.stderr).toContain('valid kinds: sshd-failed-password, sshd-failed-publickey');
  });
});
