import { readFileSync } from 'node:fs';
import { checkConfig, standardize, stringifyConfig, type ConfigProblem } from '@ops/config-schema';
import { indent, type DemoPart } from './ui.js';

/** The problem's source line with a caret under its column, like a compiler. */
function pointAt(lines: readonly string[], p: ConfigProblem): string {
  const number = String(p.line).padStart(3);
  return `${number} | ${lines[p.line - 1] ?? ''}\n${' '.repeat(number.length)} | ${' '.repeat(Math.max(0, p.col - 1))}^ ${p.message}`;
}

export const validateConfigs: DemoPart = {
  pkg: '@ops/config-schema',
  title: 'validate sample configs against a JSON Schema',
  async run({ out, say, fixture, signal }) {
    const schema = fixture('deploy.schema.json');
    const good = await checkConfig(fixture('deploy.yaml'), { schema, signal });
    say(`fixtures/deploy.yaml: ${good.valid ? 'valid' : `${good.problems.length} problems`}; standardized (schema key order, defaults filled in):`);
    const text = stringifyConfig(good.documents.map((doc) => standardize(doc, good.schema)), 'yaml');
    out.write(indent(indent(text)));

    const badFile = fixture('deploy-invalid.yaml');
    const bad = await checkConfig(badFile, { schema, signal });
    say(`fixtures/deploy-invalid.yaml: ${bad.valid ? 'valid' : `${bad.problems.length} problems, every one at its line`}:`);
    const lines = readFileSync(badFile, 'utf8').split(/\r?\n/);
    for (const problem of bad.problems) out.write(indent(indent(pointAt(lines, problem))));
  },
};
