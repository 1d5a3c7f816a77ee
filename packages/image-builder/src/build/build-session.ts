import { dial, type Engine } from '../engine/create-engine.js';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { registerSecret } from '@ops/core';
import type * as Grpc from '@grpc/grpc-js';
import { engineCall } from '../engine/engine-call.js';
import { FeatureError } from '../errors/feature-error.js';
import { readFields, writeFields } from '../stream/protobuf-wire.js';
import { registryHostname } from '../push/image-reference.js';

export interface BuildSessionOptions {
  /** serveraddress -> auth config, answered to the daemon's `Auth/Credentials` calls. */
  readonly auth: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Secrets served to `RUN --mount=type=secret`. */
  readonly secrets: readonly { readonly id: string; readonly src: string }[];
  /** SSH agents forwarded to `RUN --mount=type=ssh`: `default` or `id=socket`. */
  readonly ssh: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

const decoder = new TextDecoder();
const bytesField = (buf: Buffer, n: number) => {
  for (const f of readFields(buf)) if (f.field === n && f.bytes) return decoder.decode(f.bytes);
  return '';
};
type Unary = (call: Grpc.ServerUnaryCall<Buffer, Buffer>, done: Grpc.sendUnaryData<Buffer>) => void;
const raw = { requestSerialize: (b: Buffer) => b, requestDeserialize: (b: Buffer) => b, responseSerialize: (b: Buffer) => b, responseDeserialize: (b: Buffer) => b };
const unary = (path: string) => ({ path, requestStream: false, responseStream: false, ...raw });

/**
 * Opens a BuildKit session on the engine (`POST /session`, upgraded to h2c) and serves gRPC on it
 * as the docker CLI does: health checks, registry credentials (`moby.filesync.v1.Auth`), secrets
 * read from files (`moby.buildkit.secrets.v1.Secrets`) and SSH agent forwarding
 * (`moby.sshforward.v1.SSH`). Secret values are registered for redaction and never logged.
 */
export async function startBuildSession(docker: Engine, options: BuildSessionOptions): Promise<{ id: string; close: () => void }> {
  const secrets = new Map<string, Buffer>();
  for (const s of options.secrets) {
    const value = await readFile(s.src).catch((error: NodeJS.ErrnoException) => {
      throw new FeatureError('--secret', `secret "${s.id}" cannot be read from ${s.src}: ${error.code ?? error.message}`, { hint: 'pass --secret id=NAME,src=FILE with a readable file' });
    });
    if (value.length) registerSecret(value.toString('utf8'));
    secrets.set(s.id, value);
  }
  const agents = new Map<string, string>();
  for (const entry of options.ssh) {
    const [id, path] = entry.includes('=') ? [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)] : [entry, options.env.SSH_AUTH_SOCK];
    if (!path) throw new FeatureError('--ssh', `--ssh ${id} needs an SSH agent: SSH_AUTH_SOCK is not set`, { hint: 'start ssh-agent (eval $(ssh-agent); ssh-add) or pass --ssh default=/path/to/agent.sock' });
    agents.set(id, path);
  }

  // Loaded here, not on import: gRPC costs start-up time that classic builds and pushes need not pay.
  const grpc = await import('@grpc/grpc-js');
  const server = new grpc.Server();
  const health: Unary = (_call, done) => done(null, writeFields([[1, 1]]));
  server.addService({ Check: unary('/grpc.health.v1.Health/Check') } as unknown as Grpc.ServiceDefinition, { Check: health });
  const credentials: Unary = (call, done) => {
    const host = bytesField(call.request, 1);
    const entry = Object.entries(options.auth).find(([key]) => registryHostname(key) === host || (host === 'registry-1.docker.io' && key.includes('index.docker.io')))?.[1];
    if (!entry) return done(null, writeFields([]));
    if (entry.identitytoken) return done(null, writeFields([[2, entry.identitytoken]]));
    done(null, writeFields([[1, entry.username ?? ''], [2, entry.password ?? '']]));
  };
  server.addService({ Credentials: unary('/moby.filesync.v1.Auth/Credentials') } as unknown as Grpc.ServiceDefinition, { Credentials: credentials });
  const getSecret: Unary = (call, done) => {
    const id = bytesField(call.request, 1);
    const value = secrets.get(id);
    if (!value) return done({ code: grpc.status.NOT_FOUND, details: `secret ${id} not provided (pass --secret id=${id},src=FILE)` });
    done(null, writeFields([[1, value]]));
  };
  server.addService({ GetSecret: unary('/moby.buildkit.secrets.v1.Secrets/GetSecret') } as unknown as Grpc.ServiceDefinition, { GetSecret: getSecret });
  const checkAgent: Unary = (call, done) => {
    const id = bytesField(call.request, 1) || 'default';
    if (!agents.has(id)) return done({ code: grpc.status.NOT_FOUND, details: `no SSH agent for id ${id} (pass --ssh ${id})` });
    done(null, writeFields([]));
  };
  const forwardAgent = (call: Grpc.ServerDuplexStream<Buffer, Buffer>) => {
    const id = String(call.metadata.get('buildkit.ssh.id')[0] ?? '') || 'default';
    const path = agents.get(id);
    if (!path) return call.destroy(new Error(`no SSH agent for id ${id}`));
    const agent = connect(path);
    agent.on('data', (chunk: Buffer) => call.write(writeFields([[1, chunk]])));
    agent.on('error', (error) => call.destroy(error));
    agent.on('close', () => call.end());
    call.on('data', (message: Buffer) => {
      for (const f of readFields(message)) if (f.field === 1 && f.bytes) agent.write(f.bytes);
    });
    call.on('end', () => agent.end());
    call.on('error', () => agent.destroy());
  };
  server.addService({
    CheckAgent: unary('/moby.sshforward.v1.SSH/CheckAgent'),
    ForwardAgent: { path: '/moby.sshforward.v1.SSH/ForwardAgent', requestStream: true, responseStream: true, ...raw },
  } as unknown as Grpc.ServiceDefinition, { CheckAgent: checkAgent, ForwardAgent: forwardAgent });

  const methods = ['/grpc.health.v1.Health/Check', '/moby.filesync.v1.Auth/Credentials'];
  if (secrets.size) methods.push('/moby.buildkit.secrets.v1.Secrets/GetSecret');
  if (agents.size) methods.push('/moby.sshforward.v1.SSH/CheckAgent', '/moby.sshforward.v1.SSH/ForwardAgent');
  const id = randomUUID();
  const socket = await engineCall(docker, 'POST /session', options, (signal) => dial<Duplex>(docker, {
      method: 'POST',
      path: '/session',
      hijack: true,
      abortSignal: signal,
      headers: {
        Upgrade: 'h2c',
        'X-Docker-Expose-Session-Uuid': id,
        'X-Docker-Expose-Session-Name': 'image-builder',
        'X-Docker-Expose-Session-Sharedkey': randomBytes(16).toString('hex'),
        'X-Docker-Expose-Session-Grpc-Method': methods,
      },
      statusCodes: { 101: true, 200: true, 500: 'server error' },
  }));
  server.createConnectionInjector(grpc.ServerCredentials.createInsecure()).injectConnection(socket);
  return {
    id,
    close: () => {
      server.forceShutdown();
      socket.destroy();
    },
  };
}
