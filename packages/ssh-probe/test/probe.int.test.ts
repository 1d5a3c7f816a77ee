import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { hashHostName, probe, probeAll, type ProbeAllOptions, type ProbeResult, type Target } from '@ops/ssh-probe';
import { makeTempDir, onCleanup, waitFor } from '@ops/testkit';
import { startSshd, type Sshd } from '@ops/testkit/sshd';
import { closedPort, startBlackHole, startHttpServer, startNonSshServer, startSilentListener } from '@ops/testkit/ssh-failures';

const run = promisify(execFile);
const PASSWORD = 'Opsprobe-pw-5150';

let server: Sshd;
let bastion: Sshd;
let dir: string;

beforeAll(async () => {
  [server, bastion] = await Promise.all([startSshd({ passphrase: 'correct horse' }), startSshd()]);
  // the bastion accepts the target's user key too, so one credential set opens the whole chain
  writeFileSync(join(bastion.dir, 'authorized_keys'), `${bastion.userPublicKey}\n${server.userPublicKey}\n`);
  dir = makeTempDir('ssh-probe-int-').path;
});
afterAll(async () => {
  await Promise.all([server.stop(), bastion.stop()]);
});

let counter = 0;
/** Options with a fresh known_hosts file, the server's key, no agent and a short timeout. */
function opts(extra: ProbeAllOptions = {}): ProbeAllOptions {
  return { identityFiles: [server.userKeyPath], knownHosts: join(dir, `known_hosts_${++counter}`), agent: '', timeout: '10s', ...extra };
}
const target = (s: Sshd = server, user = s.user): Target => ({ host: s.host, port: s.port, user });
/** `n` distinct inventory entries (aliases) of one server: repeated entries would be probed once. */
const aliases = (n: number, s: Sshd = server): Target[] => Array.from({ length: n }, (_, i) => ({ host: `alias-${i}`, hostName: s.host, port: s.port, user: s.user }));

describe('reachable', () => {
  test('with a key: banner, host key and latency are reported', async () => {
    const r = await probe(target(), opts());
    expect(r).toEqual({
      host: server.host, port: server.port, user: server.user, status: 'reachable',
      latencyMs: expect.any(Number), banner: expect.stringMatching(/^SSH-2\.0-OpenSSH_/), hostKey: expect.stringMatching(/^ssh-ed25519 SHA256:/),
    });
  });

  test('with an encrypted key and its passphrase', async () => {
    const r = await probe(target(), opts({ identityFiles: [server.encryptedKeyPath!], passphrase: 'correct horse' }));
    expect(r.status).toBe('reachable');
  });

  test('with --check exec running a command', async () => {
    expect((await probe(target(), opts({ check: 'exec', command: 'test -d /' }))).status).toBe('reachable');
    const failed = await probe(target(), opts({ check: 'exec', command: 'exit 7' }));
    expect(failed).toMatchObject({ status: 'unreachable', reason: 'command', stage: 'exec', error: expect.stringContaining('exited with 7') });
  });

  test('with the key in a real ssh-agent', async () => {
    const sock = join(dir, 'agent.sock');
    const agent: ChildProcess = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    onCleanup(() => agent.kill());
    try {
      await waitFor('ssh-agent socket', () => run('ssh-add', ['-l'], { env: { ...process.env, SSH_AUTH_SOCK: sock } }).then(() => true, (e: { code?: number }) => e.code === 1));
      await run('ssh-add', [server.userKeyPath], { env: { ...process.env, SSH_AUTH_SOCK: sock } });
      const r = await probe(target(), opts({ identityFiles: [bastion.userKeyPath], agent: sock }));
      expect(r.status).toBe('reachable');
      const withoutAgent = await probe(target(), opts({ identityFiles: [bastion.userKeyPath] }));
      expect(withoutAgent).toMatchObject({ status: 'unreachable', reason: 'auth', stage: 'auth' });
    } finally {
      agent.kill();
    }
  });

  test('a stale SSH_AUTH_SOCK does not stop the keys from being tried', async () => {
    const r = await probe(target(), opts({ agent: join(dir, 'no-agent-here.sock') }));
    expect(r.status).toBe('reachable');
  });

  test('with a password', async () => {
    const pw = await startSshd({ password: PASSWORD });
    try {
      const r = await probe(target(pw), opts({ identityFiles: [bastion.userKeyPath], password: PASSWORD }));
      expect(r).toMatchObject({ status: 'reachable', user: pw.user });
      const wrong = await probe(target(pw), opts({ identityFiles: [bastion.userKeyPath], password: 'not-the-password' }));
      expect(wrong).toMatchObject({ status: 'unreachable', reason: 'auth' });
      expect(JSON.stringify(wrong)).not.toContain('not-the-password');
    } finally {
      await pw.stop();
    }
  });

  test('over IPv6 ([::1]:port)', async () => {
    const v6 = await startSshd({ ipv6: true });
    try {
      const r = await probe({ host: '::1', port: v6.port, user: v6.user }, opts({ identityFiles: [v6.userKeyPath] }));
      expect(r).toMatchObject({ host: '::1', status: 'reachable' });
    } finally {
      await v6.stop();
    }
  });
});

describe('unreachable, with the reason', () => {
  test('wrong user: auth', async () => {
    const r = await probe(target(server, 'nosuchuser'), opts());
    expect(r).toMatchObject({ status: 'unreachable', reason: 'auth', stage: 'auth', banner: expect.stringMatching(/^SSH-2\.0/) });
  });

  test('wrong host key: host-key at kex, and known_hosts is left alone', async () => {
    const knownHosts = join(dir, 'known_hosts_wrong');
    const stranger = bastion.hostKeys[0]!;
    writeFileSync(knownHosts, `[${server.host}]:${server.port} ${stranger}\n`);
    const r = await probe(target(), opts({ knownHosts }));
    expect(r).toMatchObject({ status: 'unreachable', reason: 'host-key', stage: 'kex', error: expect.stringContaining('changed') });
    expect(readFileSync(knownHosts, 'utf8')).toBe(`[${server.host}]:${server.port} ${stranger}\n`);
  });

  test('accept-new records a new key; strict yes then accepts it and refuses unknown hosts', async () => {
    const knownHosts = join(dir, 'known_hosts_new');
    expect((await probe(target(), opts({ knownHosts, strictHostKey: 'yes' })))).toMatchObject({ reason: 'host-key' });
    expect((await probe(target(), opts({ knownHosts }))).status).toBe('reachable');
    expect(readFileSync(knownHosts, 'utf8')).toMatch(new RegExp(`^\\[127\\.0\\.0\\.1\\]:${server.port} ssh-ed25519 AAAA`));
    expect((await probe(target(), opts({ knownHosts, strictHostKey: 'yes' }))).status).toBe('reachable');
  });

  test('a hashed known_hosts entry ([host]:port) is understood', async () => {
    const knownHosts = join(dir, 'known_hosts_hashed');
    const [type, key] = server.hostKeys[1]!.split(' ');
    writeFileSync(knownHosts, `${hashHostName(`[${server.host}]:${server.port}`)} ${type} ${key}\n`);
    const r = await probe(target(), opts({ knownHosts, strictHostKey: 'yes' }));
    expect(r).toMatchObject({ status: 'reachable', hostKey: expect.stringMatching(/^ssh-rsa /) });
  });

  test('closed port: refused at connect', async () => {
    const c = await closedPort();
    expect(await probe({ host: c.host, port: c.port }, opts())).toMatchObject({ status: 'unreachable', reason: 'refused', stage: 'connect', banner: null, hostKey: null });
  });

  test('a listener that never speaks: timeout at banner', async () => {
    const l = await startSilentListener();
    try {
      expect(await probe({ host: l.host, port: l.port }, opts({ timeout: '1s' }))).toMatchObject({ reason: 'timeout', stage: 'banner' });
    } finally {
      await l.stop();
    }
  });

  test('a server that is not SSH: protocol at banner', async () => {
    const n = await startNonSshServer();
    try {
      expect(await probe({ host: n.host, port: n.port }, opts())).toMatchObject({ reason: 'protocol', stage: 'banner', error: expect.stringContaining('not an SSH server') });
    } finally {
      await n.stop();
    }
  });

  test('an HTTP server that waits for the client to speak: protocol at banner, not a banner timeout', async () => {
    const http = await startHttpServer();
    try {
      // the probe's timeout is far beyond the test's: only an answer provoked by our identification ends it in time
      const r = await probe({ host: http.host, port: http.port }, opts({ timeout: '120s', check: 'banner' }));
      expect(r).toMatchObject({ status: 'unreachable', reason: 'protocol', stage: 'banner', error: `${http.host}:${http.port} is not an SSH server (saw "HTTP/1.1 400 Bad Request")` });
    } finally {
      await http.stop();
    }
  }, 30_000);

  test('the identification line is sent once (a second one would break the key exchange)', async () => {
    const r = await probe(target(), opts({ check: 'exec' }));
    expect(r.status).toBe('reachable');
    expect(server.output()).not.toMatch(/Bad protocol version|invalid format|banner exchange/i);
  });

  test('an iptables DROP black hole: timeout at connect', async () => {
    const hole = await startBlackHole();
    try {
      const r = await probe({ host: hole.host, port: hole.port }, opts({ timeout: '1s' }));
      expect(r).toMatchObject({ status: 'unreachable', reason: 'timeout', stage: 'connect' });
    } finally {
      await hole.stop();
    }
  });

  test('ICMP host-unreachable (iptables REJECT): unreachable at connect', async () => {
    const hole = await startBlackHole({ hostUnreachable: true });
    try {
      expect(await probe({ host: hole.host, port: hole.port }, opts())).toMatchObject({ status: 'unreachable', reason: 'unreachable', stage: 'connect' });
    } finally {
      await hole.stop();
    }
  });

  test('*.invalid names: dns at resolve', async () => {
    expect(await probe({ host: 'no-such-host.invalid' }, opts())).toMatchObject({ reason: 'dns', stage: 'resolve' });
  });
});

describe('jump hosts', () => {
  const jumpSpec = () => `${bastion.user}@${bastion.host}:${bastion.port}`;
  const kh = () => join(dir, 'known_hosts_jump');

  test('through a second sshd, and through a chain of two hops', async () => {
    expect(await probe(target(), opts({ knownHosts: kh(), jump: jumpSpec() }))).toMatchObject({ status: 'reachable', banner: expect.stringMatching(/^SSH-2\.0/) });
    const chained = await probe({ ...target(), proxyJump: `${jumpSpec()},${jumpSpec()}` }, opts({ knownHosts: kh(), check: 'exec' }));
    expect(chained.status).toBe('reachable');
  });

  test('a closed port behind the jump host is refused; a dead jump host is named', async () => {
    const c = await closedPort();
    const behind = await probe({ host: c.host, port: c.port }, opts({ knownHosts: kh(), jump: jumpSpec() }));
    expect(behind).toMatchObject({ reason: 'refused', stage: 'connect' });
    const dead = await probe(target(), opts({ jump: `root@${c.host}:${c.port}` }));
    expect(dead).toMatchObject({ reason: 'refused', stage: 'connect', error: expect.stringContaining('jump host') });
  });

  test('behind the jump host, --timeout bounds each stage as for a direct probe: a dropped target, a silent one', async () => {
    const hole = await startBlackHole();
    const silent = await startSilentListener();
    try {
      // without the bound the jump host's connect waits for its kernel's SYN retries (about two minutes)
      const dropped = await probe({ host: hole.host, port: hole.port }, opts({ knownHosts: kh(), jump: jumpSpec(), timeout: '2s' }));
      expect(dropped).toMatchObject({ status: 'unreachable', reason: 'timeout', stage: 'connect', error: expect.stringContaining('through jump host') });
      const mute = await probe({ host: silent.host, port: silent.port }, opts({ knownHosts: kh(), jump: jumpSpec(), timeout: '2s' }));
      expect(mute).toMatchObject({ status: 'unreachable', reason: 'timeout', stage: 'banner' });
    } finally {
      await Promise.all([hole.stop(), silent.stop()]);
    }
  }, 30_000);

  test('a dropped jump host: timeout at connect, naming the jump host', async () => {
    const hole = await startBlackHole();
    try {
      const r = await probe(target(), opts({ jump: `root@${hole.host}:22`, timeout: '2s' }));
      expect(r).toMatchObject({ status: 'unreachable', reason: 'timeout', stage: 'connect', error: expect.stringContaining('jump host') });
    } finally {
      await hole.stop();
    }
  }, 30_000);

  test('many targets share one jump connection', async () => {
    const targets = aliases(20);
    const results: ProbeResult[] = [];
    for await (const r of probeAll(targets, opts({ knownHosts: kh(), jump: jumpSpec(), concurrency: 20 }))) results.push(r);
    expect(results.filter((r) => r.status === 'reachable')).toHaveLength(20);
  });
});

describe('bounded resources', () => {
  test('400 targets never hold more than `concurrency` connections at once', async () => {
    let open = 0;
    let most = 0;
    let total = 0;
    const server = net.createServer((socket) => {
      total++;
      most = Math.max(most, ++open);
      socket.on('close', () => open--);
      socket.on('error', () => undefined);
      socket.resume();
      socket.write('SSH-2.0-Silent_after_banner\r\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const targets = Array.from({ length: 400 }, (_, i) => ({ host: `alias-${i}`, hostName: '127.0.0.1', port }));
      let timeouts = 0;
      for await (const r of probeAll(targets, opts({ check: 'banner', timeout: '1s', concurrency: 50, perHostConcurrency: Infinity }))) {
        if (r.reason === 'timeout') timeouts++;
      }
      expect(timeouts).toBe(400);
      expect(total).toBeLessThanOrEqual(400);
      // the server notices a close a moment after the client made it: allow that much slack
      expect(most).toBeLessThanOrEqual(50 + 10);
      expect(most).toBeGreaterThan(25);
    } finally {
      server.close();
    }
  }, 60_000);
});

describe('sshd MaxStartups (default 10:30:100)', () => {
  test('300 probes at concurrency 100 are all reachable', async () => {
    const targets = aliases(300);
    const results: ProbeResult[] = [];
    for await (const r of probeAll(targets, opts({ concurrency: 100, timeout: '20s' }))) results.push(r);
    expect(results).toHaveLength(300);
    expect(results.filter((r) => r.status !== 'reachable')).toEqual([]);
  }, 120_000);

  test('without the per-host gate, throttled connections are retried with backoff until they get in (default retry budget)', async () => {
    const targets = aliases(100);
    const results: ProbeResult[] = [];
    let retries = 0;
    const options = opts({ concurrency: 100, perHostConcurrency: Infinity, timeout: '20s', onRetry: () => retries++ });
    for await (const r of probeAll(targets, options)) results.push(r);
    expect(retries).toBeGreaterThan(0);
    expect(results.filter((r) => r.status !== 'reachable')).toEqual([]);
  }, 120_000);

  test('without retries, the same load makes healthy hosts look unreachable (what the retry is for)', async () => {
    const targets = aliases(100);
    const results: ProbeResult[] = [];
    for await (const r of probeAll(targets, opts({ concurrency: 100, perHostConcurrency: Infinity, retries: 0, throttleRetries: 0, timeout: '20s' }))) results.push(r);
    const throttled = results.filter((r) => r.status === 'unreachable');
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled[0]).toMatchObject({ reason: 'throttled', stage: 'banner', error: expect.stringContaining('MaxStartups') });
  }, 120_000);
  test('a server whose every slot is taken (MaxStartups 1, held by a silent client): throttled after the bounded retries, reachable once the slot frees', async () => {
    const busy = await startSshd({ maxStartups: '1' });
    try {
      // a silent client that got sshd's banner holds its one unauthenticated slot; while the
      // readiness check's connection still holds it, the holder is turned away itself: try again
      let holder: net.Socket | undefined;
      while (!holder) {
        const socket = net.connect(busy.port, busy.host);
        socket.on('error', () => undefined);
        const first = await new Promise<string>((resolve) => {
          socket.once('data', (d: Buffer) => resolve(d.toString('latin1')));
          socket.once('close', () => resolve(''));
        });
        if (first.startsWith('SSH-')) holder = socket;
        else socket.destroy();
      }
      let retried = 0;
      const options = opts({ identityFiles: [busy.userKeyPath], throttleRetries: 2, retryMinDelay: '10ms', retryMaxDelay: '50ms', onRetry: () => retried++ });
      const turnedAway = await probe(target(busy), options);
      holder.destroy();
      expect(turnedAway).toMatchObject({ status: 'unreachable', reason: 'throttled', stage: 'banner', error: expect.stringMatching(/MaxStartups.*\(3 attempts\)$/) });
      expect(retried).toBe(2);
      // a timeout budget of 0 does not stop the throttle retries: the slot frees as sshd notices the close
      expect(await probe(target(busy), opts({ identityFiles: [busy.userKeyPath], retries: 0 }))).toMatchObject({ status: 'reachable' });
    } finally {
      await busy.stop();
    }
  }, 120_000);
});
