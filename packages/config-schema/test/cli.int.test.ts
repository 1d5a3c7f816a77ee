import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { makeTempDir } from '@ops/testkit';

// The built CLI, run as a real process (pnpm test builds before jest).
const CLI = resolve('packages/config-schema/dist/cli.js');

interface Run { code: number; stdout: string; stderr: string }

function run(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { cwd: options.cwd, env: { PATH: process.env.PATH ?? '', ...options.env }, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['name', 'replicas'],
  additionalProperties: false,
  properties: {
    name: { type: 'string' },
    replicas: { type: 'integer', minimum: 1 },
    image: { $ref: 'image.schema.json' },
    level: { enum: ['debug', 'info'], default: 'info' },
    host: { type: 'string' },
  },
};
const IMAGE = { type: 'object', required: ['repo'], properties: { repo: { type: 'string' }, tag: { type: 'string', default: 'latest' } } };

function workspace(): string {
  const dir = makeTempDir('config-schema-cli-').path;
  writeFileSync(join(dir, 'schema.json'), JSON.stringify(SCHEMA, null, 2));
  writeFileSync(join(dir, 'image.schema.json'), JSON.stringify(IMAGE));
  writeFileSync(join(dir, 'good.yaml'), '# app\nimage:\n  repo: nginx\nreplicas: 2\nname: web\n');
  writeFileSync(join(dir, 'good.json'), '{\n  "replicas": 2,\n  "name": "web",\n  "image": {"repo": "nginx"}\n}\n');
  writeFileSync(join(dir, 'bad.yaml'), 'name: web\nreplicas: three\nimage:\n  tag: 1\nextra: true\n');
  writeFileSync(join(dir, 'bad.json'), '{\n  "name": 5,\n  "replicas": 0\n}\n');
  return dir;
}

const STANDARD_YAML = 'name: web\nreplicas: 2\nimage:\n  repo: nginx\n  tag: latest\nlevel: info\n';

describe('config-schema validate', () => {
  test('one valid file: its standardized form on stdout, exit 0', async () => {
    const cwd = workspace();
    const r = await run(['validate', 'good.yaml', '--schema', 'schema.json'], { cwd });
    expect(r).toMatchObject({ code: 0, stdout: STANDARD_YAML, stderr: '' });
  });

  test('equivalent YAML and JSON inputs give the same bytes in both output formats', async () => {
    const cwd = workspace();
    for (const format of ['json', 'yaml']) {
      const fromYaml = await run(['validate', 'good.yaml', '--schema', 'schema.json', '--format', format], { cwd });
      const fromJson = await run(['validate', 'good.json', '--schema', 'schema.json', '--format', format], { cwd });
      expect(fromYaml.code).toBe(0);
      expect(fromJson.stdout).toBe(fromYaml.stdout);
    }
    const json = await run(['validate', 'good.yaml', '--schema', 'schema.json', '--format', 'json'], { cwd });
    expect(json.stdout).toBe('{\n  "name": "web",\n  "replicas": 2,\n  "image": {\n    "repo": "nginx",\n    "tag": "latest"\n  },\n  "level": "info"\n}\n');
  });

  test('invalid files: every problem on stderr as FILE:LINE:COL: message, exit 1', async () => {
    const cwd = workspace();
    const r = await run(['validate', 'bad.yaml', 'bad.json', 'good.yaml', '--schema', 'schema.json', '--log-level', 'silent'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([
      'bad.yaml:2:11: replicas: must be an integer, got the string "three"',
      'bad.yaml:4:3: image.repo: is required but missing from image',
      'bad.yaml:4:8: image.tag: must be a string, got the integer 1',
      'bad.yaml:5:1: extra: is not an allowed property (allowed: name, replicas, image, level, host)',
      'bad.json:2:11: name: must be a string, got the integer 5',
      'bad.json:3:15: replicas: must be >= 1, got the integer 0',
    ]);
  });

  test('several valid files: exit 0, nothing on stdout', async () => {
    const cwd = workspace();
    const r = await run(['validate', 'good.yaml', 'good.json', '--schema', 'schema.json', '--log-level', 'silent'], { cwd });
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  test('--format json prints the errors as data', async () => {
    const cwd = workspace();
    const r = await run(['validate', 'bad.json', '--schema', 'schema.json', '--format', 'json'], { cwd });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      valid: false,
      files: [{ file: 'bad.json', valid: false }],
      errors: [
        { file: 'bad.json', line: 2, col: 11, pointer: '/name', path: 'name', kind: 'schema', keyword: 'type', document: 0, message: 'name: must be a string, got the integer 5' },
        { file: 'bad.json', line: 3, col: 15, pointer: '/replicas', path: 'replicas', kind: 'schema', keyword: 'minimum', document: 0, message: 'replicas: must be >= 1, got the integer 0' },
      ],
    });
    expect(r.stderr).toContain('bad.json:2:11: name: must be a string, got the integer 5\n');
  });

  test.each([
    ['hostile: duplicate key', 'dup.yaml', 'name: a\nreplicas: 1\nname: b\n', 'dup.yaml:3:1: name: duplicate key; a key may appear only once in a mapping'],
    ['hostile: billion laughs', 'lol.yaml', ['a: &a [x,x,x,x,x,x,x,x,x,x]', ...'bcdefghi'.split('').map((n, i) => `${n}: &${n} [${Array(10).fill(`*${'abcdefghi'[i]}`).join(',')}]`)].join('\n') + '\n', 'lol.yaml:4:29: aliases expand to more than 10000 values (the limit); a file like this is a "billion laughs" attack'],
    ['syntax error', 'syntax.json', '{"name": "a",, "replicas": 1}\n', 'syntax.json:1:14: JSON syntax error'],
    ['unset variable', 'env.yaml', 'name: ${APP_NAME}\nreplicas: 1\n', 'env.yaml:1:7: name: environment variable APP_NAME is not set (write ${APP_NAME:-default} to give a default)'],
  ])('%s: exit 1 with the position', async (_name, file, text, line) => {
    const cwd = workspace();
    writeFileSync(join(cwd, file), text);
    const r = await run(['validate', file, '--schema', 'schema.json'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(line);
  });

  test('__proto__ in a config is plain data, reported as an unknown property', async () => {
    const cwd = workspace();
    writeFileSync(join(cwd, 'proto.json'), '{"name": "a", "replicas": 1, "__proto__": {"replicas": "x"}}');
    const r = await run(['validate', 'proto.json', '--schema', 'schema.json'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('proto.json:1:30: __proto__: is not an allowed property (allowed: name, replicas, image, level, host)\n');
    const f = await run(['format', 'proto.json'], { cwd });
    expect(f.stdout).toBe('{\n  "__proto__": {\n    "replicas": "x"\n  },\n  "name": "a",\n  "replicas": 1\n}\n');
  });

  test('env interpolation, --no-env and --set', async () => {
    const cwd = workspace();
    writeFileSync(join(cwd, 'env.yaml'), 'name: ${APP_NAME:-fallback}\nreplicas: ${REPLICAS}\nhost: "${DB_HOST}:5432"\n');
    const r = await run(['validate', 'env.yaml', '--schema', 'schema.json', '--set', 'image.repo=api', '--set', 'level=debug'], { cwd, env: { REPLICAS: '3', DB_HOST: 'db' } });
    expect(r).toMatchObject({ code: 0, stdout: 'name: fallback\nreplicas: 3\nimage:\n  repo: api\n  tag: latest\nlevel: debug\nhost: db:5432\n' });
    const noEnv = await run(['validate', 'env.yaml', '--schema', 'schema.json', '--no-env'], { cwd, env: { REPLICAS: '3' } });
    expect(noEnv.code).toBe(1);
    expect(noEnv.stderr).toContain('env.yaml:2:11: replicas: must be an integer, got the string "${REPLICAS}"');
    const badSet = await run(['validate', 'good.yaml', '--schema', 'schema.json', '--set', 'replicas=0'], { cwd });
    expect(badSet.stderr).toBe('good.yaml:4:1: replicas: must be >= 1, got the integer 0 (set by --set replicas=0)\n');
  });

  test('--all-documents', async () => {
    const cwd = workspace();
    writeFileSync(join(cwd, 'multi.yaml'), 'name: a\nreplicas: 1\n---\nname: b\nreplicas: 2\n');
    const single = await run(['validate', 'multi.yaml', '--schema', 'schema.json'], { cwd });
    expect(single).toMatchObject({ code: 1, stderr: 'multi.yaml:3:1: the file holds 2 YAML documents where one is expected (pass --all-documents to read them all)\n' });
    const all = await run(['validate', 'multi.yaml', '--schema', 'schema.json', '--all-documents'], { cwd });
    expect(all).toMatchObject({ code: 0, stdout: '---\nname: a\nreplicas: 1\nlevel: info\n---\nname: b\nreplicas: 2\nlevel: info\n' });
  });

  test('--output writes atomically and leaves an existing file alone when the config is invalid', async () => {
    const cwd = workspace();
    const out = join(cwd, 'out.json');
    writeFileSync(out, 'previous\n');
    const bad = await run(['validate', 'bad.yaml', '--schema', 'schema.json', '--output', out], { cwd });
    expect(bad.code).toBe(1);
    expect(readFileSync(out, 'utf8')).toBe('previous\n');
    const good = await run(['validate', 'good.yaml', '--schema', 'schema.json', '--output', out, '--log-level', 'silent'], { cwd });
    expect(good).toMatchObject({ code: 0, stdout: '' });
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({ name: 'web', replicas: 2, image: { repo: 'nginx', tag: 'latest' }, level: 'info' });
    expect(readdirSync(cwd).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const noDir = await run(['validate', 'good.yaml', '--schema', 'schema.json', '--output', join(cwd, 'missing', 'out.json')], { cwd });
    expect(noDir.code).toBe(2);
    expect(noDir.stderr).toContain('OUTPUT_WRITE_FAILED');
    expect(existsSync(join(cwd, 'missing'))).toBe(false);
  });

  test.each([
    [['validate', 'good.yaml'], /needs --schema SCHEMA/],
    [['validate', '--schema', 'schema.json'], /at least one CONFIG/],
    [['validate', 'good.yaml', '--schema', 'schema.json', '--format', 'xml'], /`--format` to be one of json, yaml/],
    [['validate', 'good.yaml', '--schema', 'schema.json', '--bogus'], /Unknown option '--bogus'/],
    [['validate', 'missing.yaml', '--schema', 'schema.json'], /CONFIG_READ_FAILED: Could not read missing.yaml: no such file/],
    [['validate', 'good.yaml', '--schema', 'nope.json'], /CONFIG_SCHEMA_INVALID: Could not read schema nope.json: no such file/],
    [['validate', 'good.yaml', '--schema', 'schema.json', '--set', 'oops'], /CONFIG_SET_INVALID/],
    [['validate', 'good.yaml', '--schema', 'schema.json', '--max-size', '10'], /CONFIG_TOO_LARGE: good.yaml is 49 B, over the 10 B limit/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ])('usage or unreadable %j: exit 2', async (args, message) => {
    const r = await run(args, { cwd: workspace() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  test('an unreadable file among several: the others are still checked, exit 2', async () => {
    const r = await run(['validate', 'bad.json', 'missing.yaml', 'good.yaml', '--schema', 'schema.json', '--log-level', 'silent'], { cwd: workspace() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad.json:2:11: name: must be a string');
    expect(r.stderr).toContain('CONFIG_READ_FAILED: Could not read missing.yaml');
  });

  test('--help exits 0', async () => {
    for (const args of [['--help'], ['validate', '--help'], ['format', '--help'], ['infer', '--help']]) {
      const r = await run(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: config-schema/);
    }
  });
});

describe('config-schema format and infer', () => {
  test('format sorts keys; YAML and JSON inputs give the same bytes', async () => {
    const cwd = workspace();
    const a = await run(['format', 'good.yaml', '--format', 'json'], { cwd });
    const b = await run(['format', 'good.json'], { cwd });
    expect(a).toMatchObject({ code: 0, stdout: '{\n  "image": {\n    "repo": "nginx"\n  },\n  "name": "web",\n  "replicas": 2\n}\n' });
    expect(b.stdout).toBe(a.stdout);
    const y = await run(['format', 'good.json', '--format', 'yaml'], { cwd });
    expect(y.stdout).toBe('image:\n  repo: nginx\nname: web\nreplicas: 2\n');
  });

  test('infer writes a schema the examples pass', async () => {
    const cwd = workspace();
    writeFileSync(join(cwd, 'other.yaml'), 'name: api\nreplicas: 1\nimage: {repo: api, tag: v2}\ndebug: true\n');
    const r = await run(['infer', 'good.yaml', 'other.yaml', '--output', 'inferred.json', '--log-level', 'silent'], { cwd });
    expect(r.code).toBe(0);
    const schema = JSON.parse(readFileSync(join(cwd, 'inferred.json'), 'utf8'));
    expect(schema.required).toEqual(['image', 'replicas', 'name']);
    expect(schema.properties.debug).toEqual({ type: 'boolean' });
    const check = await run(['validate', 'good.yaml', 'other.yaml', '--schema', 'inferred.json', '--log-level', 'silent'], { cwd });
    expect(check.code).toBe(0);
    const bad = await run(['validate', 'bad.yaml', '--schema', 'inferred.json'], { cwd });
    expect(bad.code).toBe(1);
  });
});

describe('config-schema on files the ecosystems write', () => {
  test('docker-compose merge keys: format writes the merged data, the override winning', async () => {
    const cwd = workspace();
    writeFileSync(join(cwd, 'compose.yaml'), 'x-base: &base\n  restart: always\n  image: base\nservices:\n  web:\n    <<: *base\n    image: web\n');
    const r = await run(['format', 'compose.yaml'], { cwd });
    expect(r).toMatchObject({ code: 0, stderr: '', stdout: 'services:\n  web:\n    image: web\n    restart: always\nx-base:\n  image: base\n  restart: always\n' });
  });

  test('helm template output: empty documents skipped with --all-documents', async () => {
    const cwd = workspace();
    writeFileSync(join(cwd, 'rendered.yaml'), '---\n# Source: a.yaml\nname: web\nreplicas: 1\n---\n# Source: empty.yaml\n---\nname: api\nreplicas: 2\n---\n');
    const r = await run(['validate', 'rendered.yaml', '--schema', 'schema.json', '--all-documents'], { cwd });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe('---\nname: web\nreplicas: 1\nlevel: info\n---\nname: api\nreplicas: 2\nlevel: info\n');
  });

  test('.inf cannot be written as JSON: exit 1, nothing on stdout, the path named', async () => {
    const cwd = workspace();
    writeFileSync(join(cwd, 'inf.yaml'), 'limits:\n  cpu: .inf\n');
    const r = await run(['format', 'inf.yaml', '--format', 'json'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/limits\.cpu is \.inf, which JSON cannot hold/);
    expect((await run(['format', 'inf.yaml'], { cwd })).stdout).toBe('limits:\n  cpu: .inf\n');
  });

  test('an empty file is a problem for one config; --max-depth is checked', async () => {
    const cwd = workspace();
    writeFileSync(join(cwd, 'empty.yaml'), '# nothing yet\n');
    const r = await run(['validate', 'empty.yaml', '--schema', 'schema.json'], { cwd });
    expect(r).toMatchObject({ code: 1, stderr: 'empty.yaml:1:1: the file holds no document (it is empty or only comments) where one is required\n' });
    const bad = await run(['format', 'good.yaml', '--max-depth', 'x'], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--max-depth/);
  });
});

describe('config-schema strict schemas', () => {
  test('unknown keywords and formats: exit 2, each listed once, also with --quiet', async () => {
    const cwd = workspace();
    writeFileSync(join(cwd, 'typo.json'), JSON.stringify({ type: 'object', properties: { name: { type: 'string', minLenght: 2 }, when: { format: 'datetime' } } }));
    for (const flags of [[], ['--quiet']]) {
      const r = await run(['validate', 'good.yaml', '--schema', 'typo.json', ...flags], { cwd });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.match(/minLenght/g)).toHaveLength(1);
      expect(r.stderr.match(/"datetime"/g)).toHaveLength(1);
      expect(r.stderr).toMatch(/did you mean "minLength"\?/);
    }
  });

  test('a draft-06 schema validates; an unknown draft is refused in plain words', async () => {
    const cwd = workspace();
    writeFileSync(join(cwd, 'd6.json'), JSON.stringify({ $schema: 'http://json-schema.org/draft-06/schema#', type: 'object', properties: { replicas: { exclusiveMaximum: 2 } } }));
    const r = await run(['validate', 'good.yaml', '--schema', 'd6.json'], { cwd });
    expect(r).toMatchObject({ code: 1, stderr: 'good.yaml:4:11: replicas: must be < 2, got the integer 2\n' });
    writeFileSync(join(cwd, 'd3.json'), JSON.stringify({ $schema: 'http://json-schema.org/draft-03/schema#' }));
    const old = await run(['validate', 'good.yaml', '--schema', 'd3.json'], { cwd });
    expect(old.code).toBe(2);
    expect(old.stderr).toMatch(/Unsupported JSON Schema draft "http:\/\/json-schema.org\/draft-03\/schema#"/);
  });
});

describe('config-schema inputs', () => {
  function runWith(args: string[], cwd: string, stdin?: string): Promise<Run> {
    return new Promise((done) => {
      const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { PATH: process.env.PATH ?? '' }, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
      if (stdin !== undefined) child.stdin!.end(stdin);
    });
  }

  test('- reads standard input (helm template | config-schema validate -)', async () => {
    const cwd = workspace();
    const r = await runWith(['validate', '-', '--schema', 'schema.json'], cwd, 'name: web\nreplicas: x\n');
    expect(r).toMatchObject({ code: 1, stderr: '<stdin>:2:11: replicas: must be an integer, got the string "x"\n' });
    const ok = await runWith(['validate', '-', '--schema', 'schema.json', '--format', 'json'], cwd, '{"name": "web", "replicas": 1}');
    expect(ok).toMatchObject({ code: 0, stdout: '{\n  "name": "web",\n  "replicas": 1,\n  "level": "info"\n}\n' });
  });

  test('<(...) (a pipe at /dev/fd/N) is read like a file', async () => {
    const cwd = workspace();
    const r = await new Promise<Run>((done) => {
      execFile('bash', ['-c', `"${process.execPath}" "${CLI}" validate <(printf 'name: web\\nreplicas: 2\\n') --schema schema.json`], { cwd }, (error, stdout, stderr) => {
        done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
    });
    expect(r).toMatchObject({ code: 0, stdout: 'name: web\nreplicas: 2\nlevel: info\n', stderr: '' });
  });

  test('standard input that never ends: SIGTERM stops the wait', async () => {
    const cwd = workspace();
    const child = spawn(process.execPath, [CLI, 'validate', '-', '--schema', 'schema.json'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.write('name: web\n');
    await new Promise((r) => setTimeout(r, 700));
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).not.toBe(0);
  });

  test('directories (recursive, by extension) and quoted globs', async () => {
    const cwd = workspace();
    mkdirSync(join(cwd, 'conf', 'sub'), { recursive: true });
    mkdirSync(join(cwd, 'conf', '.git'));
    writeFileSync(join(cwd, 'conf', 'a.yaml'), 'name: a\nreplicas: 1\n');
    writeFileSync(join(cwd, 'conf', 'sub', 'b.json'), '{"name": "b", "replicas": 0}');
    writeFileSync(join(cwd, 'conf', 'sub', 'c.yml'), 'name: c\n');
    writeFileSync(join(cwd, 'conf', 'notes.txt'), 'not a config');
    writeFileSync(join(cwd, 'conf', '.git', 'd.yaml'), 'ignored: true');
    const dir = await run(['validate', 'conf', '--schema', 'schema.json', '--log-level', 'silent'], { cwd });
    expect(dir.code).toBe(1);
    expect(dir.stdout).toBe('');
    expect(dir.stderr.trim().split('\n')).toEqual(['conf/sub/b.json:1:27: replicas: must be >= 1, got the integer 0', 'conf/sub/c.yml:1:1: replicas: is required but missing']);
    const glob = await run(['validate', 'conf/**/*.json', '--schema', 'schema.json', '--log-level', 'silent'], { cwd });
    expect(glob.stderr).toBe('conf/sub/b.json:1:27: replicas: must be >= 1, got the integer 0\n');
    const none = await run(['validate', 'conf/*.toml', '--schema', 'schema.json'], { cwd });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/conf\/\*\.toml: the pattern matches no file/);
  });
});

describe('config-schema in GitHub Actions', () => {
  test('--format github: problems as ::error annotations on stdout, escaped', async () => {
    const cwd = workspace();
    writeFileSync(join(cwd, 'odd, name.yaml'), 'name: web\nreplicas: "50%"\n');
    const r = await run(['validate', 'bad.yaml', 'odd, name.yaml', '--schema', 'schema.json', '--format', 'github', '--log-level', 'silent'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')).toEqual(expect.arrayContaining([
      '::error file=bad.yaml,line=2,col=11,title=config-schema (schema)::replicas: must be an integer, got the string "three"',
      '::error file=odd%2C name.yaml,line=2,col=11,title=config-schema (schema)::replicas: must be an integer, got the string "50%25"',
    ]));
  });

  test('GITHUB_ACTIONS=true: plain lines on stderr and annotations on stdout; a valid file prints its form only', async () => {
    const cwd = workspace();
    const r = await run(['validate', 'bad.json', '--schema', 'schema.json'], { cwd, env: { GITHUB_ACTIONS: 'true' } });
    expect(r.stderr).toBe('bad.json:2:11: name: must be a string, got the integer 5\nbad.json:3:15: replicas: must be >= 1, got the integer 0\n');
    expect(r.stdout).toBe('::error file=bad.json,line=2,col=11,title=config-schema (schema)::name: must be a string, got the integer 5\n::error file=bad.json,line=3,col=15,title=config-schema (schema)::replicas: must be >= 1, got the integer 0\n');
    const ok = await run(['validate', 'good.yaml', '--schema', 'schema.json'], { cwd, env: { GITHUB_ACTIONS: 'true' } });
    expect(ok).toMatchObject({ code: 0, stdout: STANDARD_YAML, stderr: '' });
  });
});

describe('config-schema --output to a device or pipe', () => {
  test('a FIFO given as --output is written in place, not replaced by a regular file', async () => {
    const cwd = workspace();
    const fifo = join(cwd, 'out.fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = new Promise<string>((done) => execFile('cat', [fifo], (_error, stdout) => done(stdout)));
    const r = await run(['format', 'good.yaml', '--output', fifo, '--log-level', 'silent'], { cwd });
    expect(r.code).toBe(0);
    expect(await reader).toBe('image:\n  repo: nginx\nname: web\nreplicas: 2\n');
    expect(statSync(fifo).isFIFO()).toBe(true);
  });
});
