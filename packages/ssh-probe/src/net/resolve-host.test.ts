import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHostResolver } from './resolve-host.js';

describe('createHostResolver', () => {
  const hostsFile = join(mkdtempSync(join(tmpdir(), 'hosts-')), 'hosts');
  writeFileSync(hostsFile, '127.0.0.1 localhost\n::1 localhost ip6-localhost\n10.9.8.7 app-one app1 # comment\n# 1.2.3.4 gone\n');
  const resolver = createHostResolver({ hostsFile, timeoutMs: 2000 });

  test.each([
    ['10.0.0.1', '10.0.0.1'],
    ['::1', '::1'],
    ['[2001:db8::1]', '2001:db8::1'],
    ['localhost', '127.0.0.1'],
    ['ip6-localhost', '::1'],
    ['APP1', '10.9.8.7'],
  ])('%s -> %s without DNS', async (host, address) => {
    await expect(resolver.resolve(host)).resolves.toBe(address);
  });

  test('.invalid names fail with a negative DNS answer', async () => {
    await expect(resolver.resolve('nothing-here.invalid')).rejects.toMatchObject({ code: expect.stringMatching(/ENOTFOUND|ENODATA/) });
  });
});
