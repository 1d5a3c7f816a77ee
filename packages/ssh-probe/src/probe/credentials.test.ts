import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { loadKey } from './credentials.js';

describe('loadKey', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ssh-probe-keys-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // Keys made by OpenSSH's ssh-keygen, as users have them (ssh2's generateKeyPairSync makes an
  // unreadable ed25519 key about once in 256: mscdex/ssh2#1513).
  test.each([
    ['ed25519', []],
    ['ecdsa', ['-b', '256']],
    ['rsa', ['-b', '2048']],
  ] as const)('a %s key parsed once signs every probe, and the signatures verify', async (type, bits) => {
    const path = join(dir, `id_${type}`);
    execFileSync('ssh-keygen', ['-q', '-t', type, ...bits, '-N', '', '-C', 'ops-test', '-f', path]);
    const key = (await loadKey(path, undefined, true))!;
    const publicKey = ssh2.utils.parseKey(readFileSync(`${path}.pub`)) as ssh2.ParsedKey;
    for (const data of [Buffer.from('session 1'), Buffer.from('session 2')]) {
      const signature = key.sign(data);
      expect(signature).toBeInstanceOf(Buffer);
      expect(publicKey.verify(data, signature as Buffer)).toBe(true);
    }
    expect(key.getPublicSSH().equals(publicKey.getPublicSSH())).toBe(true);
  });
});
