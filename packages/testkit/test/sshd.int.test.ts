import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import net, { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startSshd, type Sshd } from '@ops/testkit/sshd';
import { closedPort, startBlackHole, startNonSshServer, startSilentListener } from '@ops/testkit/ssh-failures';

const run = promisify(execFile);

function ssh(server: Sshd, knownHosts: string, extra: string[] = []) {
  return run('ssh', ['-F', 'none', '-p', String(server.port), '-i', server.userKeyPath, '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes',
    '-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'StrictHostKeyChecking=yes', ...extra, `${server.user}@${server.host}`, 'echo', 'hello']);
}

/** What a raw TCP connection sees in `ms`: 'refused', 'timeout', or the first bytes. */
function firstWords(host: string, port: number, ms: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let data = '';
    const timer = setTimeout(() => { socket.destroy(); resolve(data || 'timeout'); }, ms);
    socket.on('data', (chunk) => { data += chunk.toString(); if (data.includes('\n')) { clearTimeout(timer); socket.destroy(); resolve(data); } });
    socket.on('error', (error: NodeJS.ErrnoException) => { clearTimeout(timer); resolve(error.code === 'ECONNREFUSED' ? 'refused' : String(error.code)); });
    socket.on('end', () => { clearTimeout(timer); resolve(data); });
  });
}

describe('startSshd', () => {
  let server: Sshd;
  beforeAll(async () => {
    server = await startSshd({ password: 'Pa55-testkit', passphrase: 'secret phrase' });
  });
  afterAll(() => server.stop());

  test('accepts the generated key with the host key from knownHostsLine()', async () => {
    const knownHosts = join(server.dir, 'known_hosts_test');
    writeFileSync(knownHosts, server.knownHostsLine() + '\n');
    const { stdout } = await ssh(server, knownHosts);
    expect(stdout.trim()).toBe('hello');
    expect(server.user).toMatch(/^opsprobe-[0-9a-f]{8}$/);
    expect(server.hostKeys.map((k) => k.split(' ')[0])).toEqual(['ssh-ed25519', 'ssh-rsa']);
  });

  test('a wrong host key in known_hosts is refused by the OpenSSH client', async () => {
    const other = server.hostKeys[0]!.replace(/.{8}$/, 'AAAAAAAA');
    const knownHosts = join(server.dir, 'known_hosts_wrong');
    writeFileSync(knownHosts, `[${server.host}]:${server.port} ${other}\n`);
    await expect(ssh(server, knownHosts, ['-o', 'HostKeyAlgorithms=ssh-ed25519'])).rejects.toThrow();
  });

  test('speaks SSH on its port', async () => {
    expect(await firstWords(server.host, server.port, 5000)).toMatch(/^SSH-2\.0-OpenSSH/);
  });
});

describe('failure endpoints', () => {
  test.each([
    ['closed port', closedPort, /^refused$/],
    ['silent listener', startSilentListener, /^timeout$/],
    ['non-SSH server', startNonSshServer, /^HTTP\/1\.1 400/],
  ])('%s', async (_name, start, expected) => {
    const endpoint = await start();
    try {
      expect(await firstWords(endpoint.host, endpoint.port, 500)).toMatch(expected);
    } finally {
      await endpoint.stop();
    }
  });

  test('black hole drops packets until stopped', async () => {
    const hole = await startBlackHole();
    const listener = await new Promise<net.Server>((resolve) => {
      const s = net.createServer((c) => c.end('up\n'));
      s.listen(0, hole.host, () => resolve(s));
    });
    const port = (listener.address() as { port: number }).port;
    try {
      expect(await firstWords(hole.host, port, 700)).toBe('timeout');
      const { stdout } = await run('iptables', ['-S', 'INPUT']);
      expect(stdout).toContain(hole.cidr);
    } finally {
      await hole.stop();
    }
    expect(await firstWords(hole.host, port, 2000)).toBe('up\n');
    const { stdout } = await run('iptables', ['-S', 'INPUT']);
    expect(stdout).not.toContain(hole.cidr);
    listener.close();
  });
});
