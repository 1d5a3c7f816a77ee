import { ExitCode, formatErrorLine, parseCliArgs, UsageError, type CliContext } from '@ops/core';
import { resolveSchema, type ConfigCheck } from '../check-config.js';
import { checkConfigFiles } from '../check-files.js';
import { expandInputs } from '../load/expand-inputs.js';
import { StandardOrder } from '../output/standard-order.js';
import { configChunks } from '../output/standardize.js';
import { emit, loadOptions, outputFormat, LOAD_FLAGS, LOAD_FLAGS_HELP, printProblems } from './shared.js';

export const VALIDATE_USAGE = `Usage: config-schema validate CONFIG... --schema SCHEMA [--format json|yaml] [--output FILE]

CONFIG is a file, - for standard input, a directory (searched for .yaml, .yml and .json files)
or a glob pattern ('deploy/**/*.yaml', quoted or expanded by the shell).

Validates each CONFIG (YAML or JSON) against SCHEMA (JSON Schema draft 2020-12 or draft-07, JSON
or YAML; $refs to other files are relative to it). With one valid file, prints its standardized
form (defaults applied, keys in schema order then sorted). Problems go to stderr as
FILE:LINE:COL: message. Exit 0 valid, 1 invalid, 2 usage or unreadable file.

Options:
  --schema, -s SCHEMA   the JSON Schema file (required)
${LOAD_FLAGS_HELP}
`;

/** `config-schema validate`: check files against a schema, print the standardized form of one. */
export async function validateCommand(argv: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCliArgs(argv, { ...LOAD_FLAGS, schema: { type: 'string', short: 's' } });
  if (values.help) {
    ctx.stdout.write(VALIDATE_USAGE);
    return ExitCode.OK;
  }
  if (positionals.length === 0) throw new UsageError('validate needs at least one CONFIG file', { hint: 'config-schema validate app.yaml --schema schema.json' });
  if (!values.schema) throw new UsageError('validate needs --schema SCHEMA', { hint: 'config-schema validate app.yaml --schema schema.json (or use `format` to standardize without a schema)' });
  const files = await expandInputs(positionals);
  if (files.filter((f) => f === '-').length > 1) throw new UsageError('- (standard input) can be read once', { hint: 'pass - once' });
  if (values.output !== undefined && files.length > 1) throw new UsageError('--output takes one CONFIG file, got several', { hint: 'validate the files one at a time to write each' });
  const format = outputFormat(values.format, values.output);
  const schema = await resolveSchema(values.schema, ctx.signal);
  const options = { ...loadOptions(values, ctx.signal), schema };

  const checks: ConfigCheck[] = [];
  let unreadable = 0;
  for (const outcome of await checkConfigFiles(files, options)) {
    if (outcome.check) checks.push(outcome.check);
    else {
      // One unreadable file does not stop the others; it decides the exit code (2).
      if (files.length === 1 || (outcome.error as { exitCode?: number }).exitCode !== ExitCode.USAGE) throw outcome.error;
      unreadable++;
      ctx.stderr.write(`config-schema: ${formatErrorLine(outcome.error)}\n`);
    }
  }
  const problems = checks.flatMap((c) => c.problems);
  printProblems(ctx, problems, values.format);
  // One file named as such prints its standardized form; a directory or pattern never does.
  const single = files.length === 1 && positionals[0] === files[0] ? checks[0] : undefined;
  if (single?.valid && values.format !== 'github') {
    const documents = single.documents;
    await emit(ctx, configChunks(documents, format ?? single.format, options.allDocuments && documents.length !== 1, single.file, new StandardOrder(schema)), values.output);
  } else if (format === 'json') {
    ctx.stdout.write(`${JSON.stringify({ valid: problems.length === 0 && unreadable === 0, files: checks.map((c) => ({ file: c.file, valid: c.valid })), errors: problems }, null, 2)}\n`);
  }
  if (checks.length > 1) ctx.logger.info('validated', { files: checks.length, invalid: checks.filter((c) => !c.valid).length, problems: problems.length });
  if (unreadable) return ExitCode.USAGE;
  return problems.length ? ExitCode.PROBLEM : ExitCode.OK;
}
