import { registerSecret } from '@ops/core';
import type { RegistryAuth } from './registry-auth.js';
import { isLoopbackRegistry, type ImageReference } from './image-reference.js';
import { plainRequest } from './plain-request.js';

const ACCEPT = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
].join(', ');

function basicHeader(auth: RegistryAuth | undefined): string | undefined {
  if (!auth?.username || auth.password === undefined) return undefined;
  return `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
}

function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const scheme = header.split(' ')[0]!.toLowerCase();
  const params: Record<string, string> = {};
  for (const m of header.matchAll(/(\w+)="([^"]*)"/g)) params[m[1]!] = m[2]!;
  return { scheme, params };
}

async function bearerToken(params: Record<string, string>, ref: ImageReference, auth: RegistryAuth | undefined, signal?: AbortSignal): Promise<string | undefined> {
  if (!params.realm) return undefined;
  const url = new URL(params.realm);
  if (params.service) url.searchParams.set('service', params.service);
  url.searchParams.set('scope', params.scope ?? `repository:${ref.repository}:pull`);
  const basic = basicHeader(auth);
  const res = await plainRequest(url, { headers: basic ? { authorization: basic } : {}, signal });
  if (res.status < 200 || res.status > 299) return undefined;
  const body = JSON.parse(res.body.toString()) as { token?: string; access_token?: string };
  const token = body.token ?? body.access_token;
  registerSecret(token);
  return token;
}

/**
 * The registry's `Docker-Content-Digest` for `ref` (a manifest HEAD), authenticating with Basic
 * or a Bearer token as the registry asks. Plain HTTP for loopback registries, HTTPS otherwise.
 */
export async function registryDigest(ref: ImageReference, auth: RegistryAuth | undefined, signal?: AbortSignal): Promise<string | undefined> {
  const host = ref.registry === 'docker.io' ? 'registry-1.docker.io' : ref.registry;
  const url = new URL(`${isLoopbackRegistry(host) ? 'http' : 'https'}://${host}/v2/${ref.repository}/manifests/${encodeURIComponent(ref.tag)}`);
  const head = (authorization?: string) => plainRequest(url, { method: 'HEAD', headers: { accept: ACCEPT, ...(authorization ? { authorization } : {}) }, signal });
  let res = await head();
  if (res.status === 401) {
    const { scheme, params } = parseChallenge(String(res.headers['www-authenticate'] ?? ''));
    if (scheme === 'basic') res = await head(basicHeader(auth));
    else if (scheme === 'bearer') {
      const token = await bearerToken(params, ref, auth, signal);
      if (token) res = await head(`Bearer ${token}`);
    }
  }
  if (res.status < 200 || res.status > 299) return undefined;
  const digest = res.headers['docker-content-digest'];
  return typeof digest === 'string' ? digest : undefined;
}
