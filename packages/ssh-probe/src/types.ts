/** What a probe checks, each including the ones before: `tcp` < `banner` (+ key exchange) < `auth` < `exec`. */
export type Check = 'tcp' | 'banner' | 'auth' | 'exec';

/** Where a probe stopped. */
export type Stage = 'resolve' | 'connect' | 'banner' | 'kex' | 'auth' | 'exec';

/** Why a host is unreachable. */
export type Reason = 'dns' | 'refused' | 'unreachable' | 'timeout' | 'throttled' | 'protocol' | 'host-key' | 'auth' | 'command';

export const CHECKS: readonly Check[] = ['tcp', 'banner', 'auth', 'exec'];
export const REASONS: readonly Reason[] = ['dns', 'refused', 'unreachable', 'timeout', 'throttled', 'protocol', 'host-key', 'auth', 'command'];

/** One host to probe, as read from an inventory. */
export interface Target {
  /** The name as written in the inventory (an alias when `hostName` is set). */
  readonly host: string;
  /** Address to connect to, when it differs from `host` (ssh config `HostName`, `ansible_host`). */
  readonly hostName?: string;
  readonly port?: number;
  readonly user?: string;
  /** Extra private keys for this host (ssh config `IdentityFile`). */
  readonly identityFiles?: readonly string[];
  /** Jump hosts, `[user@]host[:port]` comma separated (ssh config `ProxyJump`). */
  readonly proxyJump?: string;
}

/** The result of one probe; `reason`, `stage` and `error` only when unreachable. */
export interface ProbeResult {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly status: 'reachable' | 'unreachable';
  readonly reason?: Reason;
  readonly stage?: Stage;
  /** Milliseconds from the start of the probe (retries included) to its result. */
  readonly latencyMs: number;
  /** The server's identification line, e.g. `SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3`, or null. */
  readonly banner: string | null;
  /** The server's host key as `type SHA256:fingerprint`, or null when not reached. */
  readonly hostKey: string | null;
  readonly error?: string;
}

/** An inventory entry that is not probed, and why (`ansible_connection=local`). */
export interface SkippedEntry {
  readonly host: string;
  readonly reason: string;
}

/** What an inventory file holds: the targets in file order, entries left out, and notes on what was not applied. */
export interface Inventory {
  readonly targets: Target[];
  readonly skipped: SkippedEntry[];
  /** E.g. a `Match exec` block of an ssh config, which is never run. */
  readonly warnings?: string[];
}
