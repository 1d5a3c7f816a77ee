import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import { onCleanup } from './cleanup.js';
import { makeTempDir } from './temp-dir.js';

/** Options of `startS3rver`. */
export interface S3rverOptions {
  /** Buckets created before the server starts. Defaults to none. */
  readonly buckets?: readonly string[];
}

/** A running s3rver: point an S3 client at `endpoint` with path-style addressing. */
export interface S3rverHandle {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly region: string;
  /** Stops the server and removes its data directory. */
  stop(): Promise<void>;
}

interface S3rverInstance {
  run(): Promise<{ port: number }>;
  httpServer?: Server;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;

const DEFAULTS = { buckets: [] as readonly string[] } as const;

/** s3rver's fixed credentials (it verifies signatures made with them). */
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', region: 'us-east-1' } as const;

/**
 * Starts s3rver (a real S3 API implementation on the file system) in this process on
 * 127.0.0.1 with a kernel-picked port and a temporary data directory.
 */
export async function startS3rver(options: S3rverOptions = {}): Promise<S3rverHandle> {
  const { buckets } = { ...DEFAULTS, ...options };
  const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;
  const dir = makeTempDir('ops-s3rver-');
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: dir.path,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  const http = server.httpServer;
  const kill = () => {
    http?.closeAllConnections();
    http?.close();
  };
  const unregister = onCleanup(kill);
  let stopped = false;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    ...CREDENTIALS,
    async stop() {
      if (stopped) return;
      stopped = true;
      unregister();
      await new Promise<void>((resolve) => {
        if (!http) return resolve();
        http.close(() => resolve());
        http.closeAllConnections();
      });
      dir.remove();
    },
  };
}
