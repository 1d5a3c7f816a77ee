import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { makeTempDir } from '@ops/testkit';
import { startDnsmasq, startNetns, type Dnsmasq, type Netns } from '@ops/testkit/netns';
import { startSshd, type Sshd } from '@ops/testkit/sshd';

const run = promisify(execFile);
const CLI = join(process.cwd(), 'packages/ssh-probe/dist/cli.js');

// A namespace of its own: dnsmasq answers for lab.test on its 127.0.0.1:53, resolv.conf says
// `search lab.test`, and an sshd listens on its loopback. Short names must resolve as ssh resolves them.
let netns: Netns;
let dns: Dnsmasq;
let server: Sshd;
let dir: string;

beforeAll(async () => {
  netns = await startNetns({ resolvConf: 'nameserver 127.0.0.1\nsearch lab.test\noptions ndots:1 timeout:1 attempts:1\n', hosts: '127.0.0.1 localhost\n' });
  dns = await startDnsmasq(netns, { 'web1.lab.test': '127.0.0.1' });
  server = await startSshd({ netns });
  dir = makeTempDir('ssh-probe-resolve-').path;
});
afterAll(async () => {
  await server?.stop();
  await dns?.stop();
  await netns?.stop();
});

async function inNetns(command: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(netns.exec[0], [...netns.exec.slice(1), command, ...args], { env: { PATH: process.env.PATH, HOME: dir } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

test('a short name resolves through resolv.conf `search` and connects, as ssh does', async () => {
  const knownHosts = join(dir, 'known_hosts');
  const ssh = await inNetns('ssh', ['-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=accept-new', '-o', `UserKnownHostsFile=${knownHosts}`, '-i', server.userKeyPath, '-p', String(server.port), `${server.user}@web1`, 'true']);
  expect(ssh).toMatchObject({ code: 0 });
  const probe = await inNetns('node', [CLI, `${server.user}@web1:${server.port}`, '-i', server.userKeyPath, '--known-hosts', knownHosts, '--format', 'json']);
  expect(JSON.parse(probe.stdout)).toEqual([expect.objectContaining({ host: 'web1', port: server.port, status: 'reachable' })]);
  expect(probe.code).toBe(0);
});

test('a name the resolver does not know is a dns failure at resolve', async () => {
  const probe = await inNetns('node', [CLI, `${server.user}@web2:${server.port}`, '-i', server.userKeyPath, '--known-hosts', join(dir, 'kh2'), '--format', 'json']);
  expect(probe.code).toBe(1);
  expect(JSON.parse(probe.stdout)).toEqual([expect.objectContaining({ host: 'web2', reason: 'dns', stage: 'resolve', error: expect.stringContaining('NXDOMAIN') })]);
});
