import { homedir } from 'node:os';
import { join } from 'node:path';
import { OpsError, registerSecret } from '@ops/core';
import { getHelperCredentials } from './credential-helper.js';
import { credentialServerAddress, registryHostname } from './image-reference.js';
import { readTextIfExists } from '../read-text-if-exists.js';

/** Credentials for one registry, as the Engine's `X-Registry-Auth` takes them. */
export interface RegistryAuth {
  readonly username?: string;
  readonly password?: string;
  readonly identitytoken?: string;
  readonly serveraddress: string;
  /** Where they came from, for logs: `env`, `config.json auths`, `docker-credential-<name>`. */
  readonly source: string;
}

export interface RegistryAuthOptions {
  /** Environment (REGISTRY_USERNAME, REGISTRY_PASSWORD, DOCKER_CONFIG). Defaults to `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Use REGISTRY_USERNAME/REGISTRY_PASSWORD for this registry (they belong to the push registry). Defaults to true. */
  readonly fromEnv?: boolean;
  readonly signal?: AbortSignal;
}

export interface DockerConfigFile {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

/** Reads `$DOCKER_CONFIG/config.json` (or `~/.docker/config.json`); undefined when absent. */
export async function readDockerConfig(env: NodeJS.ProcessEnv = process.env): Promise<{ path: string; config: DockerConfigFile } | undefined> {
  const path = join(env.DOCKER_CONFIG || join(homedir(), '.docker'), 'config.json');
  let text: string | undefined;
  try {
    // Synchronous: a small file, read once or twice per command (a thread-pool round trip costs more).
    text = readTextIfExists(path);
    if (text === undefined) return undefined;
  } catch (error) {
    throw new OpsError('IMAGE_CREDENTIALS_INVALID', `cannot read the docker config ${path}: ${(error as NodeJS.ErrnoException).code}`, { hint: 'fix its permissions or point DOCKER_CONFIG elsewhere' });
  }
  try {
    return { path, config: JSON.parse(text) as DockerConfigFile };
  } catch {
    throw new OpsError('IMAGE_CREDENTIALS_INVALID', `the docker config ${path} is not valid JSON`, { hint: 'fix the file or run docker login again' });
  }
}

function findAuthEntry(config: DockerConfigFile, registry: string) {
  const wanted = registryHostname(credentialServerAddress(registry));
  for (const [key, value] of Object.entries(config.auths ?? {})) if (registryHostname(key) === wanted) return value;
  return undefined;
}

function lookupHelper(map: Record<string, string> | undefined, registry: string): string | undefined {
  if (!map) return undefined;
  const wanted = registryHostname(credentialServerAddress(registry));
  for (const [key, helper] of Object.entries(map)) if (registryHostname(key) === wanted) return helper;
  return undefined;
}

/**
 * Credentials for `registry`: `REGISTRY_USERNAME`/`REGISTRY_PASSWORD` when both are set, else the
 * docker config: `credHelpers[registry]`, `credsStore`, then `auths` (`auth` or username/password
 * or `identitytoken`). Every secret found is registered for redaction. Undefined when none.
 */
export async function resolveRegistryAuth(registry: string, options: RegistryAuthOptions = {}): Promise<RegistryAuth | undefined> {
  const env = options.env ?? process.env;
  const serveraddress = credentialServerAddress(registry);
  if (options.fromEnv !== false && env.REGISTRY_USERNAME && env.REGISTRY_PASSWORD) {
    registerSecret(env.REGISTRY_PASSWORD);
    return { username: env.REGISTRY_USERNAME, password: env.REGISTRY_PASSWORD, serveraddress, source: 'REGISTRY_USERNAME/REGISTRY_PASSWORD' };
  }
  const file = await readDockerConfig(env);
  if (!file) return undefined;
  const { config } = file;
  const helper = lookupHelper(config.credHelpers, registry) ?? config.credsStore;
  if (helper) {
    const found = await getHelperCredentials(helper, serveraddress, options.signal);
    if (found) {
      const source = `docker-credential-${helper}`;
      return found.username === '<token>' ? { identitytoken: found.secret, serveraddress, source } : { username: found.username, password: found.secret, serveraddress, source };
    }
  }
  const entry = findAuthEntry(config, registry);
  if (!entry) return undefined;
  const source = `${file.path} auths`;
  if (entry.identitytoken) {
    registerSecret(entry.identitytoken);
    return { identitytoken: entry.identitytoken, serveraddress, source };
  }
  if (entry.auth) {
    registerSecret(entry.auth);
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const at = decoded.indexOf(':');
    if (at < 0) throw new OpsError('IMAGE_CREDENTIALS_INVALID', `the auth entry for ${registry} in ${file.path} is not base64 of user:password`, { hint: `run docker login ${registry} again` });
    const password = decoded.slice(at + 1);
    registerSecret(password);
    return { username: decoded.slice(0, at), password, serveraddress, source };
  }
  if (entry.username && entry.password) {
    registerSecret(entry.password);
    return { username: entry.username, password: entry.password, serveraddress, source };
  }
  return undefined;
}

/** The `X-Registry-Auth` payload (never logged). */
export function toAuthConfig(auth: RegistryAuth | undefined): Record<string, string> {
  if (!auth) return {};
  const { source: _source, ...rest } = auth;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Record<string, string>;
}
