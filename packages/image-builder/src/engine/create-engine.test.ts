import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveEngineOptions } from './create-engine.js';

describe('engine address from the environment', () => {
  const certs = mkdtempSync(join(tmpdir(), 'ib-certs-'));
  for (const f of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(certs, f), f);
  afterAll(() => rmSync(certs, { recursive: true, force: true }));

  test.each<[string, NodeJS.ProcessEnv, Record<string, unknown>]>([
    ['default socket', {}, { socketPath: '/var/run/docker.sock' }],
    ['unix', { DOCKER_HOST: 'unix:///tmp/d.sock' }, { socketPath: '/tmp/d.sock' }],
    ['tcp', { DOCKER_HOST: 'tcp://10.0.0.1:2375' }, { protocol: 'http', host: '10.0.0.1', port: 2375 }],
    ['tcp with TLS', { DOCKER_HOST: 'tcp://d.example:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs }, { protocol: 'https', host: 'd.example', port: 2376, ca: Buffer.from('ca.pem'), cert: Buffer.from('cert.pem'), key: Buffer.from('key.pem') }],
    ['ssh', { DOCKER_HOST: 'ssh://ci@build-host' }, { protocol: 'ssh', host: 'build-host', port: 22, username: 'ci' }],
  ])('%s', (_name, env, expected) => {
    expect(resolveEngineOptions({ env })).toEqual(expected);
  });

  test.each([
    [{ DOCKER_HOST: 'ftp://x' }, /Expected DOCKER_HOST/],
    [{ DOCKER_HOST: 'tcp://d:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/nonexistent-xyz' }, /cannot read ca.pem from DOCKER_CERT_PATH/],
  ])('%j is a usage error', (env, message) => {
    expect(() => resolveEngineOptions({ env })).toThrow(message);
  });
});
