import { connect, type Socket } from 'node:net';
import { ProbeFailure } from '../errors.js';

const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'EHOSTDOWN', 'ENETDOWN']);

/** Maps a socket error at the connect stage to a failure reason. */
export function connectFailure(error: NodeJS.ErrnoException, where: string): ProbeFailure {
  const code = String(error.code ?? '');
  if (code === 'ECONNREFUSED') return new ProbeFailure('refused', 'connect', `connection to ${where} refused: nothing listens there`, { cause: error });
  if (code === 'ETIMEDOUT') return new ProbeFailure('timeout', 'connect', `TCP connect to ${where} timed out`, { cause: error });
  if (UNREACHABLE.has(code)) return new ProbeFailure('unreachable', 'connect', `no route to ${where} (${code})`, { cause: error });
  return new ProbeFailure('unreachable', 'connect', `cannot connect to ${where}: ${error.message}`, { cause: error });
}

/**
 * Opens a TCP connection; rejects with a `ProbeFailure` (refused, unreachable) or, when `signal`
 * aborts first, with the signal's reason (the caller turns it into a timeout at this stage).
 */
export function connectTcp(address: string, port: number, where: string, signal: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const socket = connect({ host: address, port, noDelay: true });
    const onAbort = () => {
      socket.destroy();
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => {
      signal.removeEventListener('abort', onAbort);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (error) => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      reject(connectFailure(error, where));
    });
  });
}
