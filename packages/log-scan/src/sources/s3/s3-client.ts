import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

/** Region used when neither the environment nor the profile names one. */
export const FALLBACK_REGION = 'us-east-1';

/**
 * An S3 client configured the standard AWS way: credentials and region from the environment,
 * `~/.aws/config` and `~/.aws/credentials` (`AWS_PROFILE`), and an endpoint from
 * `AWS_ENDPOINT_URL_S3` or `AWS_ENDPOINT_URL` (then with path-style addressing, as MinIO,
 * s3rver and most S3-compatible stores expect).
 */
export async function createS3Client(env: NodeJS.ProcessEnv = process.env): Promise<S3Client> {
  // The SDK prints a multi-line "node >=22 from 2027" notice to stderr on Node 20, which this
  // package supports; keep stderr for log-scan's own messages unless the user set the flag.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const endpoint = env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL;
  const config: S3ClientConfig = {
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    // The SDK retries whole requests; resuming a body that broke mid-way is done by the reader.
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 10_000, requestTimeout: 60_000 },
  };
  const client = new S3Client(config);
  try {
    await client.config.region();
    return client;
  } catch {
    client.destroy();
    return new S3Client({ ...config, region: FALLBACK_REGION });
  }
}
