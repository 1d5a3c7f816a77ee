import { ExitCode, parseCliArgs, UsageError, type CliContext } from '@ops/core';
import { checkConfig } from '../check-config.js';
import { inferSchema } from '../infer-schema.js';
import { expandInputs } from '../load/expand-inputs.js';
import { configChunks } from '../output/standardize.js';
import { emit, LOAD_FLAGS, loadOptions, outputFormat, printProblems } from './shared.js';

export const INFER_USAGE = `Usage: config-schema infer CONFIG... [--format json|yaml] [--output FILE] [--open]

Writes a starting JSON Schema (draft 2020-12) from example files: each key's type, the keys all
examples have as required, closed objects (additionalProperties: false) unless --open.
Exit 0 done, 1 an example is invalid, 2 usage or unreadable file.

Options:
  --format json|yaml    schema format (default json)
  --output, -o FILE     write the schema to FILE atomically instead of stdout
  --open                allow properties the examples do not show
  --all-documents       use every document of multi-document YAML files as examples
  --no-env              leave \${VAR} references as written
  --max-size SIZE       largest file accepted (default 10MiB)
  --max-depth N         deepest nesting accepted (default 1000)
`;

/** `config-schema infer`: a starting schema from example configurations. */
export async function inferCommand(argv: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCliArgs(argv, { ...LOAD_FLAGS, open: { type: 'boolean' } });
  if (values.help) {
    ctx.stdout.write(INFER_USAGE);
    return ExitCode.OK;
  }
  if (positionals.length === 0) throw new UsageError('infer needs at least one example CONFIG file', { hint: 'config-schema infer staging.yaml prod.yaml > schema.json' });
  const format = outputFormat(values.format, values.output) ?? 'json';
  const options = loadOptions(values, ctx.signal);
  const examples: unknown[] = [];
  let invalid = false;
  for (const file of await expandInputs(positionals)) {
    const check = await checkConfig(file, options);
    printProblems(ctx, check.problems, values.format);
    invalid ||= !check.valid;
    examples.push(...check.documents);
  }
  if (invalid) return ExitCode.PROBLEM;
  await emit(ctx, configChunks([inferSchema(examples, { additionalProperties: values.open ?? false })], format), values.output);
  return ExitCode.OK;
}
