import { parseSshConfig, sshSettingsFor } from './ssh-config.js';
import { readInventory } from './parse-inventory.js';
import { expandHostRange } from './parse-ansible.js';
import { shellWords } from './shell-words.js';

describe('shellWords (shlex.split with comments, as Ansible reads host lines)', () => {
  test.each([
    ['h ansible_host=1.2.3.4 note="two words"', ['h', 'ansible_host=1.2.3.4', 'note=two words']],
    ["h note='it''s' x=\"a \\\"b\\\"\"", ['h', 'note=its', 'x=a "b"']],
    ['h a=b # comment', ['h', 'a=b']],
    ['h a=b#not-a-comment', ['h', 'a=b#not-a-comment']],
    ['h path=a\\ b', ['h', 'path=a b']],
  ])('%s', (line, words) => {
    expect(shellWords(line)).toEqual(words);
  });

  test('an unterminated quote is an error', () => {
    expect(() => shellWords('h note="open')).toThrow(/no closing "/);
  });
});

describe('Ansible INI', () => {
  test('quoted values, ranges with a stride, ansible_connection=local skipped and reported', () => {
    const text = [
      '[web]', 'web[1:5:2] ansible_user=deploy note="two words"', 'h ansible_host=1.2.3.4 note="two words"',
      '[local]', 'localhost ansible_connection=local', 'ctl',
      '[local:vars]', 'ansible_connection = "local"',
    ].join('\n');
    expect(readInventory(text, 'ansible', 'inv.ini')).toEqual({
      targets: [{ host: 'web1', user: 'deploy' }, { host: 'web3', user: 'deploy' }, { host: 'web5', user: 'deploy' }, { host: 'h', hostName: '1.2.3.4' }],
      skipped: [{ host: 'localhost', reason: 'ansible_connection=local (not reached over SSH)' }, { host: 'ctl', reason: 'ansible_connection=local (not reached over SSH)' }],
    });
  });

  test('an unterminated quote names the file and line (exit 2)', () => {
    expect(() => readInventory('[web]\nh note="open\n', 'ansible', 'inv.ini')).toThrow(expect.objectContaining({ message: expect.stringContaining('inv.ini line 2'), exitCode: 2 }));
  });

  test('letters and zero-padded ranges', () => {
    expect(expandHostRange('db-[a:c]')).toEqual(['db-a', 'db-b', 'db-c']);
    expect(expandHostRange('n[08:10]')).toEqual(['n08', 'n09', 'n10']);
  });
});

describe('OpenSSH config: Match, tokens', () => {
  const config = parseSshConfig([
    'Host web*', '  HostName %h.lab.test', '',
    'Match host *.lab.test user deploy', '  Port 2201', '',
    'Match originalhost db1', '  Port 2202', '  IdentityFile ~/.ssh/id_%h_%r_%p', '',
    'Match exec "test -f /tmp/x" host *', '  Port 9999', '',
    'Match !user root all', '  User ops', '',
    'Host *', '  Port 22', '  IdentityFile /keys/%r@%h:%p',
  ].join('\n'), 'cfg');

  test.each([
    ['web1', { user: 'deploy' }, { hostName: 'web1.lab.test', port: 2201 }],
    ['web1', { user: 'root' }, { hostName: 'web1.lab.test', port: 22 }],
    ['db1', { user: 'root' }, { port: 2202 }],
    ['db2', { user: 'alice' }, { port: 22, user: 'ops' }],
  ])('%s as %j', (host, context, expected) => {
    expect(sshSettingsFor(config, host, { ...context, localUser: 'me' })).toMatchObject(expected);
  });

  test('Match host sees the HostName of an earlier block; IdentityFile tokens expand', () => {
    const s = sshSettingsFor(config, 'db1', { user: 'root', localUser: 'me' });
    expect(s.identityFiles[0]).toMatch(/\/\.ssh\/id_db1_root_2202$/);
    expect(s.identityFiles[1]).toBe('/keys/root@db1:2202');
  });

  test('Match exec is never run, and said so', () => {
    expect(config.warnings).toEqual(['cfg line 11: "Match exec "test -f /tmp/x" host *" not applied: ssh-probe runs no commands from a config (Match exec is taken as not matching)']);
  });

  test('an unknown Match criterion is an error naming the line', () => {
    expect(() => parseSshConfig('Match colour blue\n', 'cfg')).toThrow(/cfg line 1: unsupported Match criterion "colour"/);
  });
});
