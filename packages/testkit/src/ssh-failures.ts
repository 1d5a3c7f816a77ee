import { execFile, execFileSync } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { promisify } from 'node:util';
import { onCleanup } from './cleanup.js';
import { freePort } from './free-port.js';
import { requireCommand } from './which.js';

const run = promisify(execFile);

/** A loopback endpoint that fails in a known way; `stop()` undoes whatever it set up. */
export interface FailingEndpoint {
  readonly host: string;
  readonly port: number;
  stop(): Promise<void>;
}

async function listen(handler: (socket: Socket) => void): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    handler(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('listener has no address');
  return { server, port: address.port, sockets };
}

function closer(server: Server, sockets: Set<Socket>): () => Promise<void> {
  const unregister = onCleanup(() => server.close());
  return async () => {
    unregister();
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}

/** Accepts TCP connections and never says a word: an SSH banner timeout. */
export async function startSilentListener(): Promise<FailingEndpoint> {
  const { server, port, sockets } = await listen(() => undefined);
  return { host: '127.0.0.1', port, stop: closer(server, sockets) };
}

/** Answers like a web server and hangs up: not an SSH server (protocol error). */
export async function startNonSshServer(): Promise<FailingEndpoint> {
  const { server, port, sockets } = await listen((socket) => {
    socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  });
  return { host: '127.0.0.1', port, stop: closer(server, sockets) };
}

/**
 * A real HTTP server (node:http) that, like any HTTP server, waits for the client to speak first;
 * anything that is not HTTP gets `400 Bad Request` and a close. An SSH client that waits for the
 * server's banner without sending its own waits forever here.
 */
export async function startHttpServer(): Promise<FailingEndpoint> {
  const sockets = new Set<Socket>();
  const server = createHttpServer((_, response) => response.end('not ssh\n'));
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('listener has no address');
  return { host: '127.0.0.1', port: address.port, stop: closer(server, sockets) };
}

/** A loopback port nothing listens on: connection refused. */
export async function closedPort(): Promise<FailingEndpoint> {
  const port = await freePort();
  return { host: '127.0.0.1', port, stop: async () => undefined };
}

export interface BlackHoleOptions {
  /** Loopback network whose TCP packets are dropped. Defaults to a random 127.x.y.z/32. */
  readonly cidr?: string;
  /** Port reported in the result (every port of `cidr` is dropped). Defaults to 22. */
  readonly port?: number;
  /** Answer with ICMP host-unreachable (`-j REJECT`) instead of silence: "no route to host". Defaults to false. */
  readonly hostUnreachable?: boolean;
}

export interface BlackHole extends FailingEndpoint {
  readonly cidr: string;
}

/**
 * Drops every TCP packet to a loopback address (or network) with `iptables -I INPUT -d CIDR -p tcp
 * -j DROP`, so a connect gets no answer at all (as root; installs iptables when missing). The rule
 * is removed by `stop()` and, failing that, when the process exits.
 */
export async function startBlackHole(options: BlackHoleOptions = {}): Promise<BlackHole> {
  await requireCommand('iptables', 'iptables');
  const rnd = () => 1 + Math.floor(Math.random() * 253);
  const cidr = options.cidr ?? `127.${200 + Math.floor(Math.random() * 50)}.${rnd()}.${rnd()}/32`;
  const action = options.hostUnreachable ? ['REJECT', '--reject-with', 'icmp-host-unreachable'] : ['DROP'];
  const rule = ['INPUT', '-d', cidr, '-p', 'tcp', '-j', ...action, '-m', 'comment', '--comment', `ops-testkit-${process.pid}`];
  await run('iptables', ['-w', '-I', ...rule]);
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    try {
      execFileSync('iptables', ['-w', '-D', ...rule], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  };
  const unregister = onCleanup(remove);
  return {
    host: cidr.split('/')[0]!,
    port: options.port ?? 22,
    cidr,
    async stop() {
      unregister();
      remove();
    },
  };
}
