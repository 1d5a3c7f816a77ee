import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { loadKey } from './credentials.js';

describe('loadKey', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ssh-probe-keys-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test.each([
    ['ed25519', {}],
    ['ecdsa', { bits: 256 }],
    ['rsa', { bits: 2048 }],
  ] as const)('a %s key parsed once signs every probe, and the signatures verify', async (type, opts) => {
    const pair = ssh2.utils.generateKeyPairSync(type as never, opts as never);
    const path = join(dir, `id_${type}`);
    writeFileSync(path, pair.private);
    const key = (await loadKey(path, undefined, true))!;
    const publicKey = ssh2.utils.parseKey(pair.public) as ssh2.ParsedKey;
    for (const data of [Buffer.from('session 1'), Buffer.from('session 2')]) {
      const signature = key.sign(data);
      expect(signature).toBeInstanceOf(Buffer);
      expect(publicKey.verify(data, signature as Buffer)).toBe(true);
    }
    expect(key.getPublicSSH().equals(publicKey.getPublicSSH())).toBe(true);
  });
});
