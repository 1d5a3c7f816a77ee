// The command's start-up, as users run it (bin/log-scan.js): the bundled CLI from V8's code cache
// (on Node 20; Node 22+ keeps its own), and the worker threads started before the CLI has loaded
// when an argument is a large file. Neither may change a result.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '@ops/testkit';

const CLI = join(import.meta.dirname, '../bin/log-scan.js');

const run = (args: string[], env: NodeJS.ProcessEnv = process.env) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env });
/** The JSON output without its timing, which differs from run to run. */
const withoutTime = (stdout: string) => stdout.replace(/"seconds":[0-9.]+/, '"seconds":0');

/** Every file under `dir`. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((name) => join(dir, name)).filter((path) => statSync(path).isFile());
}

describe('log-scan command start-up', () => {
  const dir = makeTempDir('log-scan-start-').path;
  const log = join(dir, 'auth.log');
  writeFileSync(log, [
    'Nov 19 10:00:01 web1 sshd[1]: Failed password for root from 203.0.113.7 port 1 ssh2',
    'Nov 19 10:00:02 web1 sshd[1]: Invalid user admin from 2001:db8::7 port 2',
    'Nov 19 10:00:03 web1 sshd[1]: Failed password for invalid user oracle from 203.0.113.7 port 3 ssh2',
  ].join('\n') + '\n');

  test('a code cache that is missing, written, corrupt, unwritable or turned off changes no output', () => {
    const cacheHome = join(dir, 'cache');
    const expected = run(['--format', 'json', log], { ...process.env, NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(expected).toMatchObject({ status: 0, stderr: '' });
    expect(JSON.parse(expected.stdout).stats).toMatchObject({ matches: 3, addresses: 2 });
    const runs = [
      run(['--format', 'json', log], { ...process.env, XDG_CACHE_HOME: cacheHome }), // none yet
      run(['--format', 'json', log], { ...process.env, XDG_CACHE_HOME: cacheHome }), // the one the first run left (Node 20)
    ];
    // Garbage where a cache was: V8 rejects it, the file is compiled from its source.
    for (const file of filesUnder(join(dir))) if (file.endsWith('.v8')) writeFileSync(file, Buffer.alloc(statSync(file).size, 0xab));
    runs.push(run(['--format', 'json', log], { ...process.env, XDG_CACHE_HOME: cacheHome }));
    // A cache directory that cannot be made (a file is in the way).
    runs.push(run(['--format', 'json', log], { ...process.env, XDG_CACHE_HOME: log }));
    runs.push(run(['merge', '--format', 'json', join(dir, 'missing.json')], { ...process.env, XDG_CACHE_HOME: cacheHome }));
    for (const r of runs.slice(0, 4)) expect({ status: r.status, stderr: r.stderr, stdout: withoutTime(r.stdout) }).toEqual({ status: 0, stderr: '', stdout: withoutTime(expected.stdout) });
    // A run that fails leaves no cache behind it, and fails as it would without one.
    expect(runs[4]!.status).toBe(2);
    expect(filesUnder(dir).filter((file) => file.includes('merge'))).toEqual([]);
  });

  test('a file of 64 MiB or more is scanned with the worker threads the command starts ahead, as by one thread', () => {
    const large = join(dir, 'large.log');
    // ~1 MiB of lines from 64 addresses, 65 times.
    const lines = Array.from({ length: 12_000 }, (_, i) => `Nov 19 10:${String(i % 60).padStart(2, '0')}:01 web1 sshd[${i}]: Failed password for invalid user u${i % 7} from 198.51.100.${i % 64} port ${i} ssh2\n`).join('');
    writeFileSync(large, lines.repeat(Math.ceil((64 << 20) / lines.length)));
    const one = run(['--format', 'json', '--threads', '1', large]);
    expect(one).toMatchObject({ status: 0, stderr: '' });
    expect(JSON.parse(one.stdout).ips).toHaveLength(64);
    for (const threads of [[], ['--threads', '3']]) {
      const many = run(['--format', 'json', ...threads, large]);
      expect({ status: many.status, stderr: many.stderr, stdout: withoutTime(many.stdout) }).toEqual({ status: 0, stderr: '', stdout: withoutTime(one.stdout) });
    }
  });
});
