import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '@ops/core';
import { dockerHostOf, unixSocketOf } from './docker-host.js';
import { EngineModem, type DialOptions, type ModemOptions } from './engine-modem.js';
import { EngineUnreachableError } from '../errors/environment-error.js';

export interface EngineOptions {
  /** Engine address: `unix:///path`, `tcp://host:port`, `ssh://user@host`. Defaults to `DOCKER_HOST`, else unix:///var/run/docker.sock. */
  readonly dockerHost?: string;
  /** Environment to read `DOCKER_HOST`, `DOCKER_TLS_VERIFY`, `DOCKER_CERT_PATH` from. Defaults to `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
}

/** The docker-modem options for an address (exported for tests). */
export function resolveEngineOptions(options: EngineOptions = {}): ModemOptions {
  const env = options.env ?? process.env;
  const host = options.dockerHost ?? dockerHostOf(env);
  const socketPath = unixSocketOf(host);
  if (socketPath !== undefined) return { socketPath };
  let url: URL;
  try {
    url = new URL(host);
  } catch {
    throw new UsageError(`Expected DOCKER_HOST to be unix:///path, tcp://host:port or ssh://user@host, got "${host}"`);
  }
  if (url.protocol === 'ssh:') return { protocol: 'ssh', host: url.hostname, port: url.port ? Number(url.port) : 22, username: url.username || undefined };
  if (!['tcp:', 'http:', 'https:'].includes(url.protocol)) throw new UsageError(`Expected DOCKER_HOST to be unix://, tcp:// or ssh://, got "${host}"`);
  const verify = env.DOCKER_TLS_VERIFY !== undefined && env.DOCKER_TLS_VERIFY !== '' && env.DOCKER_TLS_VERIFY !== '0';
  const tls = verify || url.protocol === 'https:' || url.port === '2376';
  const port = url.port ? Number(url.port) : tls ? 2376 : 2375;
  if (!tls) return { protocol: 'http', host: url.hostname, port };
  const certPath = env.DOCKER_CERT_PATH || join(homedir(), '.docker');
  const read = (name: string) => {
    try {
      return readFileSync(join(certPath, name));
    } catch (error) {
      throw new UsageError(`cannot read ${name} from DOCKER_CERT_PATH ${certPath}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { hint: 'point DOCKER_CERT_PATH at the directory holding ca.pem, cert.pem and key.pem' });
    }
  };
  return { protocol: 'https', host: url.hostname, port, ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem'), ...(verify ? {} : { checkServerIdentity: () => undefined }) };
}

/**
 * What the library needs of an Engine client: a `modem` with docker-modem's `dial(options,
 * callback)` (every call goes through it). A dockerode instance is one too. Created by `createEngine()`.
 */
export interface Engine {
  readonly modem: { dial(options: { readonly path: string; readonly method: string; readonly [option: string]: unknown }, callback: (error: unknown, result?: unknown) => void): void };
}

/**
 * A client for the engine named by `DOCKER_HOST` (or `options.dockerHost`): `EngineModem`, a few
 * dozen lines on `node:http`, not dockerode or docker-modem, which load ssh2 (and dockerode gRPC
 * and protobuf) on import: most of a trivial build's start-up time.
 */
export function createEngine(options: EngineOptions = {}): Engine {
  return { modem: new EngineModem(resolveEngineOptions(options)) };
}

/** One Engine API call through the modem: the parsed JSON body, or the response stream with `isStream`. */
export function dial<T>(engine: Engine, options: DialOptions): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    engine.modem.dial(options, (error: unknown, result: unknown) => (error ? reject(error) : resolve(result as T)));
  });
}

/** `GET /images/{name}/json`. */
export function inspectImage(engine: Engine, name: string, signal?: AbortSignal): Promise<{ Id: string; RepoTags: string[]; Config: { Labels: Record<string, string> | null } }> {
  return dial(engine, { path: `/images/${name}/json`, method: 'GET', abortSignal: signal, statusCodes: { 200: true, 404: 'no such image', 500: 'server error' } });
}

/** Describes where the engine is, for messages. */
export function engineAddress(docker: Engine): string {
  const o = (docker as unknown as { modem: { socketPath?: string; host?: string; port?: number; protocol?: string } }).modem;
  return o.socketPath ? `unix://${o.socketPath}` : `${o.protocol ?? 'http'}://${o.host}:${o.port}`;
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOENT', 'EACCES', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'EPIPE', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID', 'ERR_SSL_WRONG_VERSION_NUMBER']);

/** Turns a connection failure into `EngineUnreachableError`; other errors come back as they are. */
export function asEngineError(error: unknown, docker: Engine): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && UNREACHABLE.has(code)) {
    return new EngineUnreachableError(`the Docker engine at ${engineAddress(docker)} could not be reached: ${code}`, { cause: error });
  }
  return error;
}

/** Pings the engine; throws `EngineUnreachableError` when it does not answer. */
export async function pingEngine(docker: Engine, signal?: AbortSignal): Promise<void> {
  try {
    await dial(docker, { path: '/_ping', method: 'GET', abortSignal: signal, statusCodes: { 200: true, 500: 'server error' } });
  } catch (error) {
    const mapped = asEngineError(error, docker);
    if (mapped !== error) throw mapped;
    throw new EngineUnreachableError(`the Docker engine at ${engineAddress(docker)} did not answer a ping: ${(error as Error).message}`, { cause: error });
  }
}
