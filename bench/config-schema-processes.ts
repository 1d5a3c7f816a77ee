// Whole processes of the config-schema CLI beside ajv-cli 5 (a devDependency of the bench) and
// the seed's pydantic loader: a 42 MB CI-style YAML file (valid, one error deep in it, printed in
// standardized form), then many small files, start-up included. Time and peak RSS come from
// /usr/bin/time -v (Debian `time`, installed here when missing); each figure is the median of 3.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ciYaml, CI_SCHEMA } from './config-schema-big.js';
import { WIDE_SCHEMA, wideCiYaml } from './config-schema-wide.js';

/** One process: wall seconds, peak RSS in MiB, exit code, what it wrote on stderr. */
export interface Measured {
  readonly seconds: number;
  readonly rssMiB: number;
  readonly exit: number;
  readonly stderr: string;
}

/** Makes sure /usr/bin/time is there (Debian package `time`). */
export function ensureTime(): void {
  if (existsSync('/usr/bin/time')) return;
  execFileSync('apt-get', ['install', '-y', '-q', 'time'], { stdio: 'ignore' });
}

/** Runs a command under /usr/bin/time -v, stdout to /dev/null, with `env` added to the environment. */
export function measure(cmd: string, args: readonly string[], dir: string, env: Record<string, string> = {}): Measured {
  const report = join(dir, 'time.txt');
  const run = spawnSync('/usr/bin/time', ['-v', '-o', report, cmd, ...args], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 256 * 1024 * 1024, encoding: 'utf8', env: { ...process.env, ...env } });
  const text = readFileSync(report, 'utf8');
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):(\d+(?:\.\d+)?)/.exec(text);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(text);
  if (!wall || !rss) throw new Error(`no figures from /usr/bin/time for ${cmd}: ${text.slice(0, 300)}`);
  const seconds = Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]);
  return { seconds, rssMiB: Number(rss[1]) / 1024, exit: run.status ?? -1, stderr: run.stderr.slice(0, 2000) };
}

/** Median by time of `runs` runs of each command, interleaved so that load changes hit both alike. */
export function medians(commands: Record<string, () => Measured>, runs = 3): Record<string, Measured> {
  const all: Record<string, Measured[]> = {};
  for (let i = 0; i < runs; i++) for (const [name, run] of Object.entries(commands)) (all[name] ??= []).push(run());
  const out: Record<string, Measured> = {};
  for (const [name, list] of Object.entries(all)) {
    const byTime = [...list].sort((a, b) => a.seconds - b.seconds);
    const byRss = [...list].sort((a, b) => a.rssMiB - b.rssMiB);
    out[name] = { ...byTime[Math.floor(list.length / 2)]!, rssMiB: byRss[Math.floor(list.length / 2)]!.rssMiB };
  }
  return out;
}

/** The big-file rows and goals. */
export function bigFileRows(dir: string, cli: string, ajv: string, bytes = 42e6): { rows: string[]; goals: string[]; note: string } {
  const valid = ciYaml(bytes);
  const bad = ciYaml(bytes, 0.9);
  // Each file in its own directory: `validate DIR` checks without printing the standardized form.
  for (const [name, text] of [['valid', valid.text], ['bad', bad.text]] as const) {
    mkdirSync(join(dir, name), { recursive: true });
    writeFileSync(join(dir, name, 'ci.yaml'), text);
  }
  const schema = join(dir, 'ci-schema.json');
  writeFileSync(schema, JSON.stringify(CI_SCHEMA));
  const ours = (target: string, extra: string[] = []): Measured => measure(process.execPath, [cli, 'validate', target, '--schema', schema, '--max-size', '64MiB', '--no-env', '--log-level', 'silent', ...extra], dir);
  const theirs = (file: string): Measured => measure(ajv, ['validate', '-s', schema, '-d', file, '--spec=draft2020', '--all-errors'], dir);
  const m = medians({
    ajvValid: () => theirs(join(dir, 'valid', 'ci.yaml')),
    oursValid: () => ours(join(dir, 'valid')),
    ajvBad: () => theirs(join(dir, 'bad', 'ci.yaml')),
    oursBad: () => ours(join(dir, 'bad')),
    oursPrint: () => ours(join(dir, 'valid', 'ci.yaml')),
  });
  const expected = `:${bad.error!.line}:${bad.error!.col}: `;
  if (m.oursValid!.exit !== 0 || m.oursPrint!.exit !== 0 || m.ajvValid!.exit !== 0) throw new Error(`the valid file failed: ${m.oursValid!.stderr} ${m.ajvValid!.stderr}`);
  if (m.oursBad!.exit !== 1 || !m.oursBad!.stderr.includes(expected)) throw new Error(`the error was not reported at ${expected}: ${m.oursBad!.stderr}`);
  if (m.ajvBad!.exit !== 1) throw new Error(`ajv-cli did not find the error: ${m.ajvBad!.stderr}`);
  const row = (label: string, a: Measured, b: Measured | undefined, anchor: string): string =>
    `| ${label} | ${a.seconds.toFixed(2)} s / ${a.rssMiB.toFixed(0)} MiB | ${b ? `${b.seconds.toFixed(2)} s / ${b.rssMiB.toFixed(0)} MiB (${anchor})` : anchor} | ${b ? `${(a.seconds / b.seconds).toFixed(2)}x / ${(a.rssMiB / b.rssMiB).toFixed(2)}x` : ''} |`;
  const v = m.oursValid!;
  const rows = [
    row('42 MB YAML, valid: `validate DIR` / `ajv validate -d FILE`', v, m.ajvValid, 'ajv-cli 5, js-yaml 3'),
    row('42 MB YAML, one error at 90 % (line ' + String(bad.error!.line) + ')', m.oursBad!, m.ajvBad, 'ajv-cli: no line, only the path'),
    row('42 MB YAML, valid, standardized form printed (`validate FILE`)', m.oursPrint!, v, 'config-schema validating only'),
  ];
  const t = (a: Measured, b: Measured): number => a.seconds / b.seconds;
  const r = (a: Measured, b: Measured): number => a.rssMiB / b.rssMiB;
  const goals = [
    `42 MB valid <= 1.2x ajv-cli's time and memory: ${t(v, m.ajvValid!) <= 1.2 && r(v, m.ajvValid!) <= 1.2 ? 'met' : 'NOT met'} (${t(v, m.ajvValid!).toFixed(2)}x time, ${r(v, m.ajvValid!).toFixed(2)}x memory)`,
    `42 MB with one error <= 1.5x the valid case: ${t(m.oursBad!, v) <= 1.5 && r(m.oursBad!, v) <= 1.5 ? 'met' : 'NOT met'} (${t(m.oursBad!, v).toFixed(2)}x time, ${r(m.oursBad!, v).toFixed(2)}x memory; the error is placed at line ${bad.error!.line}, column ${bad.error!.col}, as generated)`,
    `standardized output <= 2x validation: ${t(m.oursPrint!, v) <= 2 && r(m.oursPrint!, v) <= 2 ? 'met' : 'NOT met'} (${t(m.oursPrint!, v).toFixed(2)}x time, ${r(m.oursPrint!, v).toFixed(2)}x memory)`,
  ];
  const note = `${valid.jobs.toLocaleString('en-US')} jobs, ${(valid.text.length / 1e6).toFixed(1)} MB, ${valid.text.split('\n').length.toLocaleString('en-US')} lines: a GitLab-CI-shaped file (global variables, hidden templates with anchors, every 150th job merging them with \`<<: [*defaults, *cache]\`; ajv-cli's js-yaml 3 refuses more than 10,000 merged keys per file), each job with its own variables, needs, rules, resources and environment; schema: draft 2020-12 with \`$ref\`, \`additionalProperties: false\`, patterns, enums, minimums. check-jsonschema is not in the run: pip cannot reach PyPI from this machine.`;
  return { rows, goals, note };
}

/**
 * The wide-mapping rows: a 6.5 MB file with a 60,000-key mapping and one `${DB_PASSWORD}`, read
 * with the variable set (the full parser: positions, anchors, substitution) and as the same file
 * with the reference written out (the quick path); both with their one schema error.
 */
export function wideFileRows(dir: string, cli: string): { rows: string[]; goals: string[]; note: string } {
  const wide = wideCiYaml();
  mkdirSync(dir, { recursive: true });
  const full = join(dir, 'wide.yaml');
  const quick = join(dir, 'wide-quick.yaml');
  writeFileSync(full, wide.text);
  writeFileSync(quick, wide.text.replace('${DB_PASSWORD}', 'written-out'));
  const schema = join(dir, 'wide-schema.json');
  writeFileSync(schema, JSON.stringify(WIDE_SCHEMA));
  const ours = (file: string, extra: string[] = []): Measured => measure(process.execPath, [cli, 'validate', file, '--schema', schema, '--log-level', 'silent', ...extra], dir, { DB_PASSWORD: 'bench-secret' });
  const m = medians({
    quick: () => ours(quick),
    full: () => ours(full),
    fullPrint: () => ours(full, ['--set', `${wide.error.pointer.slice(1).replace('/', '.')}=30`]),
  });
  const expected = `:${wide.error.line}:${wide.error.col}: `;
  for (const [name, run] of [['quick', m.quick!], ['full', m.full!]] as const) {
    if (run.exit !== 1 || !run.stderr.includes(expected)) throw new Error(`wide file (${name}): the error was not reported at ${expected}: ${run.stderr}`);
  }
  if (m.fullPrint!.exit !== 0) throw new Error(`wide file with --set: ${m.fullPrint!.stderr}`);
  const cell = (a: Measured): string => `${a.seconds.toFixed(2)} s / ${a.rssMiB.toFixed(0)} MiB`;
  const ratio = (a: Measured, b: Measured): string => `${(a.seconds / b.seconds).toFixed(2)}x / ${(a.rssMiB / b.rssMiB).toFixed(2)}x`;
  const q = m.quick!;
  const rows = [
    `| ${(wide.text.length / 1e6).toFixed(1)} MB, ${wide.jobs.toLocaleString('en-US')}-key mapping, one error, \`\${DB_PASSWORD}\` set: the full parser | ${cell(m.full!)} | ${cell(q)} (the same file, \`\${...}\` written out: quick path) | ${ratio(m.full!, q)} |`,
    `| the same with \`--set\` fixing the error: standardized form printed (full parser) | ${cell(m.fullPrint!)} | ${cell(q)} (quick path, validating) | ${ratio(m.fullPrint!, q)} |`,
  ];
  const goals = [`a file needing the full parser, 60,000-key mapping: ${(m.full!.seconds / q.seconds).toFixed(1)}x the quick path's time (before #21's fix, 2026-12-04: 134 s, 50x: yaml's duplicate-key check compared each key with all earlier ones)`];
  const note = `Wide mapping: ${wide.jobs.toLocaleString('en-US')} jobs of 6 lines in one top-level mapping, every 100th merging \`.defaults\` (\`<<: *defaults\`), one \`timeout: NO\` where a number is required (\`bench/config-schema-wide.ts\`).`;
  return { rows, goals, note };
}

/** The small-file rows: 1,000 files beside ajv-cli, 2,001 files beside the pydantic loader. */
export function smallFileRows(dir: string, cli: string, ajv: string, schemaPath: string, write: (path: string, i: number, bad: boolean) => void, pydantic: string): { rows: string[]; goals: string[] } {
  const thousand = join(dir, 'thousand');
  const many = join(dir, 'many');
  mkdirSync(thousand, { recursive: true });
  mkdirSync(many, { recursive: true });
  for (let i = 0; i < 1000; i++) write(join(thousand, `svc-${String(i).padStart(4, '0')}.yaml`), i, false);
  for (let i = 0; i < 2001; i++) write(join(many, `svc-${String(i).padStart(4, '0')}.yaml`), i, i === 2000);
  const ours = (target: string): Measured => measure(process.execPath, [cli, 'validate', target, '--schema', schemaPath, '--no-env', '--log-level', 'silent'], dir);
  const m = medians({
    ajv1000: () => measure(ajv, ['validate', '-s', schemaPath, '-d', join(thousand, '*.yaml'), '--spec=draft2020', '--all-errors'], dir),
    ours1000: () => ours(thousand),
    py2001: () => measure('python3', [pydantic, many, '.yaml', '{}', '--files-only'], dir),
    ours2001: () => ours(many),
  });
  if (m.ours1000!.exit !== 0 || m.ajv1000!.exit !== 0) throw new Error(`1,000 valid files: ${m.ours1000!.stderr} ${m.ajv1000!.stderr}`);
  if (m.ours2001!.exit !== 1 || m.py2001!.exit !== 0) throw new Error(`2,001 files with one invalid: ${m.ours2001!.stderr} ${m.py2001!.stderr}`);
  const rows = [
    `| 1,000 small YAML files, whole process (\`validate DIR\` / \`ajv validate -d 'DIR/*.yaml'\`) | ${m.ours1000!.seconds.toFixed(2)} s / ${m.ours1000!.rssMiB.toFixed(0)} MiB | ${m.ajv1000!.seconds.toFixed(2)} s / ${m.ajv1000!.rssMiB.toFixed(0)} MiB (ajv-cli) | ${(m.ajv1000!.seconds / m.ours1000!.seconds).toFixed(2)}x faster |`,
    `| 2,001 small YAML files (one invalid), whole process (\`validate DIR\` / the pydantic script) | ${m.ours2001!.seconds.toFixed(2)} s / ${m.ours2001!.rssMiB.toFixed(0)} MiB | ${m.py2001!.seconds.toFixed(2)} s / ${m.py2001!.rssMiB.toFixed(0)} MiB (pydantic loader) | ${(m.py2001!.seconds / m.ours2001!.seconds).toFixed(2)}x faster |`,
  ];
  const goals = [
    `1,000 small files incl. start-up faster than ajv-cli: ${m.ours1000!.seconds < m.ajv1000!.seconds ? 'met' : 'NOT met'} (${(m.ajv1000!.seconds / m.ours1000!.seconds).toFixed(2)}x)`,
    `2,001 small files incl. start-up faster than the pydantic loader: ${m.ours2001!.seconds < m.py2001!.seconds ? 'met' : 'NOT met'} (${(m.py2001!.seconds / m.ours2001!.seconds).toFixed(2)}x)`,
  ];
  return { rows, goals };
}

/** Removes a directory tree (the generated inputs are never kept). */
export function cleanup(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
