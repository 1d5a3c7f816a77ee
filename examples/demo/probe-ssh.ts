import { join } from 'node:path';
import { formatText, probeAllIndexed, type ProbeResult, type Target } from '@ops/ssh-probe';
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

export const probeSsh: DemoPart = {
  pkg: '@ops/ssh-probe',
  title: 'SSH reachability, and why a host is unreachable',
  async run({ out, say, signal }) {
    const sshd = await tryStartSshd(say);
    const silent: FailingEndpoint = await startSilentListener();
    const closed = await closedPort();
    const tmp = makeTempDir('ops-demo-ssh-');
    try {
      const targets: Target[] = [
        ...(sshd ? [{ host: sshd.host, port: sshd.port, user: sshd.user }] : []),
        { host: closed.host, port: closed.port, user: 'deploy' },
        { host: 'web1.example.invalid', port: 22, user: 'deploy' },
        { host: silent.host, port: silent.port, user: 'deploy' },
      ];
      if (sshd) say(`throwaway sshd on ${sshd.host}:${sshd.port} (generated host and user keys), then a closed port, a *.invalid name, a listener that never speaks:`);
      else say('a closed port, a *.invalid name, a listener that never speaks:');
      const results: ProbeResult[] = [];
      for await (const [index, result] of probeAllIndexed(targets, {
        check: sshd ? 'auth' : 'banner',
        timeout: '2s',
        identityFiles: sshd ? [sshd.userKeyPath] : [],
        agent: '',
        knownHosts: join(tmp.path, 'known_hosts'),
        strictHostKey: 'accept-new',
        signal,
      })) results[index] = result;
      out.write(indent(formatText(results)));
    } finally {
      await Promise.all([sshd?.stop(), silent.stop(), closed.stop()]);
      tmp.remove();
    }
  },
};
