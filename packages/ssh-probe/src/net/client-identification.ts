import type { Duplex } from 'node:stream';

/** Software version in our identification line; given to ssh2 too, so the key exchange hashes the same line. */
export const CLIENT_IDENT = 'ops_ssh_probe';

const IDENT_LINE = Buffer.from(`SSH-2.0-${CLIENT_IDENT}\r\n`, 'latin1');

/**
 * Sends our identification line at once, as OpenSSH does, so a server that waits for the client
 * to speak first (HTTP, TLS, SMTP submission...) answers, and is told apart from an SSH server in
 * milliseconds instead of at the banner timeout. The SSH client (ssh2) sends the same line again
 * when it starts on this stream: that one write is dropped, so the server sees one line.
 */
export function sendIdentification(stream: Duplex): void {
  stream.write(IDENT_LINE);
  const write = stream.write;
  stream.write = function writeOnce(this: Duplex, chunk: unknown, ...rest: unknown[]): boolean {
    stream.write = write;
    if (Buffer.isBuffer(chunk) && chunk.equals(IDENT_LINE)) {
      const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      if (callback) process.nextTick(callback);
      return true;
    }
    return (write as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
  } as Duplex['write'];
}
