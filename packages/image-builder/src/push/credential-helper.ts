import { OpsError, registerSecret } from '@ops/core';

/** What a `docker-credential-*` helper returned. */
export interface HelperCredentials {
  readonly username: string;
  readonly secret: string;
}

/**
 * Runs `docker-credential-<helper> get` with the server address on stdin. Resolves undefined
 * when the helper is not installed or has no credentials for the server.
 */
export async function getHelperCredentials(helper: string, serverAddress: string, signal?: AbortSignal): Promise<HelperCredentials | undefined> {
  if (!/^[\w.-]+$/.test(helper)) throw new OpsError('IMAGE_CREDENTIALS_INVALID', `credential helper name "${helper}" is not valid`, { hint: 'fix credsStore/credHelpers in the docker config.json' });
  // Loaded when a helper is run, not on import: a few ms of start-up that most runs do not need.
  const { execFile } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    const child = execFile(`docker-credential-${helper}`, ['get'], { timeout: 30_000, signal, env: process.env }, (error, stdout, stderr) => {
      if (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return resolve(undefined);
        if (/credentials not found/i.test(`${stdout}${stderr}`)) return resolve(undefined);
        return reject(new OpsError('IMAGE_CREDENTIALS_HELPER_FAILED', `docker-credential-${helper} failed for ${serverAddress}: ${String(stderr || stdout || error.message).trim().slice(0, 300)}`, { hint: `check that docker-credential-${helper} works: echo ${serverAddress} | docker-credential-${helper} get` }));
      }
      try {
        const parsed = JSON.parse(stdout) as { Username?: string; Secret?: string };
        if (!parsed.Secret) return resolve(undefined);
        registerSecret(parsed.Secret);
        resolve({ username: parsed.Username ?? '', secret: parsed.Secret });
      } catch {
        reject(new OpsError('IMAGE_CREDENTIALS_HELPER_FAILED', `docker-credential-${helper} printed something that is not JSON for ${serverAddress}`, { hint: 'update or reconfigure the credential helper' }));
      }
    });
    child.stdin?.end(serverAddress);
  });
}
