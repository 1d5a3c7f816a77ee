// A big CI configuration shaped like a real GitLab CI file: global variables, hidden templates
// with anchors (`.defaults: &defaults`), and many jobs that merge them (`<<: [*defaults, *cache]`),
// each with its own distinct keys (variables, needs, rules, resources, environment). Generated
// for the benchmark, never committed.

export const STAGES = ['build', 'test', 'deploy'] as const;

/**
 * A GitLab-CI-shaped document schema (draft 2020-12): `stages`, global `variables`, hidden
 * templates (`.name`) and every other key a job as `job` describes it.
 */
export function ciSchema<Job extends object>(job: Job) {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    required: ['stages'],
    properties: {
      stages: { type: 'array', items: { enum: STAGES } },
      variables: { type: 'object', additionalProperties: { type: 'string' } },
    },
    patternProperties: { '^\\.': { type: 'object' } },
    additionalProperties: { $ref: '#/$defs/job' },
    $defs: { job },
  } as const;
}

/** The JSON Schema the generated file is checked against. */
export const CI_SCHEMA = ciSchema({
  type: 'object',
  additionalProperties: false,
  required: ['stage', 'script'],
  properties: {
    image: { type: 'string', minLength: 1 },
    interruptible: { type: 'boolean' },
    retry: {
      type: 'object',
      additionalProperties: false,
      properties: { max: { type: 'integer', minimum: 0, maximum: 2 }, when: { type: 'array', items: { enum: ['runner_system_failure', 'stuck_or_timeout_failure', 'script_failure'] } } },
    },
    tags: { type: 'array', items: { type: 'string' } },
    cache: { type: 'object', additionalProperties: false, properties: { key: { type: 'string' }, paths: { type: 'array', items: { type: 'string' } } } },
    stage: { enum: ['build', 'test', 'deploy'] },
    script: { type: 'array', minItems: 1, items: { type: 'string' } },
    variables: { type: 'object', additionalProperties: { type: 'string' } },
    needs: { type: 'array', items: { type: 'string' } },
    artifacts: { type: 'object', additionalProperties: false, properties: { paths: { type: 'array', items: { type: 'string' } }, expire_in: { type: 'string' } } },
    rules: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, properties: { if: { type: 'string' }, when: { enum: ['always', 'manual', 'never', 'on_success'] } } },
    },
    resources: {
      type: 'object',
      additionalProperties: false,
      required: ['cpu', 'memory_mib'],
      properties: { cpu: { type: 'number', exclusiveMinimum: 0 }, memory_mib: { type: 'integer', minimum: 16 } },
    },
    environment: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' }, url: { type: 'string' } } },
  },
});

function job(i: number, bad: boolean): string {
  const stage = STAGES[i % 3]!;
  const name = `job-${String(i).padStart(6, '0')}-${stage}`;
  const svc = `svc-${i}`;
  const needs = i > 2 ? `\n  needs: [job-${String(i - 1).padStart(6, '0')}-${STAGES[(i - 1) % 3]!}, job-${String(i - 2).padStart(6, '0')}-${STAGES[(i - 2) % 3]!}]` : '';
  // Every 150th job merges the templates (js-yaml 3 in ajv-cli stops at 10,000 merged keys per
  // file, config-schema at 10,000 values copied from aliases); the others write them out.
  const base = i % 150 === 0
    ? '  <<: [*defaults, *cache]'
    : `  image: registry.local/ci/node:${18 + (i % 3)}\n  interruptible: ${i % 5 !== 0}\n  tags: [docker, linux, shard-${i % 16}]\n  cache:\n    key: deps-${svc}\n    paths: [node_modules/, .npm/]`;
  return `${name}:
${base}
  stage: ${stage}
  script:
    - npm run ${stage} -- --target ${svc}
    - echo "done ${svc} at $(date -u +%FT%TZ)"
    - ./scripts/report.sh --service=${svc} --shard ${i % 16}
  variables:
    SERVICE_${i}_PORT: "${8000 + (i % 1000)}"
    SERVICE_${i}_REGION: eu-${i % 3}
    SERVICE_${i}_FLAGS: "--fast --retries=${i % 5}"${needs}
  artifacts:
    paths: [dist/${svc}/, reports/${svc}.xml]
    expire_in: 1 week
  rules:
    - if: '$CI_COMMIT_BRANCH == "main" && $SHARD == "${i % 16}"'
      when: always
    - when: ${i % 2 ? 'manual' : 'on_success'}
  resources:
    cpu: ${0.25 * ((i % 4) + 1)}
    memory_mib: ${bad ? 8 : 128 * ((i % 4) + 1)}
  environment:
    name: env-${i % 7}
    url: https://${svc}.example.invalid
`;
}

/** What `ciYaml` made: the text, and the path, line and column of the planted error (if any). */
export interface BigYaml {
  readonly text: string;
  readonly jobs: number;
  readonly error?: { readonly pointer: string; readonly line: number; readonly col: number };
}

/**
 * A CI file of at least `bytes` bytes. With `errorAtFraction` (0..1), the job at that point of the
 * file asks for 8 MiB of memory, below the schema's minimum of 16: one error deep in the file.
 */
export function ciYaml(bytes: number, errorAtFraction?: number): BigYaml {
  const head = `# Generated CI configuration (benchmark input)
stages: [build, test, deploy]
variables:
  NODE_ENV: production
  NPM_CONFIG_CACHE: .npm
  DOCKER_DRIVER: overlay2
.defaults: &defaults
  image: registry.local/ci/node:20
  interruptible: true
  retry:
    max: 2
    when: [runner_system_failure, stuck_or_timeout_failure]
  tags: [docker, linux]
.cache: &cache
  cache:
    key: deps-v1
    paths: [node_modules/, .npm/]
`;
  const approxJob = job(500, false).length;
  const total = Math.ceil((bytes - head.length) / approxJob);
  const badIndex = errorAtFraction === undefined ? -1 : Math.min(total - 1, Math.floor(total * errorAtFraction));
  const parts: string[] = [head];
  let length = head.length;
  let line = head.split('\n').length - 1;
  let error: BigYaml['error'];
  let i = 0;
  while (length < bytes) {
    const text = job(i, i === badIndex);
    if (i === badIndex) {
      const lines = text.split('\n');
      const at = lines.findIndex((l) => l.startsWith('    memory_mib: '));
      const name = lines[0]!.slice(0, -1);
      error = { pointer: `/${name}/resources/memory_mib`, line: line + at + 1, col: 17 };
    }
    parts.push(text);
    length += text.length;
    line += text.split('\n').length - 1;
    i++;
  }
  return { text: parts.join(''), jobs: i, ...(error ? { error } : {}) };
}
