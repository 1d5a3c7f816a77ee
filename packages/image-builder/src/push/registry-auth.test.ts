import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redactString } from '@ops/core';
import { parseImageReference, isLoopbackRegistry } from './image-reference.js';
import { resolveRegistryAuth, toAuthConfig } from './registry-auth.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function configDir(config: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'ib-auth-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}

describe('image references', () => {
  test.each([
    ['busybox', { registry: 'docker.io', repository: 'library/busybox', tag: 'latest', name: 'busybox' }],
    ['org/app:1.2', { registry: 'docker.io', repository: 'org/app', tag: '1.2', name: 'org/app' }],
    ['127.0.0.1:5000/team/app:v1', { registry: '127.0.0.1:5000', repository: 'team/app', tag: 'v1', name: '127.0.0.1:5000/team/app' }],
    ['localhost/app', { registry: 'localhost', repository: 'app', tag: 'latest', name: 'localhost/app' }],
    ['ghcr.io/o/r:sha-1', { registry: 'ghcr.io', repository: 'o/r', tag: 'sha-1', name: 'ghcr.io/o/r' }],
  ])('%s', (ref, expected) => {
    expect(parseImageReference(ref)).toEqual(expected);
  });

  test.each([['127.0.0.1:5000', true], ['localhost:5000', true], ['[::1]:5000', true], ['ghcr.io', false]])('%s is loopback: %s', (r, expected) => {
    expect(isLoopbackRegistry(r)).toBe(expected);
  });
});

describe('registry credentials', () => {
  const auth = Buffer.from('ci:pa55-from-config').toString('base64');

  test('auths entries match by host, with or without scheme and path', async () => {
    const dir = configDir({ auths: { 'https://127.0.0.1:5000/v2/': { auth } } });
    const found = await resolveRegistryAuth('127.0.0.1:5000', { env: { DOCKER_CONFIG: dir } });
    expect(found).toMatchObject({ username: 'ci', password: 'pa55-from-config', serveraddress: '127.0.0.1:5000' });
    expect(toAuthConfig(found)).toEqual({ username: 'ci', password: 'pa55-from-config', serveraddress: '127.0.0.1:5000' });
    expect(redactString('login with pa55-from-config')).toBe('login with [REDACTED]');
    expect(redactString(`header ${auth}`)).toBe('header [REDACTED]');
  });

  test('REGISTRY_USERNAME/REGISTRY_PASSWORD win over the config', async () => {
    const dir = configDir({ auths: { '127.0.0.1:5000': { auth } } });
    const found = await resolveRegistryAuth('127.0.0.1:5000', { env: { DOCKER_CONFIG: dir, REGISTRY_USERNAME: 'env-user', REGISTRY_PASSWORD: 'env-pa55word' } });
    expect(found).toMatchObject({ username: 'env-user', password: 'env-pa55word', source: 'REGISTRY_USERNAME/REGISTRY_PASSWORD' });
  });

  test('Docker Hub uses its legacy server address', async () => {
    const dir = configDir({ auths: { 'https://index.docker.io/v1/': { auth } } });
    expect(await resolveRegistryAuth('docker.io', { env: { DOCKER_CONFIG: dir } })).toMatchObject({ serveraddress: 'https://index.docker.io/v1/', username: 'ci' });
  });

  test('no config, no entry, or an identity token', async () => {
    expect(await resolveRegistryAuth('r.example', { env: { DOCKER_CONFIG: join(tmpdir(), 'ib-none-xyz') } })).toBeUndefined();
    expect(await resolveRegistryAuth('r.example', { env: { DOCKER_CONFIG: configDir({ auths: {} }) } })).toBeUndefined();
    expect(await resolveRegistryAuth('r.example', { env: { DOCKER_CONFIG: configDir({ auths: { 'r.example': { identitytoken: 'tok-123456' } } }) } })).toMatchObject({ identitytoken: 'tok-123456' });
  });

  test('credHelpers run docker-credential-<name>; a missing helper falls back to auths', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'ib-helper-'));
    dirs.push(bin);
    writeFileSync(join(bin, 'docker-credential-ibtest'), '#!/bin/sh\nread server\nprintf \'{"ServerURL":"%s","Username":"helper-user","Secret":"helper-s3cret"}\' "$server"\n');
    chmodSync(join(bin, 'docker-credential-ibtest'), 0o755);
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path}`;
    try {
      const dir = configDir({ credHelpers: { 'reg.example': 'ibtest' }, auths: { 'reg.example': { auth } } });
      expect(await resolveRegistryAuth('reg.example', { env: { DOCKER_CONFIG: dir } })).toMatchObject({ username: 'helper-user', password: 'helper-s3cret', source: 'docker-credential-ibtest' });
      expect(redactString('helper-s3cret')).toBe('[REDACTED]');
      const missing = configDir({ credsStore: 'not-installed-xyz', auths: { 'reg.example': { auth } } });
      expect(await resolveRegistryAuth('reg.example', { env: { DOCKER_CONFIG: missing } })).toMatchObject({ username: 'ci' });
    } finally {
      process.env.PATH = path;
    }
  });

  test('a broken config is a clear error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ib-auth-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'config.json'), '{nope');
    await expect(resolveRegistryAuth('r.example', { env: { DOCKER_CONFIG: dir } })).rejects.toMatchObject({ code: 'IMAGE_CREDENTIALS_INVALID' });
  });
});
