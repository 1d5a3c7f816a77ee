import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { makeTempDir } from './temp-dir.js';
import { startServiceProcess } from './service-process.js';
import { waitFor } from './wait-for.js';

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

const DEFAULTS = { buckets: [] as readonly string[] } as const;

/** s3rver's fixed credentials (it verifies signatures made with them). */
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', region: 'us-east-1' } as const;

/**
 * Starts s3rver (a real S3 API implementation on the file system) as a child process on
 * 127.0.0.1 with a kernel-picked port and a temporary data directory. It runs with
 * `--openssl-legacy-provider` because s3rver makes ListObjectsV2 continuation tokens with DES,
 * which OpenSSL 3 only offers there (without it, every paginated listing fails with a 500).
 */
export async function startS3rver(options: S3rverOptions = {}): Promise<S3rverHandle> {
  const { buckets } = { ...DEFAULTS, ...options };
  const bin = join(dirname(createRequire(import.meta.url).resolve('s3rver/package.json')), 'bin', 's3rver.js');
  const dir = makeTempDir('ops-s3rver-');
  const svc = startServiceProcess({
    name: 's3rver',
    command: process.execPath,
    args: ['--openssl-legacy-provider', bin, '--directory', dir.path, '--address', '127.0.0.1', '--port', '0', ...buckets.flatMap((b) => ['--configure-bucket', b])],
  });
  let port: number;
  try {
    port = await waitFor('s3rver to listen', () => Number(/S3rver listening on [\d.]+:(\d+)/.exec(svc.output())?.[1]) || undefined, { failIf: svc.exited });
  } catch (error) {
    await svc.stop();
    dir.remove();
    throw error;
  }
  let stopped = false;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    ...CREDENTIALS,
    async stop() {
      if (stopped) return;
      stopped = true;
      await svc.stop();
      dir.remove();
    },
  };
}
