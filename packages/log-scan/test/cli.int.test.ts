import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { makeTempDir } from '@ops/testkit';

// The command as users run it: the bin, which runs the bundled dist/cli.cjs.
const CLI = join(import.meta.dirname, '../bin/log-scan.js');
const LOG = [
  'Nov 19 10:00:01 web1 sshd[1]: Failed password for root from 203.0.113.7 port 1 ssh2',
  'Nov 19 10:00:02 web1 sshd[1]: Invalid user admin from 2001:db8::7 port 2',
  'Nov 19 10:00:03 web1 sshd[1]: Failed password for invalid user 10.0.0.1 from 203.0.113.7 port 3 ssh2',
  'Nov 19 10:00:04 web1 sshd[1]: Accepted password for root from 10.0.0.2 port 4 ssh2',
].join('\n') + '\n';

const run = (args: string[], input?: string | Buffer, uid?: number) =>
  spawnSync('node', [CLI, ...args], { input, encoding: 'utf8', ...(uid === undefined ? {} : { uid, gid: uid }) });

describe('log-scan CLI', () => {
  const dir = makeTempDir('log-scan-cli-').path;
  chmodSync(dir, 0o755);
  const log = join(dir, 'auth.log');
  writeFileSync(log, LOG);
  const gz = gzipSync(LOG.repeat(2000));
  writeFileSync(join(dir, 'cut.gz'), gz.subarray(0, gz.length - 100));

  test('--format json prints ips sorted by count and stats; exit 0', () => {
    const r = run(['--format', 'json', log]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.ips.map((i: { ip: string }) => i.ip)).toEqual(['203.0.113.7', '2001:db8::7']);
    expect(out.ips[0]).toMatchObject({ count: 2, users: ['root', '10.0.0.1'], kinds: { 'sshd-failed-password': 2 } });
    expect(Object.keys(out.ips[0]).sort()).toEqual(['count', 'firstSeen', 'ip', 'kinds', 'lastSeen', 'users']);
    expect(out.stats).toMatchObject({ sources: 1, bytes: LOG.length, lines: 4, matches: 3 });
    expect(typeof out.stats.seconds).toBe('number');
  });

  test('--events --format jsonl prints one record per matching line', () => {
    const r = run(['--events', '--format', 'jsonl', log]);
    expect(r.status).toBe(0);
    const records = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(records.map((e: { line: number }) => e.line)).toEqual([1, 2, 3]);
    expect(Object.keys(records[0]).sort()).toEqual(['ip', 'kind', 'line', 'source', 'time', 'user']);
  });

  test.each([
    ['csv', /^ip,count,users,firstSeen,lastSeen,kinds\n203\.0\.113\.7,2,"\[""root"",""10\.0\.0\.1""\]",/],
    ['text', /203\.0\.113\.7\s+2\s+root,10\.0\.0\.1/],
    ['jsonl', /^\{"ip":"203\.0\.113\.7","count":2/],
  ])('--format %s', (format, expected) => {
    const r = run(['--format', format, '--top', '1', log]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(expected);
    expect(r.stdout).not.toContain('2001:db8::7');
  });

  test('stdin (-), gzipped', () => {
    const r = run(['--format', 'json', '-'], gzipSync(LOG));
    expect(JSON.parse(r.stdout).stats.matches).toBe(3);
  });

  test('missing file and bad flags exit 2', () => {
    expect(run([join(dir, 'nope.log')]).status).toBe(2);
    expect(run(['--top', 'x', log]).status).toBe(2);
    expect(run(['--format', 'xml', log]).status).toBe(2);
    expect(run([]).status).toBe(2);
  });

  test('a truncated gzip still prints what was read, names the source and byte, exits 3', () => {
    const r = run(['--format', 'json', join(dir, 'cut.gz'), log]);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/cut\.gz: gzip data is truncated .*at byte \d+/);
    const out = JSON.parse(r.stdout);
    expect(out.stats.matches).toBeGreaterThan(3);
    expect(out.errors[0].source).toBe(join(dir, 'cut.gz'));
  });

  test('permission denied names the source and exits 3', () => {
    const secret = join(dir, 'secret.log');
    writeFileSync(secret, LOG);
    chmodSync(secret, 0o600);
    chmodSync(log, 0o644);
    const r = run(['--format', 'json', secret, log], undefined, 65534);
    expect(r.stderr).toContain(`${secret}: permission denied`);
    expect(r.status).toBe(3);
    const out = JSON.parse(r.stdout);
    expect(out.stats).toMatchObject({ sources: 2, matches: 3 });
    expect(out.errors).toEqual([expect.objectContaining({ source: secret, byteOffset: 0, code: 'LOG_SCAN_SOURCE_FAILED' })]);
  });

  test('merge unions partial results', () => {
    const a = join(dir, 'a.json');
    const b = join(dir, 'b.json');
    writeFileSync(a, run(['--format', 'json', log]).stdout);
    writeFileSync(b, run(['--format', 'json', log]).stdout);
    const r = run(['merge', '--format', 'json', a, b]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.ips[0]).toMatchObject({ ip: '203.0.113.7', count: 4 });
    expect(out.stats.matches).toBe(6);
    expect(run(['merge', log]).status).toBe(2);
  });

  test('--progress draws a bar on stderr and leaves stdout clean', () => {
    const r = run(['--progress', '--format', 'json', log]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/[░█]/);
    expect(JSON.parse(r.stdout).stats.matches).toBe(3);
  });

  test('--since keeps only later failures', () => {
    const r = run(['--format', 'json', '--since', '2000-01-01T00:00:00Z', '--until', '2000-01-02T00:00:00Z', log]);
    expect(JSON.parse(r.stdout).stats.matches).toBe(0);
    expect(run(['--since', 'yesterday-ish', log]).status).toBe(2);
  });

  test('a hostile user name reaches the terminal escaped (table and --events text) and a spreadsheet neutralized', () => {
    const hostile = join(dir, 'hostile.log');
    writeFileSync(hostile, Buffer.concat([
      Buffer.from('2024/11/19 10:00:01 [error] 812#812: *41 user "\u001b]0;pwned\u0007\u001b[2J" was not found in "/etc/nginx/.htpasswd", client: 198.51.100.61, server: example.com, request: "GET / HTTP/1.1", host: "example.com"\n'),
      Buffer.from('Nov 19 10:00:02 web1 sshd[1]: Invalid user =HYPERLINK("http://x") from 203.0.113.9 port 2\n'),
      Buffer.from('Nov 19 10:00:03 web1 sshd[1]: Failed password for invalid user '), Buffer.from([0xff, 0x1b]), Buffer.from(' from 203.0.113.9 port 3 ssh2\n'),
    ]));
    for (const args of [['--format', 'text', '--top', '0'], ['--events', '--format', 'text']]) {
      const r = run([...args, hostile]);
      expect(r.status).toBe(0);
      for (const raw of ['\u001b', '\u0007', '\ufffd']) expect(r.stdout).not.toContain(raw);
      expect(r.stdout).toContain('\\x1b]0;pwned\\x07\\x1b[2J');
      expect(r.stdout).toContain('\\xff\\x1b');
    }
    const csv = run(['--format', 'csv', hostile]).stdout;
    expect(csv).toContain('"[""=HYPERLINK(\\""http://x\\"")"",""\\udcff\\u001b""]"');
    const events = run(['--events', '--format', 'csv', hostile]).stdout.split('\n');
    expect(events[0]).toBe('source,line,ip,user,kind,time,repeat');
    expect(events[2]).toMatch(/,2,203\.0\.113\.9,"'=HYPERLINK\(""http:\/\/x""\)",sshd-invalid-user,.*,1$/);
  });

  test('--format ips and --ignore: one address a line, busiest first, allowlisted networks left out', () => {
    const r = run(['--format', 'ips', log]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('203.0.113.7\n2001:db8::7\n');
    expect(run(['--format', 'ips', '--ignore', '203.0.113.0/24', log]).stdout).toBe('2001:db8::7\n');
    expect(run(['--format', 'ips', '--ignore', '10.0.0.0/8,2001:db8::/32', '--ignore', '203.0.113.7', log]).stdout).toBe('');
    expect(run(['--format', 'ips', '--min-failures', '2', log]).stdout).toBe('203.0.113.7\n');
    const json = JSON.parse(run(['--format', 'json', '--ignore', '2001:db8::/32', log]).stdout);
    expect(json.stats).toMatchObject({ matches: 2, addresses: 1 });
    const bad = run(['--ignore', '203.0.113.0/33', log]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/Expected `--ignore` to be CIDR networks or addresses.*"203\.0\.113\.0\/33"/);
    expect(run(['--events', '--format', 'ips', log]).status).toBe(2);
  });

  test('on a terminal the table shows the busiest that fit and one summary line; piped, json lists all', () => {
    const many = join(dir, 'many.log');
    writeFileSync(many, Array.from({ length: 30 }, (_, i) => Array.from({ length: i + 1 }, (_, k) =>
      `Nov 19 10:00:02 web1 sshd[1]: Invalid user u${k} from 203.0.113.${i} port 2\n`).join('')).join(''));
    // util-linux `script` runs the CLI on a pseudo-terminal of `rows` lines.
    const onTty = (rows: number, args: string) => spawnSync('script', ['-qec', `stty rows ${rows} cols 200; node ${CLI} ${args} ${many}`, '/dev/null'], { encoding: 'utf8' }).stdout.replace(/\r/g, '');
    const table = onTty(50, '').trimEnd().split('\n');
    expect(table).toHaveLength(22); // header, 20 rows, summary
    expect(table[1]).toMatch(/^203\.0\.113\.29\s+30\s+u0,u1,u2,u3,u4,\+25\s/);
    expect(table[21]).toMatch(/failures from 30 IP\(s\), the busiest 20 shown \(10 more: --top 0 lists all, --format json gives every field\) in /);
    expect(onTty(10, '').trimEnd().split('\n')).toHaveLength(9); // what fits: 7 rows
    expect(onTty(50, '--top 0').trimEnd().split('\n')).toHaveLength(32);
    expect(JSON.parse(run([many]).stdout).ips).toHaveLength(30);
  });

  test('--help exits 0', () => {
    const r = run(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('log-scan [options] SOURCE...');
  });
});
