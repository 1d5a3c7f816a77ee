import type { Duplex } from 'node:stream';
import ssh2, { type AnyAuthMethod, type Client } from 'ssh2';
import { ProbeFailure } from '../errors.js';
import { CLIENT_IDENT } from '../net/client-identification.js';
import type { Stage } from '../types.js';

export interface HandshakeInput {
  /** A connected stream whose SSH banner was already read (and put back). */
  readonly stream: Duplex;
  /** `user@host:port`, for messages. */
  readonly where: string;
  /** `banner` stops after key exchange, `auth` after authentication, `exec` after the command. */
  readonly until: 'banner' | 'auth' | 'exec';
  readonly auth: readonly AnyAuthMethod[];
  /** Preferred host key algorithms (the types known_hosts has for this host first). */
  readonly hostKeyAlgorithms: readonly string[] | undefined;
  /** Resolves to a failure message when the key must be refused. */
  readonly verifyHostKey: (blob: Buffer) => Promise<string | undefined>;
  readonly command: string;
  readonly signal: AbortSignal;
  readonly onStage: (stage: Stage) => void;
  /** Leave the client connected (a jump host); otherwise it is closed when done. */
  readonly keepOpen?: boolean;
}

export interface HandshakeResult {
  readonly client: Client;
  readonly hostKey: Buffer | undefined;
}

const RESET = /ECONNRESET|EPIPE|Connection lost|socket hang up|closed/i;

/**
 * What we offer, cheapest first (the server takes our first one it supports): curve25519 and the
 * AES-GCM / ChaCha20 AEAD ciphers (no separate MAC), no compression; the NIST curves and
 * classic Diffie-Hellman groups after them for older servers. No SHA-1 or CBC.
 */
export const ALGORITHMS = {
  kex: ['curve25519-sha256', 'curve25519-sha256@libssh.org', 'ecdh-sha2-nistp256', 'ecdh-sha2-nistp384', 'ecdh-sha2-nistp521', 'diffie-hellman-group14-sha256', 'diffie-hellman-group16-sha512', 'diffie-hellman-group-exchange-sha256'],
  cipher: ['aes128-gcm@openssh.com', 'chacha20-poly1305@openssh.com', 'aes256-gcm@openssh.com', 'aes128-ctr', 'aes256-ctr'],
  hmac: ['hmac-sha2-256-etm@openssh.com', 'hmac-sha2-512-etm@openssh.com', 'hmac-sha2-256', 'hmac-sha2-512'],
  compress: ['none'],
};

type GlobalRequestHandler = (proto: unknown, name: string, wantReply: boolean, data: unknown) => void;

/**
 * OpenSSH announces all its host keys after authentication (`hostkeys-00@openssh.com`, for
 * UpdateHostKeys) and ssh2 answers each time by asking the server to prove them, then checks a
 * signature per key: a round trip and an RSA verification per probe for keys a probe never uses.
 * The announcement (which wants no reply) is dropped; every other global request goes to ssh2.
 * Reaches into ssh2's protocol object: if that ever changes shape, nothing is changed.
 */
function ignoreHostKeyAnnouncements(client: Client): void {
  const handlers = (client as unknown as { _protocol?: { _handlers?: { GLOBAL_REQUEST?: GlobalRequestHandler } } })._protocol?._handlers;
  const original = handlers?.GLOBAL_REQUEST;
  if (!handlers || typeof original !== 'function') return;
  handlers.GLOBAL_REQUEST = (proto, name, wantReply, data) => {
    if (name === 'hostkeys-00@openssh.com' && !wantReply) return;
    original(proto, name, wantReply, data);
  };
}

/** Key exchange, host key check, authentication and (for `exec`) the command, over ssh2. */
export function sshHandshake(input: HandshakeInput): Promise<HandshakeResult> {
  const client = new ssh2.Client();
  let stage: Stage = 'kex';
  let hostKey: Buffer | undefined;
  let hostKeyFailure: string | undefined;
  let settled = false;
  const setStage = (s: Stage) => {
    stage = s;
    input.onStage(s);
  };

  return new Promise<HandshakeResult>((resolve, reject) => {
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      input.signal.removeEventListener('abort', onAbort);
      if (error !== undefined) {
        client.destroy();
        reject(error);
      } else {
        if (!input.keepOpen) client.end();
        resolve({ client, hostKey });
      }
    };
    const onAbort = () => finish(input.signal.reason);
    const failure = (error: Error & { level?: string; code?: unknown }): ProbeFailure => {
      if (hostKeyFailure) return new ProbeFailure('host-key', 'kex', hostKeyFailure);
      if (stage === 'kex') {
        const retryable = RESET.test(error.message) || error.code === 'ECONNRESET';
        return new ProbeFailure(retryable ? 'throttled' : 'protocol', 'kex', `key exchange with ${input.where} failed: ${error.message}${retryable ? ' (reset: sshd MaxStartups throttling?)' : ''}`, { cause: error, retryable });
      }
      if (stage === 'auth') {
        const tried = input.auth.map((m) => m.type).join(', ') || 'none';
        const message = error.level === 'client-authentication'
          ? `authentication as ${input.where} failed (tried: ${tried})`
          : `authentication as ${input.where} failed: ${error.message}`;
        return new ProbeFailure('auth', 'auth', message, { cause: error });
      }
      return new ProbeFailure('command', 'exec', `command on ${input.where} failed: ${error.message}`, { cause: error });
    };

    client.on('error', (error: Error & { level?: string }) => {
      // ssh2 reports a dead agent or a key that cannot sign, then goes on with the next method
      if (error.level === 'agent') return;
      if (error.level === 'client-authentication' && !/All configured authentication methods failed/.test(error.message)) return;
      finish(failure(error));
    });
    client.on('close', () => finish(failure(new Error('connection closed'))));
    client.on('handshake', () => {
      if (input.until === 'banner') return finish();
      setStage('auth');
    });
    client.on('ready', () => {
      if (input.until !== 'exec') return finish();
      setStage('exec');
      client.exec(input.command, (error, channel) => {
        if (error) return finish(new ProbeFailure('command', 'exec', `cannot run \`${input.command}\` on ${input.where}: ${error.message}`, { cause: error }));
        let stderr = '';
        let exit: { code: number | null; signal?: string } | undefined;
        channel.on('exit', (code: number | null, signal?: string) => (exit = { code, signal }));
        channel.on('data', () => undefined);
        channel.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-300)));
        channel.on('close', () => {
          if (exit?.code === 0) return finish();
          const how = exit?.signal ? `was killed by ${exit.signal}` : `exited with ${exit?.code ?? 'no status'}`;
          const detail = stderr.trim().split('\n').at(-1);
          finish(new ProbeFailure('command', 'exec', `\`${input.command}\` on ${input.where} ${how}${detail ? `: ${detail}` : ''}`));
        });
      });
    });
    if (input.signal.aborted) return onAbort();
    input.signal.addEventListener('abort', onAbort, { once: true });
    input.onStage('kex');
    client.connect({
      sock: input.stream as never,
      username: (input.auth[0] as { username?: string } | undefined)?.username ?? 'root',
      authHandler: [...input.auth] as never,
      ident: CLIENT_IDENT,
      readyTimeout: 0,
      keepaliveInterval: 0,
      algorithms: { ...ALGORITHMS, ...(input.hostKeyAlgorithms ? { serverHostKey: [...input.hostKeyAlgorithms] } : {}) } as never,
      hostVerifier: ((key: Buffer, verify: (ok: boolean) => void) => {
        hostKey = key;
        input.verifyHostKey(key).then((problem) => {
          hostKeyFailure = problem;
          verify(problem === undefined);
        }, () => verify(false));
      }) as never,
    });
    ignoreHostKeyAnnouncements(client);
  });
}
