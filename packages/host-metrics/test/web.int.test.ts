// --web-config in node_exporter's format (TLS and bcrypt basic auth), checked with real clients
// (curl, and Node's TLS stack), and gzip when a scraper asks for it.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { freePort, makeTempDir, startServiceProcess, waitFor, type ServiceProcess } from '@ops/testkit';
import bcrypt from 'bcryptjs';
import { CLI, runCli, startAgentProcess } from './run-cli.js';

const run = promisify(execFile);

/** A CA and a server certificate for 127.0.0.1 made with openssl. */
async function certificates(dir: string): Promise<void> {
  const o = (...args: string[]) => run('openssl', args, { cwd: dir });
  await o('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=test CA', '-keyout', 'ca.key', '-out', 'ca.crt');
  await o('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', 'server.key', '-out', 'server.csr');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  await o('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'san.ext', '-out', 'server.crt');
}

async function curl(args: string[]): Promise<{ status: number; body: string }> {
  const { stdout } = await run('curl', ['-sS', '-w', '\n%{http_code}', ...args]).catch((e: { stdout: string }) => ({ stdout: e.stdout }));
  const at = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(at + 1)), body: stdout.slice(0, at) };
}

describe('TLS and basic auth', () => {
  let dir: string;
  let agent: ServiceProcess;
  let url: string;
  let plainUrl: string;
  beforeAll(async () => {
    dir = makeTempDir('host-metrics-web-').path;
    await certificates(dir);
    // $2y$ as htpasswd writes it; relative paths resolve beside the config file.
    const hash = bcrypt.hashSync('s3cret-pass', 8).replace(/^\$2b\$/, '$2y$');
    writeFileSync(join(dir, 'web.yml'), `tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  min_version: TLS12\nbasic_auth_users:\n  prometheus: '${hash}'\n`);
    const port = await freePort();
    agent = startServiceProcess({ name: 'agent with TLS', command: process.execPath, args: [CLI, 'serve', '--listen', '127.0.0.1', '--port', String(port), '--interval', '1s', '--web-config', join(dir, 'web.yml')] });
    url = `https://127.0.0.1:${port}`;
    plainUrl = `http://127.0.0.1:${port}`;
    await waitFor('agent ready over TLS', async () => (await curl(['--cacert', join(dir, 'ca.crt'), '-u', 'prometheus:s3cret-pass', `${url}/readyz`])).status === 200, { timeoutMs: 30_000, failIf: agent.exited });
  }, 60_000);
  afterAll(() => agent?.stop());

  test('curl over TLS (verifying the certificate) with the right password gets the metrics', async () => {
    const res = await curl(['--cacert', join(dir, 'ca.crt'), '-u', 'prometheus:s3cret-pass', `${url}/metrics`]);
    expect(res.status).toBe(200);
    expect(res.body).toContain('# TYPE host_cpu_seconds_total counter');
  });

  test('a wrong password, an unknown user and no credentials get 401 with a Basic challenge', async () => {
    for (const user of [['-u', 'prometheus:wrong'], ['-u', 'nobody:s3cret-pass'], []]) {
      const res = await curl(['--cacert', join(dir, 'ca.crt'), '-D', '-', ...user, `${url}/metrics`]);
      expect(res.status).toBe(401);
      expect(res.body).toMatch(/www-authenticate: Basic realm="host-metrics"/i);
      expect(res.body).not.toContain('host_cpu');
    }
  });

  test('Node\'s TLS client sees the certificate; plain HTTP gets no metrics', async () => {
    const cert = await new Promise<{ subject: string; protocol: string | null }>((resolve, reject) => {
      const req = request(`${url}/healthz`, { ca: readFileSync(join(dir, 'ca.crt')), auth: 'prometheus:s3cret-pass' }, (res) => {
        const socket = res.socket as TLSSocket;
        resolve({ subject: String(socket.getPeerCertificate().subject.CN), protocol: socket.getProtocol() });
        res.resume();
      });
      req.on('error', reject);
      req.end();
    });
    expect(cert.subject).toBe('127.0.0.1');
    expect(cert.protocol).toMatch(/^TLSv1\.[23]$/);
    const plain = await curl([`${plainUrl}/metrics`]);
    expect(plain.status).not.toBe(200);
  });

  test('a bad web config is a usage error naming the file, without the hash', async () => {
    writeFileSync(join(dir, 'bad.yml'), 'basic_auth_users:\n  prometheus: plain-text-password\n');
    const result = await runCli(['serve', '--port', '0', '--web-config', join(dir, 'bad.yml')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('basic_auth_users.prometheus is not a bcrypt hash');
    expect(result.stderr).not.toContain('plain-text-password');
  });
});

test('gzip when Accept-Encoding asks, identity otherwise', async () => {
  const a = await startAgentProcess(['--interval', '1s']);
  try {
    const zipped = await fetch(`${a.url}/metrics`, { headers: { 'Accept-Encoding': 'gzip' } });
    // fetch decompresses: the header and the text show both sides.
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.headers.get('vary')).toBe('Accept-Encoding');
    expect(await zipped.text()).toContain('host_cpu_seconds_total');
    const { stdout } = await run('sh', ['-c', `curl -sS -H 'Accept-Encoding: gzip' ${a.url}/metrics | gzip -dc | grep -c '^host_'`]);
    expect(Number(stdout)).toBeGreaterThan(10);
    const plain = await curl(['-D', '-', '-H', 'Accept-Encoding: identity', `${a.url}/metrics`]);
    expect(plain.body).not.toMatch(/content-encoding/i);
    expect(plain.body).toContain('host_cpu_seconds_total');
  } finally {
    await a.proc.stop();
  }
});
