// A CI file with one very wide mapping: tens of thousands of small jobs at the top level, a hidden
// template (`.defaults: &defaults`) merged by every 100th job, and one `${DB_PASSWORD}` value, so
// that reading it with environment variables needs the full `yaml` parser (positions, anchors,
// substitution); with `--no-env` the same file takes the quick js-yaml path. One job has
// `timeout: NO` where the schema wants a number: one schema error, placed by line and column.
// Run directly to write a file: `pnpm exec tsx config-schema-wide.ts OUT.yaml [JOBS]`.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { STAGES, ciSchema } from './config-schema-big.js';

/** The JSON Schema the generated file is checked against. */
export const WIDE_SCHEMA = ciSchema({
  type: 'object',
  additionalProperties: false,
  required: ['stage', 'script'],
  properties: {
    image: { type: 'string' },
    tags: { type: 'array', items: { type: 'string' } },
    retry: { type: 'integer', minimum: 0, maximum: 2 },
    stage: { enum: ['build', 'test', 'deploy'] },
    timeout: { type: 'number', exclusiveMinimum: 0 },
    script: { type: 'array', minItems: 1, items: { type: 'string' } },
  },
});

/** What `wideCiYaml` made: the text, the number of jobs, and where the planted error is. */
export interface WideYaml {
  readonly text: string;
  readonly jobs: number;
  readonly error: { readonly pointer: string; readonly line: number; readonly col: number };
}

/** `jobs` jobs in one top-level mapping (60,000 make about 6.4 MB); the error is in the job at 90 %. */
export function wideCiYaml(jobs = 60_000): WideYaml {
  const head = `# Generated CI configuration (benchmark input): one very wide mapping
stages: [build, test, deploy]
variables:
  NODE_ENV: production
  DB_PASSWORD: \${DB_PASSWORD}
.defaults: &defaults
  image: registry.local/ci/node:20
  tags: [docker, linux]
  retry: 2
`;
  const parts = [head];
  let line = head.split('\n').length;
  const badIndex = Math.floor(jobs * 0.9);
  let error: WideYaml['error'] | undefined;
  for (let i = 0; i < jobs; i++) {
    const stage = STAGES[i % 3]!;
    const name = `job-${i}`;
    const base = i % 100 === 0 ? '  <<: *defaults\n' : '';
    const timeout = i === badIndex ? 'NO' : String(10 + (i % 50));
    const text = `${name}:\n${base}  stage: ${stage}\n  timeout: ${timeout}\n  script:\n    - make ${stage} SHARD=${i % 16} CI=1\n    - ./report.sh ${name}\n`;
    if (i === badIndex) error = { pointer: `/${name}/timeout`, line: line + (base ? 3 : 2), col: 12 };
    parts.push(text);
    line += 6 + (base ? 1 : 0);
  }
  return { text: parts.join(''), jobs, error: error! };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [out, jobs] = process.argv.slice(2);
  if (!out) throw new Error('usage: tsx config-schema-wide.ts OUT.yaml [JOBS]');
  const made = wideCiYaml(jobs ? Number(jobs) : undefined);
  writeFileSync(out, made.text);
  writeFileSync(out.replace(/\.ya?ml$/, '') + '-schema.json', JSON.stringify(WIDE_SCHEMA));
  console.log(`${out}: ${made.jobs} jobs, ${(made.text.length / 1e6).toFixed(1)} MB, error at line ${made.error.line}, col ${made.error.col} (${made.error.pointer})`);
}
