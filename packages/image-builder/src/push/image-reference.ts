/** An image reference split the way the docker CLI normalises it. */
export interface ImageReference {
  /** Registry host (`docker.io` for Docker Hub), with its port. */
  readonly registry: string;
  /** Repository path inside the registry (`library/busybox` on Docker Hub). */
  readonly repository: string;
  /** Tag. Defaults to `latest`. */
  readonly tag: string;
  /** `registry/repository` as the daemon's push endpoint takes it (without `docker.io/`). */
  readonly name: string;
}

/** Splits `[registry/]name[:tag]`: the first part is a registry when it has a `.` or `:` or is `localhost`. */
export function parseImageReference(reference: string): ImageReference {
  const withoutDigest = reference.split('@')[0]!;
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const tag = colon > slash ? withoutDigest.slice(colon + 1) : 'latest';
  const repo = colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
  const first = repo.split('/')[0]!;
  const hasRegistry = repo.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasRegistry) {
    const repository = repo.slice(first.length + 1);
    return { registry: first, repository, tag, name: repo };
  }
  const repository = repo.includes('/') ? repo : `library/${repo}`;
  return { registry: 'docker.io', repository, tag, name: repo };
}

/** The host part of a docker config `auths` key (`https://host/v1/` -> `host`). */
export function registryHostname(key: string): string {
  const stripped = key.replace(/^https?:\/\//i, '');
  return stripped.split('/')[0]!;
}

/** True for registries the daemon talks to over plain HTTP by default (loopback). */
export function isLoopbackRegistry(registry: string): boolean {
  const host = registry.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** The server address docker uses for credentials: Docker Hub has a legacy one. */
export function credentialServerAddress(registry: string): string {
  return registry === 'docker.io' || registry === 'index.docker.io' || registry === 'registry-1.docker.io' ? 'https://index.docker.io/v1/' : registry;
}
