import { join } from 'node:path';
import { formatText, probeAllIndexed, type ProbeAllOptions, type ProbeResult, type Target } from '@ops/ssh-probe';
import { makeTempDir, which } from '@ops/testkit';
import { closedPort, startSilentListener, type FailingEndpoint } from '@ops/testkit/ssh-failures';
import { startSshd, type Sshd } from '@ops/testkit/sshd';
import { indent, mayStartDaemons, withDeadline, type DemoContext, type DemoPart } from './ui.js';

/** A throwaway sshd when this machine can run one (root, openssh-server installed), else undefined. */
async function tryStartSshd(say: DemoContext['say']): Promise<Sshd | undefined> {
  if (!mayStartDaemons() || !which('sshd') || !which('ssh-keygen')) {
    say('no throwaway sshd here (it needs root, openssh-server and DEMO_DAEMONS unset): probing local unreachable targets only');
    return undefined;
  }
  try {
    return await withDeadline('sshd', 20_000, startSshd());
  } catch (error) {
    say(`the throwaway sshd did not start (${(error as Error).message.split('\n')[0]}): probing local unreachable targets only`);
    return undefined;
  }
}

/** Every result of `probeAllIndexed`, in the order of `targets`. */
async function collect(targets: readonly Target[], options: ProbeAllOptions): Promise<ProbeResult[]> {
  const results: ProbeResult[] = [];
  for await (const [index, result] of probeAllIndexed(targets, options)) results[index] = result;
  return results;
}

export const probeSsh: DemoPart = {
  pkg: '@ops/ssh-probe',
  title: 'SSH reachability, and why a host is unreachable',
  async run({ out, say, signal }) {
    const sshd = await tryStartSshd(say);
    const silent: FailingEndpoint = await startSilentListener();
    const closed = await closedPort();
    const tmp = makeTempDir('ops-demo-ssh-');
    try {
      const failing: Target[] = [
        { host: closed.host, port: closed.port, user: 'deploy' },
        { host: 'web1.example.invalid', port: 22, user: 'deploy' },
        { host: silent.host, port: silent.port, user: 'deploy' },
      ];
      if (sshd) say(`throwaway sshd on ${sshd.host}:${sshd.port} (generated host and user keys), then a closed port, a *.invalid name, a listener that never speaks:`);
      else say('a closed port, a *.invalid name, a listener that never speaks:');
      const options = { agent: '', knownHosts: join(tmp.path, 'known_hosts'), strictHostKey: 'accept-new', signal } as const;
      // Both sets at once: the real server with a roomy timeout (a loaded machine is slow to
      // authenticate), the failing targets with a short one (the silent listener waits it out).
      const [reachable, unreachable] = await Promise.all([
        sshd ? collect([{ host: sshd.host, port: sshd.port, user: sshd.user }], { ...options, check: 'auth', timeout: '15s', identityFiles: [sshd.userKeyPath] }) : [],
        collect(failing, { ...options, check: 'banner', timeout: '2s' }),
      ]);
      out.write(indent(formatText([...reachable, ...unreachable])));
    } finally {
      await Promise.all([sshd?.stop(), silent.stop(), closed.stop()]);
      tmp.remove();
    }
  },
};
