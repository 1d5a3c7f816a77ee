import type { Duplex } from 'node:stream';
import type { ParsedKey, Client } from 'ssh2';
import { ProbeFailure } from '../errors.js';
import { formatTarget } from '../inventory/parse-target.js';
import type { KnownHostsStore, StrictHostKey } from '../known-hosts/known-hosts-store.js';
import { connectTcp } from '../net/connect-tcp.js';
import { readBanner } from '../net/read-banner.js';
import { sendIdentification } from '../net/client-identification.js';
import { coalesceWrites } from '../net/coalesce-writes.js';
import type { Check, Stage } from '../types.js';
import { authMethods, type Credentials } from './credentials.js';
import { sshHandshake } from './ssh-handshake.js';

/** One SSH server to talk to. */
export interface Endpoint {
  /** Name checked in known_hosts and shown in messages. */
  readonly host: string;
  /** Address to connect to (already resolved), or the name the jump host resolves. */
  readonly address: string;
  readonly port: number;
  readonly user: string;
  readonly extraKeys: readonly ParsedKey[];
}

/** What an attempt got to, for the result. */
export interface AttemptState {
  stage: Stage;
  banner: string | null;
  hostKey: Buffer | undefined;
}

export interface SessionContext {
  readonly credentials: Credentials;
  readonly knownHosts: KnownHostsStore;
  readonly strictHostKey: StrictHostKey;
  readonly command: string;
}

const HOST_KEY_ALGORITHMS = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];

/** Host key algorithms with the types known_hosts has for this host first (as OpenSSH orders them). */
export function preferredHostKeyAlgorithms(knownTypes: readonly string[]): string[] | undefined {
  if (knownTypes.length === 0) return undefined;
  const first = knownTypes.flatMap((t) => (t === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [t])).filter((a) => HOST_KEY_ALGORITHMS.includes(a));
  return [...new Set([...first, ...HOST_KEY_ALGORITHMS])];
}

/**
 * Opens a direct-tcpip channel through the jump connection: the connect stage behind a jump host.
 * The jump host's own connect to a black-holed target waits for its kernel (about two minutes), so
 * the wait is bounded by `signal` like a direct connect; a channel that opens after the abort is closed.
 */
function forward(via: Client, address: string, port: number, where: string, signal: AbortSignal): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    let done = false;
    const onAbort = () => {
      done = true;
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    via.forwardOut('127.0.0.1', 0, address, port, (error, channel) => {
      signal.removeEventListener('abort', onAbort);
      if (done) {
        channel?.close();
        return;
      }
      done = true;
      if (!error) return resolve(channel);
      const text = error.message;
      const reason = /refused/i.test(text) ? 'refused' : /timed? ?out/i.test(text) ? 'timeout' : /resolve|not known|name/i.test(text) ? 'dns' : 'unreachable';
      reject(new ProbeFailure(reason, reason === 'dns' ? 'resolve' : 'connect', `the jump host could not connect to ${where}: ${text}`, { cause: error }));
    });
  });
}

/**
 * Connects to `endpoint` (directly, or through the `via` jump connection), reads the banner and runs
 * SSH up to `until`. Returns the open client when `keepOpen` (jump hosts); `state` follows the stages.
 */
export async function runSession(ctx: SessionContext, endpoint: Endpoint, via: Client | undefined, until: Check, keepOpen: boolean, signal: AbortSignal, state: AttemptState): Promise<Client | undefined> {
  const where = formatTarget(endpoint.host, endpoint.port, endpoint.user);
  const hostPort = formatTarget(endpoint.host, endpoint.port);
  state.stage = 'connect';
  const stream = via ? await forward(via, endpoint.address, endpoint.port, hostPort, signal) : await connectTcp(endpoint.address, endpoint.port, hostPort, signal);
  if (until === 'tcp') {
    stream.destroy();
    return undefined;
  }
  state.stage = 'banner';
  coalesceWrites(stream);
  sendIdentification(stream);
  state.banner = await readBanner(stream, hostPort, signal);
  const { client } = await sshHandshake({
    stream,
    where,
    until: until === 'banner' ? 'banner' : until === 'exec' ? 'exec' : 'auth',
    auth: authMethods(endpoint.user, ctx.credentials, endpoint.extraKeys),
    hostKeyAlgorithms: preferredHostKeyAlgorithms(ctx.knownHosts.knownTypes(endpoint.host, endpoint.port)),
    verifyHostKey: async (blob) => {
      state.hostKey = blob;
      const verdict = await ctx.knownHosts.verify(endpoint.host, endpoint.port, blob, ctx.strictHostKey);
      return verdict.ok ? undefined : verdict.message;
    },
    command: ctx.command,
    signal,
    onStage: (stage) => (state.stage = stage),
    keepOpen,
  });
  return keepOpen ? client : undefined;
}
