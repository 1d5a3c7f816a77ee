import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { freePort } from './free-port.js';
import { makeTempDir } from './temp-dir.js';
import { startServiceProcess } from './service-process.js';
import { waitFor } from './wait-for.js';

/** A running private npm registry (verdaccio) with one user who may publish. */
export interface NpmRegistryHandle {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  /** The publishing user's token, for `//127.0.0.1:<port>/:_authToken=` in an .npmrc. */
  readonly token: string;
  /** The lines of an .npmrc that publish to this registry. */
  readonly npmrc: string;
  /** The packument of `name` (all its published versions), or undefined when it was never published. */
  packument(name: string): Promise<{ versions: Record<string, { dependencies?: Record<string, string> }> } | undefined>;
  /** Stops the registry and removes its storage. */
  stop(): Promise<void>;
}

/**
 * Starts verdaccio on 127.0.0.1 with a temporary storage and no uplinks: it serves only what is
 * published to it (nothing is proxied from another registry), and anyone may read. A user is
 * created through the registry's own API (`npm adduser`'s request) and its token returned.
 */
export async function startNpmRegistry(): Promise<NpmRegistryHandle> {
  const bin = join(dirname(createRequire(import.meta.url).resolve('verdaccio/package.json')), 'bin', 'verdaccio');
  const dir = makeTempDir('ops-verdaccio-');
  const port = await freePort();
  const config = join(dir.path, 'config.yaml');
  writeFileSync(config, [
    `storage: ${join(dir.path, 'storage')}`,
    'auth:',
    `  htpasswd: { file: ${join(dir.path, 'htpasswd')}, max_users: 10 }`,
    'uplinks: {}',
    "packages: { '**': { access: $all, publish: $authenticated } }",
    'web: { enable: false }',
    'log: { type: stdout, format: pretty, level: warn }',
    '',
  ].join('\n'));
  const url = `http://127.0.0.1:${port}/`;
  const svc = startServiceProcess({ name: 'verdaccio', command: process.execPath, args: [bin, '--config', config, '--listen', `127.0.0.1:${port}`] });
  const stop = async () => {
    await svc.stop();
    dir.remove();
  };
  try {
    await waitFor('verdaccio to listen', () => svc.output().includes(`http://127.0.0.1:${port}/`), { failIf: svc.exited, timeoutMs: 60_000 });
    const response = await fetch(new URL('-/user/org.couchdb.user:ci', url), {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'ci', password: 'ci-password-not-secret' }),
    });
    const { token } = (await response.json()) as { token?: string };
    if (!token) throw new Error(`verdaccio did not create the publishing user (HTTP ${response.status})`);
    return {
      url,
      token,
      npmrc: `registry=${url}\n//127.0.0.1:${port}/:_authToken=${token}\n`,
      async packument(name) {
        const res = await fetch(new URL(name.replace('/', '%2f'), url));
        if (res.status === 404) return undefined;
        if (!res.ok) throw new Error(`verdaccio answered ${res.status} for ${name}`);
        return (await res.json()) as { versions: Record<string, { dependencies?: Record<string, string> }> };
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
