// @ops/config-schema beside the pydantic loader (Debian python3-pydantic, PyYAML's C loader):
// 2,000 small generated config files validated in one process (YAML and JSON), the same as a
// CLI run (process start included), and in-process validations/second of one small config.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkConfigFiles, checkConfigText, compileSchema } from '@ops/config-schema';
import { machineLine } from './machine.js';
import { bigFileRows, ensureTime, smallFileRows, wideFileRows } from './config-schema-processes.js';

const here = dirname(fileURLToPath(import.meta.url));
const CLI = join(here, '..', 'packages', 'config-schema', 'dist', 'cli.js');
const AJV = join(here, 'node_modules', '.bin', 'ajv');
const FILES = 2000;

// The same rules as the pydantic model in config-schema-pydantic.py.
const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'replicas', 'image'],
  properties: {
    name: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' },
    replicas: { type: 'integer', minimum: 1, maximum: 100 },
    image: { type: 'object', additionalProperties: false, required: ['repo'], properties: { repo: { type: 'string', minLength: 1 }, tag: { type: 'string', default: 'latest' } } },
    ports: { type: 'array', default: [], items: { type: 'object', additionalProperties: false, required: ['port'], properties: { port: { type: 'integer', minimum: 1, maximum: 65535 }, protocol: { enum: ['tcp', 'udp'], default: 'tcp' } } } },
    env: { type: 'object', default: {}, additionalProperties: { type: 'string' } },
    resources: { type: ['object', 'null'], additionalProperties: false, required: ['cpu', 'memory_mib'], properties: { cpu: { type: 'number', exclusiveMinimum: 0 }, memory_mib: { type: 'integer', minimum: 16 } } },
    level: { enum: ['debug', 'info', 'warn', 'error'], default: 'info' },
  },
} as const;

function config(i: number): Record<string, unknown> {
  return {
    name: `svc-${i}`,
    replicas: (i % 7) + 1,
    image: { repo: `registry.local/team/svc-${i}`, tag: `v${i % 13}.${i % 5}` },
    ports: [{ port: 8000 + (i % 100) }, { port: 9000 + (i % 50), protocol: 'udp' }],
    env: { LOG_FORMAT: 'json', REGION: `eu-${i % 3}` },
    resources: { cpu: 0.25 * ((i % 4) + 1), memory_mib: 128 * ((i % 4) + 1) },
    level: i % 2 ? 'info' : 'debug',
  };
}

function toYaml(c: Record<string, unknown>): string {
  const image = c.image as Record<string, string>;
  const ports = c.ports as Record<string, unknown>[];
  const env = c.env as Record<string, string>;
  const res = c.resources as Record<string, number>;
  return `# service ${String(c.name)}\nname: ${String(c.name)}\nreplicas: ${String(c.replicas)}\nimage:\n  repo: ${image.repo}\n  tag: "${image.tag}"\nports:\n${ports.map((p) => `  - port: ${String(p.port)}${p.protocol ? `\n    protocol: ${String(p.protocol)}` : ''}`).join('\n')}\nenv:\n${Object.entries(env).map(([k, v]) => `  ${k}: ${v}`).join('\n')}\nresources:\n  cpu: ${res.cpu}\n  memory_mib: ${res.memory_mib}\nlevel: ${String(c.level)}\n`;
}

function rate(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function perSecond(fn: () => void, seconds = 1): number {
  for (let i = 0; i < 2000; i++) fn();
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    for (let i = 0; i < 1000; i++) fn();
    n += 1000;
  }
  return n / ((performance.now() - start) / 1000);
}

function wall(cmd: string, args: string[]): number {
  const start = performance.now();
  execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  return (performance.now() - start) / 1000;
}

interface PyResult { files: number; valid: number; invalid: number; seconds: number; validations_per_second: number; text_per_second: number; loader: string; pydantic: string }

export default async function bench(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'config-schema-bench-'));
  try {
    const schemaPath = join(dir, 'schema.json');
    writeFileSync(schemaPath, JSON.stringify(schema));
    const filesDir = join(dir, 'files');
    mkdirSync(filesDir);
    const yamlFiles: string[] = [];
    const jsonFiles: string[] = [];
    for (let i = 0; i < FILES; i++) {
      const c = config(i);
      yamlFiles.push(join(filesDir, `svc-${String(i).padStart(4, '0')}.yaml`));
      jsonFiles.push(join(filesDir, `svc-${String(i).padStart(4, '0')}.json`));
      writeFileSync(yamlFiles[i]!, toYaml(c));
      writeFileSync(jsonFiles[i]!, JSON.stringify(c, null, 2));
    }
    const small = config(1);
    const smallYaml = toYaml(small);

    // In-process: 2,000 files, best of 7 (the first run also compiles the schema).
    const ours: Record<string, number> = {};
    for (const [label, files] of [['yaml', yamlFiles], ['json', jsonFiles]] as const) {
      let best = Infinity;
      for (let round = 0; round < 7; round++) {
        const start = performance.now();
        const outcomes = await checkConfigFiles(files, { schema: schemaPath, env: false });
        const invalid = outcomes.filter((o) => !o.check?.valid).length;
        best = Math.min(best, (performance.now() - start) / 1000);
        if (invalid) throw new Error(`${invalid} generated ${label} files were invalid`);
      }
      ours[label] = best;
    }
    const py: Record<string, PyResult> = {};
    for (const ext of ['.yaml', '.json']) {
      let best: PyResult | undefined;
      for (let round = 0; round < 7; round++) {
        const out = JSON.parse(execFileSync('python3', [join(here, 'config-schema-pydantic.py'), filesDir, ext, JSON.stringify(small), ext === '.json' ? JSON.stringify(small, null, 2) : toYaml(small)], { encoding: 'utf8' })) as PyResult;
        if (out.invalid) throw new Error(`pydantic found ${out.invalid} invalid files`);
        if (!best || out.seconds < best.seconds) best = out;
      }
      py[ext.slice(1)] = best!;
    }

    // Whole processes: the CLI on 2,000 YAML files vs the python script (whose figure includes its 1 s rate loop, so it is timed without it below).
    const cliWall = Math.min(...[0, 1, 2].map(() => wall(process.execPath, [CLI, 'validate', ...yamlFiles, '--schema', schemaPath, '--no-env', '--log-level', 'silent'])));
    const pyWall = Math.min(...[0, 1, 2].map(() => wall('python3', [join(here, 'config-schema-pydantic.py'), filesDir, '.yaml', '{}', '--files-only'])));

    // In-process validations/second of one small config.
    const compiled = compileSchema(schema);
    const textRate = perSecond(() => checkConfigText(smallYaml, { schema: compiled, env: false, file: 'small.yaml' }));
    const smallJson = JSON.stringify(small, null, 2);
    const jsonTextRate = perSecond(() => checkConfigText(smallJson, { schema: compiled, env: false, file: 'small.json' }));
    const values = [structuredClone(small)];
    const valueRate = perSecond(() => compiled.validate(values[0]));
    const pyRate = py.yaml!.validations_per_second;

    const rows = [
      `| 2,000 YAML files, in one process | ${ours.yaml!.toFixed(3)} s | ${py.yaml!.seconds.toFixed(3)} s (${py.yaml!.loader} + pydantic) | ${(py.yaml!.seconds / ours.yaml!).toFixed(2)}x |`,
      `| 2,000 JSON files, in one process | ${ours.json!.toFixed(3)} s | ${py.json!.seconds.toFixed(3)} s (json + pydantic) | ${(py.json!.seconds / ours.json!).toFixed(2)}x |`,
      `| whole process on 2,000 YAML files (\`config-schema validate\` / the python script) | ${cliWall.toFixed(3)} s | ${pyWall.toFixed(3)} s | ${(pyWall / cliWall).toFixed(2)}x |`,
      `| small YAML config: text -> parse, validate, defaults (per second) | ${rate(textRate)}/s | ${rate(py.yaml!.text_per_second)}/s (yaml.load + model_validate) | ${(textRate / py.yaml!.text_per_second).toFixed(2)}x |`,
      `| small JSON config: text -> parse, validate, defaults (per second) | ${rate(jsonTextRate)}/s | ${rate(py.json!.text_per_second)}/s (json.loads + model_validate) | ${(jsonTextRate / py.json!.text_per_second).toFixed(2)}x |`,
      `| small config: validate loaded data with the compiled schema (per second) | ${rate(valueRate)}/s | ${rate(pyRate)}/s (model_validate of a dict) | ${(valueRate / pyRate).toFixed(2)}x |`,
    ];
    const fasterFiles = py.yaml!.seconds > ours.yaml! && py.json!.seconds > ours.json!;

    // Whole processes beside ajv-cli and the pydantic loader: big files, then many small ones.
    ensureTime();
    const big = bigFileRows(join(dir, 'big'), CLI, AJV);
    const wide = wideFileRows(join(dir, 'wide'), CLI);
    const small2 = smallFileRows(join(dir, 'small'), CLI, AJV, schemaPath, (path, i, bad) => writeFileSync(path, toYaml({ ...config(i), ...(bad ? { replicas: 0 } : {}) })), join(here, 'config-schema-pydantic.py'));
    return `## @ops/config-schema

${machineLine()}, pydantic ${py.yaml!.pydantic}

${FILES} generated service configs (about 20 lines each: nested image, ports list, env map, resources, enum level),
validated against the same rules: a JSON Schema for config-schema (draft 2020-12, ajv, compiled once and cached), a pydantic
model for the anchor (\`bench/config-schema-pydantic.py\`). Times are the best of 7 runs of the loop (read, parse, validate,
defaults), process start excluded; the ratio is pydantic time / config-schema time (above 1: config-schema is faster).

| measure | @ops/config-schema | pydantic loader | ratio |
| --- | ---: | ---: | ---: |
${rows.join('\n')}

### Whole processes beside ajv-cli and the pydantic loader

${big.note} Times and peak RSS from \`/usr/bin/time -v\`, medians of 3 runs, the tools interleaved;
the ratio column is config-schema / the anchor (below 1: config-schema is faster or smaller), except
where it says "faster".

| measure | @ops/config-schema | anchor | ratio (time / memory) |
| --- | ---: | ---: | ---: |
${[...big.rows, ...small2.rows].join('\n')}

${[...big.goals, ...small2.goals].map((g) => `- ${g}`).join('\n')}

### A file that needs the full parser

${wide.note} Medians of 3, \`/usr/bin/time -v\`; ratio: full parser / quick path.

| measure | @ops/config-schema | beside | ratio (time / memory) |
| --- | ---: | ---: | ---: |
${wide.rows.join('\n')}

${wide.goals.map((g) => `- ${g}`).join('\n')}

### In process

- 2,000 files faster than the pydantic loader: ${fasterFiles ? 'met' : 'NOT met'} (YAML ${(py.yaml!.seconds / ours.yaml!).toFixed(2)}x, JSON ${(py.json!.seconds / ours.json!).toFixed(2)}x)
- in-process validation of a small config >= 50,000/s: ${valueRate >= 50_000 ? 'met' : 'NOT met'} for loaded data (${rate(valueRate)}/s); from text (parse included): ${rate(jsonTextRate)}/s JSON, ${rate(textRate)}/s YAML
- the whole-process row is mostly module loading: the CLI imports \`@ops/core\` (winston), ajv, yaml and js-yaml before reading a file; on an idle machine that is a few hundred ms, here it waits on a busy disk and CPU
- the machine was shared with other jobs while this ran (load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores): absolute figures are noisy, the ratios less so
`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
