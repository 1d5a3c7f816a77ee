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

/** Asks the engine for its version, within `timeoutMs` (it also proves the engine answers). */
export async function engineInfo(docker: Engine, options: { timeoutMs: number; signal?: AbortSignal }): Promise<EngineInfo> {
  const v = await engineCall(docker, 'GET /version', options, (signal) => dial<{ ApiVersion?: string; Version?: string; Os?: string }>(docker, { path: '/version', method: 'GET', abortSignal: signal, statusCodes: { 200: true, 500: 'server error' } }));
  const apiVersion = v.ApiVersion ?? '1.24';
  const os = (v.Os ?? 'linux').toLowerCase();
  return { apiVersion, version: v.Version ?? '', os, buildkit: os === 'linux' && versionAtLeast(apiVersion, '1.39') };
}
