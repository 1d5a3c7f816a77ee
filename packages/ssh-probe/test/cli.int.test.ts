import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { makeTempDir } from '@ops/testkit';
import { startSshd, type Sshd } from '@ops/testkit/sshd';
import { closedPort } from '@ops/testkit/ssh-failures';

const run = promisify(execFile);
const CLI = join(process.cwd(), 'packages/ssh-probe/dist/cli.js');
const PASSWORD = 'Cli-secret-pw-4242';

let server: Sshd;
let pwServer: Sshd;
let dir: string;
let home: string;
let closed: number;

beforeAll(async () => {
  [server, pwServer] = await Promise.all([startSshd(), startSshd({ password: PASSWORD })]);
  dir = makeTempDir('ssh-probe-cli-').path;
  home = makeTempDir('ssh-probe-home-').path;
  closed = (await closedPort()).port;
});
afterAll(() => Promise.all([server.stop(), pwServer.stop()]));

/** Runs the CLI with an empty HOME and no agent; resolves to exit code, stdout and stderr. */
async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, LOG_LEVEL: 'warn', ...env };
  try {
    const { stdout, stderr } = await run('node', [CLI, ...args], { env: childEnv });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const keyArgs = () => ['-i', server.userKeyPath, '--known-hosts', join(dir, 'known_hosts'), '--timeout', '10s'];

test('json: an array in inventory order with the contract fields; exit 1 when some are unreachable', async () => {
  const inventory = join(dir, 'hosts.txt');
  writeFileSync(inventory, [`# mixed`, `${server.user}@${server.host}:${closed}`, `${server.user}@${server.host}:${server.port}`, 'gone.invalid:22', `${server.user}@127.0.0.1:${server.port}`, ''].join('\n'));
  const { code, stdout } = await cli(['--inventory', inventory, '--format', 'json', ...keyArgs()]);
  expect(code).toBe(1);
  const results = JSON.parse(stdout) as Array<Record<string, unknown>>;
  expect(results.map((r) => [r.port, r.status, r.reason])).toEqual([[closed, 'unreachable', 'refused'], [server.port, 'reachable', undefined], [22, 'unreachable', 'dns'], [server.port, 'reachable', undefined]]);
  expect(Object.keys(results[0]!)).toEqual(['host', 'port', 'user', 'status', 'reason', 'stage', 'latencyMs', 'banner', 'hostKey', 'error']);
  expect(Object.keys(results[1]!)).toEqual(['host', 'port', 'user', 'status', 'latencyMs', 'banner', 'hostKey']);
});

test('jsonl, csv and text; exit 0 when all are reachable', async () => {
  const hosts = [`${server.user}@${server.host}:${server.port}`, `${server.user}@[127.0.0.1]:${server.port}`];
  const jsonl = await cli([...hosts, '--format', 'jsonl', ...keyArgs()]);
  expect(jsonl.code).toBe(0);
  expect(jsonl.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { status: string }).status)).toEqual(['reachable', 'reachable']);
  const csv = await cli([...hosts, '--format', 'csv', ...keyArgs()]);
  expect(csv.stdout.split('\n')[0]).toBe('host,port,user,status,reason,stage,latencyMs,banner,hostKey,error');
  expect(csv.stdout.trim().split('\n')).toHaveLength(3);
  const text = await cli([...hosts, `${server.host}:${closed}`, '--format', 'text', '--user', server.user, ...keyArgs()]);
  expect(text.code).toBe(1);
  expect(text.stdout).toContain('3 hosts: 2 reachable, 1 unreachable');
  expect(text.stdout).toContain('refused: 1');
});

test('ansible inventory from stdin, with --shard', async () => {
  const inventory = `[ssh]\nprimary ansible_host=${server.host} ansible_port=${server.port}\nsecondary ansible_host=${server.host} ansible_port=${closed}\n[all:vars]\nansible_user=${server.user}\n`;
  const child = execFile('node', [CLI, '--inventory', '-', '--shard', '1/2', '--format', 'json', ...keyArgs()], { env: { PATH: process.env.PATH, HOME: home } });
  child.stdin!.end(inventory);
  let stdout = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(code).toBe(0);
  expect((JSON.parse(stdout) as Array<{ host: string; status: string }>).map((r) => [r.host, r.status])).toEqual([['primary', 'reachable']]);
});

test('ssh config aliases with --ssh-config', async () => {
  const config = join(dir, 'ssh_config');
  writeFileSync(config, `Host box\n  HostName ${server.host}\n  Port ${server.port}\n  User ${server.user}\n  IdentityFile ${server.userKeyPath}\n`);
  const { code, stdout } = await cli(['--ssh-config', config, '--format', 'json', '--known-hosts', join(dir, 'known_hosts')]);
  expect(code).toBe(0);
  expect(JSON.parse(stdout)).toEqual([expect.objectContaining({ host: 'box', port: server.port, status: 'reachable' })]);
});

test('ProxyJump naming another Host alias of the ssh config', async () => {
  const config = join(dir, 'ssh_config_jump');
  writeFileSync(config, [
    'Host bastion', `  HostName ${server.host}`, `  Port ${server.port}`, '',
    'Host inner', `  HostName ${server.host}`, `  Port ${server.port}`, '  ProxyJump bastion', '',
    'Host *', `  User ${server.user}`, `  IdentityFile ${server.userKeyPath}`, '',
  ].join('\n'));
  const { code, stdout } = await cli(['inner', '--ssh-config', config, '--format', 'json', '--check', 'exec', '--known-hosts', join(dir, 'known_hosts')]);
  expect(JSON.parse(stdout)).toEqual([expect.objectContaining({ host: 'inner', status: 'reachable' })]);
  expect(code).toBe(0);
});

test('a password from --password-env never reaches the output or the logs', async () => {
  const target = `${pwServer.user}@${pwServer.host}:${pwServer.port}`;
  const { code, stdout, stderr } = await cli([target, '--password-env', 'PROBE_PW', '--format', 'json', '--known-hosts', join(dir, 'kh_pw'), '--log-level', 'debug'], { PROBE_PW: PASSWORD });
  expect(code).toBe(0);
  expect(JSON.parse(stdout)).toEqual([expect.objectContaining({ status: 'reachable' })]);
  expect(stdout + stderr).not.toContain(PASSWORD);
  const wrong = await cli([target, '--password-env', 'PROBE_PW', '--format', 'json', '--known-hosts', join(dir, 'kh_pw'), '--log-level', 'debug'], { PROBE_PW: 'Wrong-secret-9999' });
  expect(wrong.code).toBe(1);
  expect(wrong.stdout + wrong.stderr).not.toContain('Wrong-secret-9999');
});

test.each([
  [['--check', 'ping', 'h'], 2, /--check|`check`/],
  [['--format', 'xml', 'h'], 2, /--format/],
  [['h:99999'], 2, /1-65535/],
  [[], 2, /no targets/],
  [['--shard', '3/2', 'h'], 2, /--shard/],
  [['-i', '/nonexistent/key', 'h'], 2, /cannot read identity file/],
  [['h'], 3, /SSH_PROBE_NO_CREDENTIALS/],
])('%j exits %d', async (args, expected, message) => {
  const { code, stderr } = await cli(args);
  expect(code).toBe(expected);
  expect(stderr).toMatch(message);
});

test('--help prints the usage and exits 0', async () => {
  const { code, stdout } = await cli(['--help']);
  expect(code).toBe(0);
  expect(stdout).toContain('--strict-host-key');
  expect(stdout).toContain('--log-level');
});

describe('inventories read as their tools read them', () => {
  test('ssh config Match blocks give the port ssh -G gives; Match exec is not run and is reported', async () => {
    const config = join(dir, 'ssh_config_match');
    const marker = join(dir, 'exec-ran');
    writeFileSync(config, [
      'Host box', `  HostName ${server.host}`, '',
      `Match exec "touch ${marker} && false"`, '  Port 1', '',
      `Match host ${server.host} user ${server.user}`, `  Port ${server.port}`, '',
      'Host *', '  Port 2', `  User ${server.user}`, `  IdentityFile ${server.userKeyPath}`, '',
    ].join('\n'));
    const { code, stdout, stderr } = await cli(['box', '-F', config, '--format', 'json', '--known-hosts', join(dir, 'known_hosts')]);
    expect(JSON.parse(stdout)).toEqual([expect.objectContaining({ host: 'box', port: server.port, status: 'reachable' })]);
    expect(code).toBe(0);
    expect(stderr).toContain('Match exec is taken as not matching');
    expect(existsSync(marker)).toBe(false);
    // ssh itself runs the command (which does not match either) and lands on the same port
    const { stdout: g } = await run('ssh', ['-G', '-F', config, 'box'], { env: { PATH: process.env.PATH, HOME: home } });
    expect(g).toContain(`\nport ${server.port}\n`);
    expect(existsSync(marker)).toBe(true);
  });

  test('~/.ssh/config is read by default, as ssh reads it; -F none reads none', async () => {
    const userHome = makeTempDir('ssh-probe-home-cfg-').path;
    mkdirSync(join(userHome, '.ssh'));
    writeFileSync(join(userHome, '.ssh', 'config'), `Host alias.invalid\n  HostName ${server.host}\n  Port ${server.port}\n  User ${server.user}\n  IdentityFile ${server.userKeyPath}\n`);
    const args = ['alias.invalid', '--format', 'json', '--known-hosts', join(dir, 'known_hosts')];
    const byDefault = await cli(args, { HOME: userHome });
    expect(JSON.parse(byDefault.stdout)).toEqual([expect.objectContaining({ host: 'alias.invalid', port: server.port, status: 'reachable' })]);
    const none = await cli([...args, '-F', 'none', '-i', server.userKeyPath], { HOME: userHome });
    expect(JSON.parse(none.stdout)).toEqual([expect.objectContaining({ host: 'alias.invalid', port: 22, reason: 'dns' })]);
  });

  test('Ansible: shell-quoted vars, ansible_connection=local skipped and reported, duplicates probed once and reported per entry', async () => {
    const inventory = join(dir, 'inventory.ini');
    writeFileSync(inventory, [
      '[ssh]',
      `primary ansible_host=${server.host} ansible_port=${server.port} note="two words"`,
      `again ansible_host=${server.host} ansible_port=${server.port} note='also quoted'`,
      '[ctl]', 'localhost ansible_connection=local',
      '[all:vars]', `ansible_user=${server.user}`, '',
    ].join('\n'));
    const { code, stdout, stderr } = await cli(['--inventory', inventory, '--format', 'json', ...keyArgs()]);
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as Array<{ host: string; status: string }>).map((r) => [r.host, r.status])).toEqual([['primary', 'reachable'], ['again', 'reachable']]);
    expect(stderr).toContain('skipped localhost: ansible_connection=local');
    const t = `${server.user}@${server.host}:${server.port}`;
    const repeated = await cli([t, t, '--format', 'json', ...keyArgs()]);
    expect((JSON.parse(repeated.stdout) as Array<{ status: string }>).map((r) => r.status)).toEqual(['reachable', 'reachable']);
    expect(repeated.stderr).toContain('1 duplicate inventory entry probed once and reported for each entry');
    const text = await cli(['--inventory', inventory, '--format', 'text', ...keyArgs()]);
    expect(text.stdout).toContain('skipped (not probed): 1 (ansible_connection=local (not reached over SSH))');
  });
});

describe('views and known_hosts', () => {
  const mixed = () => [`${server.user}@${server.host}:${server.port}`, `${server.user}@${server.host}:${closed}`, 'gone.invalid:22'];

  test('--only-failed keeps unreachable hosts in text, csv and json; the summary still counts all', async () => {
    const json = await cli([...mixed(), '--only-failed', '--format', 'json', ...keyArgs()]);
    expect(json.code).toBe(1);
    expect((JSON.parse(json.stdout) as Array<{ reason: string }>).map((r) => r.reason)).toEqual(['refused', 'dns']);
    const csv = await cli([...mixed(), '--only-failed', '--format', 'csv', ...keyArgs()]);
    expect(csv.stdout.trim().split('\n')).toHaveLength(3);
    const text = await cli([...mixed(), '--only-failed', '--format', 'text', ...keyArgs()]);
    expect(text.stdout).not.toMatch(/ reachable {2}/);
    expect(text.stdout).toContain('3 hosts: 1 reachable, 2 unreachable');
  });

  test('--summary: counts by reason only', async () => {
    const json = await cli([...mixed(), '--summary', '--format', 'json', ...keyArgs()]);
    expect(JSON.parse(json.stdout)).toEqual({ hosts: 3, reachable: 1, unreachable: 2, byReason: { dns: 1, refused: 1 } });
    const text = await cli([...mixed(), '--summary', ...keyArgs()]);
    expect(text.stdout).toBe('3 hosts: 1 reachable, 2 unreachable\nunreachable by reason:\n  dns: 1\n  refused: 1\n');
  });

  test('new host keys are announced once on stderr; a changed key names ssh-keygen -R with -f for a custom file', async () => {
    const knownHosts = join(makeTempDir('ssh-probe-kh-').path, 'known_hosts');
    const hosts = [`${server.user}@${server.host}:${server.port}`, `${server.user}@localhost:${server.port}`];
    const first = await cli([...hosts, '-i', server.userKeyPath, '--known-hosts', knownHosts]);
    expect(first.code).toBe(0);
    expect(first.stderr.match(/added \d+ host keys? to/g)).toEqual(['added 2 host keys to']);
    expect(first.stderr).toContain(`added 2 host keys to ${knownHosts}`);
    const again = await cli([...hosts, '-i', server.userKeyPath, '--known-hosts', knownHosts]);
    expect(again.stderr).not.toContain('added');
    writeFileSync(knownHosts, `[${server.host}]:${server.port} ${pwServer.hostKeys[0]}\n`);
    const changed = await cli([hosts[0]!, '-i', server.userKeyPath, '--known-hosts', knownHosts, '--format', 'json']);
    expect(JSON.parse(changed.stdout)).toEqual([expect.objectContaining({ reason: 'host-key', error: expect.stringContaining(`ssh-keygen -R "[${server.host}]:${server.port}" -f "${knownHosts}"`) })]);
  });
});
