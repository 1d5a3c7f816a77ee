import { describe, expect, test } from '@jest/globals';
import { checkConfigText } from './check-config.js';

// A CI file of a few MB shaped like GitLab CI: templates with anchors, jobs merging them.
const schema = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    additionalProperties: false,
    properties: {
      image: { type: 'string', pattern: '^registry' },
      tags: { type: 'array', items: { type: 'string' } },
      stage: { enum: ['build', 'test'] },
      script: { type: 'array', items: { type: 'string' } },
      resources: { type: 'object', required: ['memory_mib'], properties: { memory_mib: { type: 'integer', minimum: 16 } } },
    },
  },
} as const;

/** Where the generated file goes wrong: the job with 8 MiB, and optionally more. */
interface Faults {
  readonly unknownKeyAt?: number;
  readonly badTagAt?: number;
  readonly badStageAt?: number;
}

/** The text, and the 1-based line of each job's name, tags and `memory_mib` (its value at column 17). */
function ciText(jobs: number, faults: Faults = {}, templateImage = 'registry.local/node:20'): { text: string; memoryLine: number[]; tagsLine: number[] } {
  let text = `.defaults: &defaults\n  image: ${templateImage}\n  tags: [docker]\n`;
  let line = 4;
  const memoryLine: number[] = [];
  const tagsLine: number[] = [];
  for (let i = 0; i < jobs; i++) {
    const head = i % 100 === 0 ? '  <<: *defaults\n' : `  image: registry.local/node:20\n  tags: [docker, ${i === faults.badTagAt ? 7 : '"shard-1"'}]\n`;
    const extra = i === faults.unknownKeyAt ? '  unknown: 1\n' : '';
    const stage = i === faults.badStageAt ? 'deploy' : i % 2 ? 'test' : 'build';
    const job = `job-${i}:\n${head}  stage: ${stage}\n${extra}  script:\n    - make ${i} # build it\n    - |\n      echo "multi: line"\n      echo done\n\n  resources:\n    memory_mib: ${i === jobs - 3 ? 8 : 512}\n`;
    const lines = job.split('\n');
    memoryLine.push(line + lines.findIndex((l) => l.startsWith('    memory_mib')));
    tagsLine.push(line + lines.findIndex((l) => l.startsWith('  tags')));
    line += lines.length - 1;
    text += job;
  }
  return { text, memoryLine, tagsLine };
}

/** Problems as `LINE:COL: message`; with `full`, a `${...}` in a comment makes the full parser read the file. */
function problems(text: string, full = false): string[] {
  const input = full ? `# \${NOTHING}\n${text}` : text;
  const shift = full ? 1 : 0;
  return checkConfigText(input, { schema, env: full ? {} : false, maxBytes: 64 * 1024 * 1024, file: 'ci.yaml' }).problems.map((p) => `${p.line - shift}:${p.col}: ${p.message}`);
}

describe('an error deep in a big document is placed exactly', () => {
  const jobs = 20_000; // about 4 MB

  test('one error near the end: its line and column', () => {
    const { text, memoryLine } = ciText(jobs);
    expect(text.length).toBeGreaterThan(3_500_000);
    expect(problems(text)).toEqual([`${memoryLine[jobs - 3]}:17: job-${jobs - 3}.resources.memory_mib: must be >= 16, got the integer 8`]);
  });

  test('errors of different kinds deep in the file: a key, a list item, a value', () => {
    const { text, tagsLine } = ciText(jobs, { unknownKeyAt: 10_000, badTagAt: 15_001, badStageAt: 17_500 });
    const found = problems(text);
    expect(found).toHaveLength(4);
    expect(found[0]).toMatch(/^\d+:3: job-10000\.unknown: is not an allowed property/);
    expect(found[1]).toBe(`${tagsLine[15_001]}:18: job-15001.tags[1]: must be a string, got the integer 7`);
    expect(found[2]).toMatch(/^\d+:10: job-17500\.stage: must be one of "build" or "test", got the string "deploy"/);
  });

  test('the places are the ones the full parser gives (a smaller file: the full parser is slow)', () => {
    const { text } = ciText(400, { unknownKeyAt: 150, badTagAt: 201, badStageAt: 250 });
    const quick = problems(text);
    expect(quick).toHaveLength(4);
    expect(problems(text, true)).toEqual(quick);
  });

  test('an error in a merged template (not written in the job) is placed by the full parser', () => {
    const { text } = ciText(300, {}, 'docker.io/node:20');
    const found = problems(text);
    // The template itself and jobs 0, 100, 200 that merge it: each error points at the template's value.
    expect(found.filter((p) => p.startsWith('2:10: ')).length).toBe(4);
    expect(found.some((p) => /job-297\.resources\.memory_mib/.test(p))).toBe(true);
  });
});

describe('wide documents through the full parser (positions, variables, aliases)', () => {
  test('a 5,000-job file gives through the full parser what the quick path gives', () => {
    const { text } = ciText(5_000, { unknownKeyAt: 2_500, badTagAt: 3_751, badStageAt: 4_375 });
    const quick = problems(text);
    expect(quick).toHaveLength(4);
    expect(problems(text, true)).toEqual(quick);
  });

  test('a problem in every one of 10,000 jobs: each schema error and unset variable is placed', () => {
    const jobs = 10_000;
    const text = Array.from({ length: jobs }, (_, i) => `job-${i}:\n  stage: deploy\n  pw: \${UNSET_${i}}\n`).join('');
    const check = checkConfigText(text, { schema: { additionalProperties: { properties: { stage: { enum: ['build', 'test'] } } } }, env: {}, file: 'ci.yaml' });
    const expected = Array.from({ length: jobs }, (_, i) => [
      `${3 * i + 2}:10: job-${i}.stage: must be one of "build" or "test", got the string "deploy"`,
      `${3 * i + 3}:7: job-${i}.pw: environment variable UNSET_${i} is not set (write \${UNSET_${i}:-default} to give a default)`,
    ]).flat();
    expect(check.problems.map((p) => `${p.line}:${p.col}: ${p.message}`)).toEqual(expected);
  });

  test('20,000 aliases and merges resolve to their own anchors', () => {
    const jobs = 10_000;
    const text = `v: \${V}\n${Array.from({ length: jobs }, (_, i) => `t${i}: &t${i}\n  n: ${i}\njob-${i}:\n  <<: *t${i}\n  same: *t${i}\n`).join('')}`;
    const check = checkConfigText(text, { env: { V: 'x' }, maxAliasNodes: 100_000 });
    expect(check.problems).toEqual([]);
    const doc = check.documents[0] as Record<string, { n: number; same?: { n: number } }>;
    for (const i of [0, 1, 4_999, jobs - 1]) expect(doc[`job-${i}`]).toEqual({ n: i, same: { n: i } });
    expect(Object.keys(doc)).toHaveLength(2 * jobs + 1);
  });
});
