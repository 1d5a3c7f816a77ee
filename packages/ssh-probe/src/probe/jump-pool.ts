import type { Client, ParsedKey } from 'ssh2';
import { AbortError } from '@ops/core';
import { ProbeFailure } from '../errors.js';
import { formatTarget, parseTargetSpec } from '../inventory/parse-target.js';
import { applySshConfig, type SshConfig } from '../inventory/ssh-config.js';
import type { Target } from '../types.js';
import type { HostResolver } from '../net/resolve-host.js';
import { startDeadline } from '../util/deadline.js';
import { runSession, type AttemptState, type SessionContext } from './session.js';

/** Jump host connections shared by every target behind them (one SSH connection per chain prefix). */
export interface JumpPool {
  /** The authenticated connection to the last hop of `chain` (`a,b,c`), opened on first use. */
  connect(chain: string): Promise<Client>;
  closeAll(): void;
}

export interface JumpPoolOptions {
  readonly session: SessionContext;
  readonly resolver: HostResolver;
  readonly defaultUser: string;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
  /** Applied to each hop, so `ProxyJump bastion` finds the `Host bastion` block. */
  readonly sshConfig: SshConfig | undefined;
  readonly keysFor: (target: Target) => Promise<ParsedKey[]>;
}

/** Hop failures are shared by the targets behind the hop: the message names the jump host. */
export function createJumpPool(o: JumpPoolOptions): JumpPool {
  const hops = new Map<string, Promise<Client>>();
  const open = new Set<Client>();

  const openHop = async (spec: string, via: Client | undefined): Promise<Client> => {
    const spec0 = parseTargetSpec(spec);
    const t = o.sshConfig ? applySshConfig(spec0, o.sshConfig) : spec0;
    const name = t.hostName ?? t.host;
    const port = t.port ?? 22;
    const user = t.user ?? o.defaultUser;
    const hostPort = formatTarget(name, port, user);
    const state: AttemptState = { stage: 'resolve', banner: null, hostKey: undefined };
    const deadline = startDeadline(o.timeoutMs, o.signal);
    const signal = deadline.signal;
    try {
      let address = name;
      if (!via) {
        try {
          address = await o.resolver.resolve(name, signal);
        } catch (error) {
          if (signal.aborted) throw error;
          throw new ProbeFailure('dns', 'resolve', `cannot resolve ${name}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
        }
      }
      const client = await runSession(o.session, { host: name, address, port, user, extraKeys: await o.keysFor(t) }, via, 'auth', true, signal, state);
      return client!;
    } catch (error) {
      if (o.signal?.aborted) throw new AbortError(`jump host ${hostPort}`, o.signal.reason);
      if (error instanceof ProbeFailure) throw new ProbeFailure(error.reason, error.stage, `jump host ${hostPort}: ${error.message}`, { cause: error, retryable: error.retryable });
      if (signal.aborted) throw new ProbeFailure('timeout', state.stage, `jump host ${hostPort}: no answer within ${o.timeoutMs}ms at stage ${state.stage}`);
      throw new ProbeFailure('protocol', state.stage, `jump host ${hostPort}: ${(error as Error).message}`, { cause: error });
    } finally {
      deadline.done();
    }
  };

  const connect = (chain: string): Promise<Client> => {
    const hopsOf = chain.split(',').map((h) => h.trim()).filter(Boolean);
    const key = hopsOf.join(',');
    let pending = hops.get(key);
    if (!pending) {
      const parent = hopsOf.length > 1 ? connect(hopsOf.slice(0, -1).join(',')) : Promise.resolve(undefined);
      pending = parent.then((via) => openHop(hopsOf.at(-1)!, via));
      hops.set(key, pending);
      pending.then((client) => {
        open.add(client);
        client.once('close', () => {
          open.delete(client);
          if (hops.get(key) === pending) hops.delete(key);
        });
      }, (error: unknown) => {
        // a throttled hop is worth another try by the next target; other failures are shared
        if (error instanceof ProbeFailure && error.retryable && hops.get(key) === pending) hops.delete(key);
      });
    }
    return pending;
  };

  return {
    connect,
    closeAll() {
      for (const client of open) client.end();
      open.clear();
      hops.clear();
    },
  };
}
