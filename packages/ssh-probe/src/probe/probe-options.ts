import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { checkIntegerOption, parseDuration, UsageError } from '@ops/core';
import type { SshConfig } from '../inventory/ssh-config.js';
import type { StrictHostKey } from '../known-hosts/known-hosts-store.js';
import type { HostResolver } from '../net/resolve-host.js';
import { CHECKS, type Check, type Target } from '../types.js';

export interface ProbeOptions {
  /** How far to go: `tcp`, `banner` (banner + key exchange), `auth` or `exec`. Defaults to `auth`. */
  readonly check?: Check;
  /** Bounds each attempt's connect + banner + key exchange + authentication (ms or a duration). Defaults to 10s. */
  readonly timeout?: number | string;
  /** Command run by `check: 'exec'`; must exit 0. Defaults to `true`. */
  readonly command?: string;
  /** User for targets that name none. Defaults to the current user. */
  readonly user?: string;
  /** Port for targets that name none. Defaults to 22. */
  readonly port?: number;
  /** known_hosts file. Defaults to ~/.ssh/known_hosts. */
  readonly knownHosts?: string;
  /** `yes`: unknown keys fail; `accept-new`: new keys are recorded, changed keys fail; `no`: no checks. Defaults to `accept-new`. */
  readonly strictHostKey?: StrictHostKey;
  /** Private key files. Defaults to ~/.ssh/id_ed25519, id_ecdsa, id_rsa when present. */
  readonly identityFiles?: readonly string[];
  /** Passphrase of the identity files. Defaults to none. */
  readonly passphrase?: string;
  /** SSH agent socket; `''` disables the agent. Defaults to `SSH_AUTH_SOCK`. */
  readonly agent?: string;
  /** Password to try after the keys. Defaults to none. */
  readonly password?: string;
  /** Jump hosts for every target, `[user@]host[:port]` comma separated; a target's own `proxyJump` wins. Defaults to none. */
  readonly jump?: string;
  /** OpenSSH client config applied to jump hosts, so `ProxyJump bastion` uses `Host bastion`. Defaults to none. */
  readonly sshConfig?: SshConfig;
  /** Retries of an overloaded server's silence: a banner or key exchange that timed out on an endpoint that completed a key exchange earlier in this run. Defaults to 2. */
  readonly retries?: number;
  /**
   * Retries of a connection a throttling server turned away (`throttled`: sshd's "Exceeded
   * MaxStartups", a reset or close before the banner, a refusal by an endpoint that answered
   * earlier). Each such attempt fails at once, so these are cheap; with the backoff (full jitter,
   * doubling up to `retryMaxDelay`) 8 retries wait at most about 20s. Defaults to 8.
   */
  readonly throttleRetries?: number;
  /** First retry backoff (full jitter, doubling). Defaults to 250ms. */
  readonly retryMinDelay?: number | string;
  /** Longest retry backoff. Defaults to 4s. */
  readonly retryMaxDelay?: number | string;
  /** Most handshakes in flight to one address:port, under sshd's MaxStartups start of 10. Defaults to 8. */
  readonly perHostConcurrency?: number;
  /** Name resolver (shared by probeAll). Defaults to the system resolver (getaddrinfo, as ssh). */
  readonly resolver?: HostResolver;
  /** Called once when the run ends, with the number of host keys `accept-new` appended to `knownHosts` (only when some were). Defaults to none. */
  readonly onKnownHostsAdded?: (info: { count: number; file: string }) => void;
  /** Called before each retry wait. Defaults to none. */
  readonly onRetry?: (info: { target: Target; attempt: number; delayMs: number; error: unknown }) => void;
  /** Cancels the probe(s). Defaults to none. */
  readonly signal?: AbortSignal;
}

export interface ProbeAllOptions extends ProbeOptions {
  /** Probes in flight at once. Defaults to 50. */
  readonly concurrency?: number;
}

export const PROBE_DEFAULTS = {
  check: 'auth' as Check,
  timeout: '10s' as number | string,
  command: 'true',
  port: 22,
  strictHostKey: 'accept-new' as StrictHostKey,
  retries: 2,
  throttleRetries: 8,
  retryMinDelay: '250ms' as number | string,
  retryMaxDelay: '4s' as number | string,
  perHostConcurrency: 8,
  concurrency: 50,
};

export type ResolvedProbeOptions = Omit<ProbeAllOptions, 'timeout'> & typeof PROBE_DEFAULTS & {
  readonly timeoutMs: number;
  readonly user: string;
  readonly knownHosts: string;
};

/** Fills the defaults and validates every option, naming the bad one. */
export function resolveProbeOptions(options: ProbeAllOptions = {}): ResolvedProbeOptions {
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as ProbeAllOptions;
  const o = { ...PROBE_DEFAULTS, ...defined };
  if (!CHECKS.includes(o.check)) throw new UsageError(`Expected \`check\` to be one of ${CHECKS.join(', ')}, got "${String(o.check)}"`);
  if (!['yes', 'accept-new', 'no'].includes(o.strictHostKey)) throw new UsageError(`Expected \`strictHostKey\` to be yes, accept-new or no, got "${String(o.strictHostKey)}"`);
  const timeoutMs = parseDuration(o.timeout, { name: 'timeout', defaultUnit: 's' });
  if (timeoutMs <= 0) throw new UsageError('Expected `timeout` to be a positive duration, got 0');
  checkIntegerOption(o.retries, 'retries');
  checkIntegerOption(o.throttleRetries, 'throttleRetries');
  checkIntegerOption(o.concurrency, 'concurrency', { min: 1 });
  checkIntegerOption(o.port, 'port', { min: 1 });
  if (o.perHostConcurrency !== Infinity) checkIntegerOption(o.perHostConcurrency, 'perHostConcurrency', { min: 1 });
  return {
    ...o,
    timeoutMs,
    user: o.user ?? userInfo().username,
    knownHosts: o.knownHosts ?? join(homedir(), '.ssh', 'known_hosts'),
    agent: o.agent ?? process.env.SSH_AUTH_SOCK,
  };
}
