import type { IncomingMessage } from 'node:http';
import { dial, type Engine } from './create-engine.js';
import { engineCall } from './engine-call.js';

/** What the engine says about itself (GET /version). */
export interface EngineInfo {
  /** Engine API version, e.g. `1.41`. */
  readonly apiVersion: string;
  /** Daemon version, e.g. `20.10.24`. */
  readonly version: string;
  /** `linux` or `windows`. */
  readonly os: string;
  /** Whether the daemon has BuildKit (API 1.39+ on Linux). */
  readonly buildkit: boolean;
}

/** Compares dotted versions numerically (`1.41` > `1.9`). */
export function versionAtLeast(version: string, minimum: string): boolean {
  const a = version.split(/[.+-]/).map((p) => Number.parseInt(p, 10) || 0);
  const b = minimum.split('.').map(Number);
  for (let i = 0; i < b.length; i++) if ((a[i] ?? 0) !== b[i]) return (a[i] ?? 0) > b[i]!;
  return true;
}

/**
 * Asks the engine what it is, within `timeoutMs` (it also proves the engine answers): `HEAD /_ping`,
 * as the docker CLI does, whose headers carry the API version, the OS and (in `Server`) the daemon
 * version; `GET /version` only when a proxy dropped those headers. `/version` gathers kernel and
 * component details: tens of ms on a busy daemon, a tenth of a trivial build.
 */
export async function engineInfo(docker: Engine, options: { timeoutMs: number; signal?: AbortSignal }): Promise<EngineInfo> {
  const ping = await engineCall(docker, 'HEAD /_ping', options, (signal) => dial<IncomingMessage>(docker, { path: '/_ping', method: 'HEAD', abortSignal: signal, isStream: true, statusCodes: { 200: true, 500: 'server error' } }));
  ping.resume();
  const header = (name: string) => (typeof ping.headers[name] === 'string' ? ping.headers[name] : undefined);
  const server = /^Docker\/(\S+)/.exec(header('server') ?? '')?.[1];
  let v: { ApiVersion?: string; Version?: string; Os?: string } = { ApiVersion: header('api-version'), Version: server, Os: header('ostype') };
  if (!v.ApiVersion || !v.Version) v = await engineCall(docker, 'GET /version', options, (signal) => dial(docker, { path: '/version', method: 'GET', abortSignal: signal, statusCodes: { 200: true, 500: 'server error' } }));
  const apiVersion = v.ApiVersion ?? '1.24';
  const os = (v.Os ?? 'linux').toLowerCase();
  return { apiVersion, version: v.Version ?? '', os, buildkit: os === 'linux' && versionAtLeast(apiVersion, '1.39') };
}
