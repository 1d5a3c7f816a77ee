import { connect, type Socket } from 'node:net';

/** A connection to the engine opened before the command knew it would need it. */
interface EarlyConnection {
  readonly socket: Socket;
  /** The request head already written on it, if any. */
  readonly head: string | undefined;
  readonly openedAt: number;
  error?: Error;
}

/** What `takeEarlyConnection` hands over. */
export interface TakenConnection {
  readonly socket: Socket;
  /** Whether the request head asked for was written on it already. */
  readonly written: boolean;
  /** The error the connection met while it waited (ENOENT, ECONNREFUSED...), to report as the request's. */
  readonly error: Error | undefined;
}

/**
 * Connections waiting to be taken, by unix socket path. A bare one older than this is not used:
 * a server may close a connection on which no request came (the daemon's header timeout).
 */
const waiting = new Map<string, EarlyConnection[]>();
const BARE_MAX_AGE_MS = 5_000;

/**
 * Opens a connection to the engine's unix socket now, and writes `head` on it when given (a
 * request without a body), so that its answer is on the way while the command is still
 * starting. Nothing is read until `takeEarlyConnection` hands it to the request that writes the
 * same head (or, bare, to the next request); an error is kept for that request. Unreferenced
 * until taken: it keeps no process alive.
 */
export function openEarlyConnection(socketPath: string, head?: string): void {
  const socket = connect(socketPath);
  socket.pause();
  socket.unref();
  const entry: EarlyConnection = { socket, head, openedAt: Date.now() };
  socket.on('error', (error) => {
    entry.error ??= error;
  });
  if (head) socket.write(head);
  const list = waiting.get(socketPath) ?? [];
  list.push(entry);
  waiting.set(socketPath, list);
}

/**
 * The early connection for a request with this head on this socket: the one the same head was
 * written on, else a bare one; undefined when there is none (connect as usual).
 */
export function takeEarlyConnection(socketPath: string, head: string): TakenConnection | undefined {
  const list = waiting.get(socketPath);
  if (!list) return undefined;
  let at = list.findIndex((c) => c.head === head);
  while (at === -1) {
    const bare = list.findIndex((c) => c.head === undefined);
    if (bare === -1) return undefined;
    if (Date.now() - list[bare]!.openedAt <= BARE_MAX_AGE_MS) at = bare;
    else list.splice(bare, 1)[0]!.socket.destroy();
  }
  const entry = list.splice(at, 1)[0]!;
  if (list.length === 0) waiting.delete(socketPath);
  entry.socket.removeAllListeners('error');
  entry.socket.ref();
  return { socket: entry.socket, written: entry.head !== undefined, error: entry.error };
}
