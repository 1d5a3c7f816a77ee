import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasCode } from '@ops/core';
import { makeTempDir } from '@ops/testkit';
import { loadSshConfig } from './load-ssh-config.js';
import { sshConfigTargets } from './ssh-config.js';
import { detectInventoryFormat, parseInventory } from './parse-inventory.js';
import { parseTargetSpec } from './parse-target.js';
import { parseShard, selectShard } from './shard.js';

describe('parseTargetSpec', () => {
  test.each([
    ['web1', { host: 'web1' }],
    ['web1:2222', { host: 'web1', port: 2222 }],
    ['deploy@web1', { host: 'web1', user: 'deploy' }],
    ['deploy@10.0.0.5:22', { host: '10.0.0.5', port: 22, user: 'deploy' }],
    ['[::1]:2222', { host: '::1', port: 2222 }],
    ['admin@[2001:db8::7]:22', { host: '2001:db8::7', port: 22, user: 'admin' }],
    ['[fe80::1]', { host: 'fe80::1' }],
    ['2001:db8::1', { host: '2001:db8::1' }],
    ['a@b@host', { host: 'host', user: 'a@b' }],
  ])('%s', (spec, expected) => {
    expect(parseTargetSpec(spec)).toEqual(expected);
  });

  test.each([
    ['web1:0', /1-65535/], ['web1:70000', /1-65535/], ['web1:ssh', /1-65535/], ['@web1', /empty user/],
    ['[::1', /missing "]"/], ['[::1]2222', /expected ":port"/], ['2001:db8::1:x:22', /brackets/], ['two words', /expected/], ['', /expected/],
  ])('rejects %j', (spec, message) => {
    expect(() => parseTargetSpec(spec)).toThrow(message);
  });
});

describe('parseInventory', () => {
  test('plain lines with comments, blank lines, users, ports and IPv6 brackets', () => {
    const text = '# fleet\n\nweb1\nops@web2:2200   # staging\n[::1]:2222\n  deploy@[2001:db8::5]:22\n';
    expect(parseInventory(text)).toEqual([
      { host: 'web1' }, { host: 'web2', port: 2200, user: 'ops' }, { host: '::1', port: 2222 }, { host: '2001:db8::5', port: 22, user: 'deploy' },
    ]);
  });

  test('a bad line is a usage error naming the line', () => {
    let error: unknown;
    try {
      parseInventory('web1\nweb2:99999\n', 'lines', 'hosts.txt');
    } catch (e) {
      error = e;
    }
    expect(hasCode(error, 'SSH_PROBE_INVENTORY_INVALID')).toBe(true);
    expect((error as Error).message).toBe('hosts.txt line 2: port must be 1-65535, got "99999"');
    expect((error as { exitCode: number }).exitCode).toBe(2);
  });

  test('Ansible INI: groups, host vars, group vars, children, ranges, duplicates', () => {
    const text = [
      '[all:vars]', 'ansible_user=admin', '',
      '[web]', 'web[01:02].example.com', 'lb ansible_host=10.0.0.9 ansible_port=2222', '',
      '[db]', 'db1 ansible_host=10.0.1.1 ansible_user=postgres', 'lb', '',
      '[prod:children]', 'db', '',
      '[prod:vars]', 'ansible_port=2200', '',
      '[db:vars]', 'ansible_ssh_private_key_file=/keys/db',
    ].join('\n');
    expect(parseInventory(text)).toEqual([
      { host: 'web01.example.com', user: 'admin' },
      { host: 'web02.example.com', user: 'admin' },
      { host: 'lb', hostName: '10.0.0.9', port: 2222, user: 'admin', identityFiles: ['/keys/db'] },
      { host: 'db1', hostName: '10.0.1.1', port: 2200, user: 'postgres', identityFiles: ['/keys/db'] },
    ]);
  });

  test('OpenSSH config: Host aliases with HostName, User, Port, IdentityFile, ProxyJump; wildcards apply', () => {
    const text = [
      'Host bastion', '  HostName 203.0.113.10', '  User jump', '',
      'Host app1 app2', '  HostName %h.internal', '  Port 2222', '  ProxyJump jump@bastion:22', '',
      'Host db', '  HostName=10.0.0.7', '  IdentityFile /keys/db', '',
      'Host *', '  User ops', '  IdentityFile /keys/default',
    ].join('\n');
    expect(parseInventory(text, 'auto')).toEqual([
      { host: 'bastion', hostName: '203.0.113.10', user: 'jump', identityFiles: ['/keys/default'] },
      { host: 'app1', hostName: 'app1.internal', port: 2222, user: 'ops', identityFiles: ['/keys/default'], proxyJump: 'jump@bastion:22' },
      { host: 'app2', hostName: 'app2.internal', port: 2222, user: 'ops', identityFiles: ['/keys/default'], proxyJump: 'jump@bastion:22' },
      { host: 'db', hostName: '10.0.0.7', user: 'ops', identityFiles: ['/keys/db', '/keys/default'] },
    ]);
  });

  test.each([
    ['web1\nweb2:22\n', 'lines'],
    ['[::1]:22\n[2001:db8::1]\n', 'lines'],
    ['[web]\nweb1\n', 'ansible'],
    ['web1 ansible_host=10.0.0.1\n', 'ansible'],
    ['Host web1\n  HostName 10.0.0.1\n', 'ssh-config'],
  ])('detects the format of %j', (text, format) => {
    expect(detectInventoryFormat(text)).toBe(format);
  });
});

describe('shards', () => {
  const items = Array.from({ length: 10 }, (_, i) => i);
  test('split an inventory into disjoint, balanced parts covering it', () => {
    const parts = [1, 2, 3].map((i) => selectShard(items, parseShard(`${i}/3`)));
    expect(parts).toEqual([[0, 3, 6, 9], [1, 4, 7], [2, 5, 8]]);
  });
  test.each(['0/3', '4/3', '1/0', 'a/b', '1'])('rejects %j', (text) => {
    expect(() => parseShard(text)).toThrow(/--shard/);
  });
});

describe('loadSshConfig', () => {
  test('reads Include files (absolute paths and globs) in place', async () => {
    const dir = makeTempDir('sshcfg-').path;
    writeFileSync(join(dir, 'a.conf'), 'Host alpha\n  HostName 10.0.0.1\n');
    writeFileSync(join(dir, 'b.conf'), 'Host beta\n  Port 2200\n');
    writeFileSync(join(dir, 'skip.txt'), 'Host gamma\n');
    writeFileSync(join(dir, 'config'), `Include ${dir}/*.conf\nHost delta\n  User d\n`);
    const targets = sshConfigTargets(await loadSshConfig(join(dir, 'config')));
    expect(targets).toEqual([{ host: 'alpha', hostName: '10.0.0.1' }, { host: 'beta', port: 2200 }, { host: 'delta', user: 'd' }]);
  });

  test('a missing config file is a usage error', async () => {
    await expect(loadSshConfig('/nonexistent/ssh_config')).rejects.toMatchObject({ code: 'USAGE' });
  });
});
