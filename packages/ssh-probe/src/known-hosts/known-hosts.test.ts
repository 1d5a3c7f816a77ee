import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '@ops/testkit';
import { entryMatches, fingerprint, hashHostName, keyTypeOf, knownHostsName, parseKnownHosts } from './known-hosts-file.js';
import { loadKnownHosts } from './known-hosts-store.js';

function blob(type: string, body: string): Buffer {
  const t = Buffer.from(type);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(t.length);
  return Buffer.concat([len, t, Buffer.from(body)]);
}
const KEY_A = blob('ssh-ed25519', 'key-a');
const KEY_B = blob('ssh-ed25519', 'key-b');
const RSA = blob('ssh-rsa', 'rsa-key');

describe('known_hosts matching', () => {
  test.each([
    ['web1', 'web1', true],
    ['web1,10.0.0.1', '10.0.0.1', true],
    ['WEB1', 'web1', true],
    ['*.example.com', 'a.example.com', true],
    ['*.example.com,!bad.example.com', 'bad.example.com', false],
    ['web?', 'web7', true],
    ['[web1]:2222', '[web1]:2222', true],
    ['[web1]:2222', 'web1', false],
    ['web1', '[web1]:2222', false],
    [hashHostName('[10.1.1.1]:2200'), '[10.1.1.1]:2200', true],
    [hashHostName('web1'), 'web2', false],
    ['|1|bad', 'web1', false],
  ])('%s matches %s: %s', (hosts, name, expected) => {
    expect(entryMatches(hosts, name)).toBe(expected);
  });

  test('an entry hashed by ssh-keygen -H', () => {
    // `ssh-keygen -H` output for "[127.0.0.1]:2222"
    const hashed = '|1|hlwSeYC0UUZ6sgDIfCnoTn/ikjU=|nJgphgnl828dlrH4g3jm5XZ6Q9U=';
    expect(entryMatches(hashed, '[127.0.0.1]:2222')).toBe(true);
    expect(entryMatches(hashed, '[127.0.0.1]:2223')).toBe(false);
    expect(entryMatches(hashed, '127.0.0.1')).toBe(false);
  });

  test('parse skips comments and bad lines, keeps markers', () => {
    const text = `# comment\nweb1 ssh-ed25519 ${KEY_A.toString('base64')} me@x\n@revoked web2 ssh-rsa ${RSA.toString('base64')}\nbroken line\n`;
    expect(parseKnownHosts(text)).toEqual([
      { marker: undefined, hosts: 'web1', type: 'ssh-ed25519', key: KEY_A.toString('base64') },
      { marker: '@revoked', hosts: 'web2', type: 'ssh-rsa', key: RSA.toString('base64') },
    ]);
  });

  test.each([['h', 22, 'h'], ['h', 2222, '[h]:2222'], ['::1', 2222, '[::1]:2222']])('knownHostsName(%s, %d)', (host, port, name) => {
    expect(knownHostsName(host, port)).toBe(name);
  });

  test('key type and fingerprint of a blob', () => {
    expect(keyTypeOf(RSA)).toBe('ssh-rsa');
    expect(fingerprint(KEY_A)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });
});

describe('loadKnownHosts().verify', () => {
  const dir = makeTempDir('kh-').path;
  let n = 0;
  const file = (text: string) => {
    const path = join(dir, `kh${++n}`);
    writeFileSync(path, text);
    return path;
  };

  test.each([
    ['known key', `[h]:2222 ssh-ed25519 ${KEY_A.toString('base64')}\n`, KEY_A, 'yes', true],
    ['changed key', `[h]:2222 ssh-ed25519 ${KEY_B.toString('base64')}\n`, KEY_A, 'accept-new', false],
    ['changed key, checks off', `[h]:2222 ssh-ed25519 ${KEY_B.toString('base64')}\n`, KEY_A, 'no', true],
    ['unknown host, strict', '', KEY_A, 'yes', false],
    ['unknown host, accept-new', '', KEY_A, 'accept-new', true],
    ['only another type known', `[h]:2222 ssh-rsa ${RSA.toString('base64')}\n`, KEY_A, 'accept-new', true],
    ['revoked', `@revoked * ssh-ed25519 ${KEY_A.toString('base64')}\n[h]:2222 ssh-ed25519 ${KEY_A.toString('base64')}\n`, KEY_A, 'accept-new', false],
    ['hashed entry', `${hashHostName('[h]:2222')} ssh-ed25519 ${KEY_A.toString('base64')}\n`, KEY_A, 'yes', true],
    ['port 22 is the bare name', `h ssh-ed25519 ${KEY_A.toString('base64')}\n`, KEY_A, 'yes', false],
  ] as const)('%s', async (_name, text, key, policy, ok) => {
    const store = await loadKnownHosts(file(text));
    expect((await store.verify('h', 2222, key, policy)).ok).toBe(ok);
  });

  test('accept-new appends the key once, in [host]:port form, creating the file', async () => {
    const path = join(dir, 'sub', 'known_hosts');
    const store = await loadKnownHosts(path);
    const verdicts = await Promise.all([store.verify('h', 2222, KEY_A, 'accept-new'), store.verify('h', 2222, KEY_A, 'accept-new')]);
    expect(verdicts.filter((v) => v.ok && v.recorded)).toHaveLength(1);
    expect(readFileSync(path, 'utf8')).toBe(`[h]:2222 ssh-ed25519 ${KEY_A.toString('base64')}\n`);
    expect(store.knownTypes('h', 2222)).toEqual(['ssh-ed25519']);
  });

  test('a file of hashed names gets a hashed name', async () => {
    const path = file(`${hashHostName('other')} ssh-ed25519 ${KEY_B.toString('base64')}\n`);
    const store = await loadKnownHosts(path);
    expect(await store.verify('h', 2222, KEY_A, 'accept-new')).toEqual({ ok: true, recorded: true });
    const added = readFileSync(path, 'utf8').trim().split('\n')[1]!;
    expect(added).toMatch(/^\|1\|[^ ]+ ssh-ed25519 /);
    expect(entryMatches(added.split(' ')[0]!, '[h]:2222')).toBe(true);
    expect((await (await loadKnownHosts(path)).verify('h', 2222, KEY_A, 'yes')).ok).toBe(true);
  });
});
