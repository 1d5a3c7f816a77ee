import { parseImageReference, registryHostname } from '../push/image-reference.js';
import { readDockerConfig, resolveRegistryAuth, toAuthConfig } from '../push/registry-auth.js';

export interface RegistryConfigOptions {
  /** Registries of the base images (`FROM`). */
  readonly pulls: readonly string[];
  /** Image references the build is tagged with: their registries get `REGISTRY_*`. */
  readonly tags: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly signal?: AbortSignal;
}

/** What goes into `X-Registry-Config`, and where each registry's credentials came from (for logs). */
export interface BuildRegistryConfig {
  /** serveraddress -> auth config (secrets: never log this). */
  readonly config: Record<string, Record<string, string>>;
  /** registry -> source of its credentials. */
  readonly sources: Record<string, string>;
}

/**
 * Credentials for every registry a build may pull from, as the docker CLI sends them in
 * `X-Registry-Config`: the base images' registries and the push registries (credential helpers
 * asked for those), plus every `auths` and `credHelpers` entry of config.json (a `COPY --from`
 * image may live there). `REGISTRY_USERNAME`/`REGISTRY_PASSWORD` apply to the tags' registries.
 */
export async function buildRegistryConfig(options: RegistryConfigOptions): Promise<BuildRegistryConfig> {
  const pushRegistries = new Set(options.tags.map((t) => parseImageReference(t).registry));
  const registries = new Set([...options.pulls, ...pushRegistries]);
  const file = await readDockerConfig(options.env);
  for (const key of [...Object.keys(file?.config.auths ?? {}), ...Object.keys(file?.config.credHelpers ?? {})]) {
    const host = registryHostname(key);
    registries.add(host === 'index.docker.io' ? 'docker.io' : host);
  }
  const config: Record<string, Record<string, string>> = {};
  const sources: Record<string, string> = {};
  for (const registry of registries) {
    const auth = await resolveRegistryAuth(registry, { env: options.env, signal: options.signal, fromEnv: pushRegistries.has(registry) });
    if (!auth) continue;
    config[auth.serveraddress] = toAuthConfig(auth);
    sources[registry] = auth.source;
  }
  return { config, sources };
}
