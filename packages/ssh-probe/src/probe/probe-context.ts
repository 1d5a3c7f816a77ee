import { ExitCode } from '@ops/core';
import type { ParsedKey } from 'ssh2';
import { SshProbeError } from '../errors.js';
import { loadKnownHosts } from '../known-hosts/known-hosts-store.js';
import { createHostResolver } from '../net/resolve-host.js';
import type { Target } from '../types.js';
import { hasCredentials, loadCredentials, loadKey } from './credentials.js';
import { createEndpointGate, type EndpointGate } from './endpoint-gate.js';
import { createJumpPool, type JumpPool } from './jump-pool.js';
import type { ResolvedProbeOptions } from './probe-options.js';
import type { SessionContext } from './session.js';
import type { HostResolver } from '../net/resolve-host.js';

/** Everything probes share: credentials, known_hosts, resolver, per-endpoint gates, jump connections. */
export interface ProbeContext {
  readonly options: ResolvedProbeOptions;
  readonly session: SessionContext;
  readonly resolver: HostResolver;
  readonly gate: EndpointGate;
  readonly jumps: JumpPool;
  /** Endpoints (gate keys) that completed a key exchange in this run: their refusals and silences are throttling. */
  readonly answered: Pick<Set<string>, 'has' | 'add'>;
  /** Keys named by a target (ssh config IdentityFile), parsed once each; unusable ones are skipped. */
  keysFor(target: Target): Promise<ParsedKey[]>;
  close(): void;
}

/**
 * Loads credentials and known_hosts once. With `check` auth or exec and nothing to authenticate
 * with (no key, agent, password, nor a target's IdentityFile), fails with SSH_PROBE_NO_CREDENTIALS (exit 3).
 */
export async function createProbeContext(options: ResolvedProbeOptions, targets: readonly Target[]): Promise<ProbeContext> {
  const credentials = await loadCredentials(options);
  const targetKeyFiles = targets.some((t) => t.identityFiles?.length);
  if ((options.check === 'auth' || options.check === 'exec') && !hasCredentials(credentials) && !targetKeyFiles) {
    throw new SshProbeError('SSH_PROBE_NO_CREDENTIALS', 'nothing to authenticate with: no identity file, no SSH agent and no password', {
      exitCode: ExitCode.ENVIRONMENT,
      hint: 'pass --identity FILE, start an agent (SSH_AUTH_SOCK), set --password-env VAR, or use --check banner',
    });
  }
  const knownHosts = await loadKnownHosts(options.knownHosts);
  const session: SessionContext = { credentials, knownHosts, strictHostKey: options.strictHostKey, command: options.command };
  const resolver = options.resolver ?? createHostResolver();
  const keyCache = new Map<string, Promise<ParsedKey | undefined>>();
  const keysFor = async (target: Target): Promise<ParsedKey[]> => {
    const keys = await Promise.all((target.identityFiles ?? []).map((path) => {
      let pending = keyCache.get(path);
      if (!pending) {
        pending = loadKey(path, options.passphrase, false);
        keyCache.set(path, pending);
      }
      return pending;
    }));
    return keys.filter((k): k is ParsedKey => k !== undefined);
  };
  const jumps = createJumpPool({ session, resolver, defaultUser: options.user, timeoutMs: options.timeoutMs, signal: options.signal, sshConfig: options.sshConfig, keysFor });
  return {
    options,
    session,
    resolver,
    gate: createEndpointGate(options.perHostConcurrency),
    jumps,
    answered: boundedSet(65_536),
    keysFor,
    close: () => {
      jumps.closeAll();
      if (knownHosts.added() > 0) options.onKnownHostsAdded?.({ count: knownHosts.added(), file: knownHosts.path });
    },
  };
}

/** A set that forgets its oldest entries past `max`. */
function boundedSet(max: number): Pick<Set<string>, 'has' | 'add'> {
  const set = new Set<string>();
  return {
    has: (key) => set.has(key),
    add(key) {
      if (set.size >= max && !set.has(key)) set.delete(set.values().next().value!);
      return set.add(key);
    },
  };
}
