import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '@ops/testkit';
import { createHostResolver } from './resolve-host.js';

describe('createHostResolver', () => {
  const hostsFile = join(makeTempDir('hosts-').path, 'hosts');
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

  test.each(['nothing-here.invalid', 'a.b.INVALID', 'invalid'])('%s fails as NXDOMAIN without a query (RFC 6761)', async (host) => {
    await expect(resolver.resolve(host)).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  test('names that only contain "invalid" are not short-circuited', async () => {
    writeFileSync(hostsFile, '10.1.1.1 invalidator\n', { flag: 'a' });
    await expect(createHostResolver({ hostsFile }).resolve('invalidator')).resolves.toBe('10.1.1.1');
  });
});
