import { ExitCode, parseCliArgs, UsageError, type CliContext } from '@ops/core';
import { checkConfig } from '../check-config.js';
import { StandardOrder } from '../output/standard-order.js';
import { configChunks } from '../output/standardize.js';
import { emit, LOAD_FLAGS, LOAD_FLAGS_HELP, loadOptions, outputFormat, printProblems } from './shared.js';

export const FORMAT_USAGE = `Usage: config-schema format CONFIG [--format json|yaml] [--output FILE]

Standardizes CONFIG without a schema: keys sorted, JSON with 2 spaces and a final newline, or YAML.
Equivalent YAML and JSON inputs give the same bytes. Problems (syntax, duplicate keys) go to stderr
as FILE:LINE:COL: message. Exit 0 done, 1 invalid, 2 usage or unreadable file.

Options:
${LOAD_FLAGS_HELP}
`;

/** `config-schema format`: standardize one file without a schema. */
export async function formatCommand(argv: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCliArgs(argv, LOAD_FLAGS);
  if (values.help) {
    ctx.stdout.write(FORMAT_USAGE);
    return ExitCode.OK;
  }
  if (positionals.length !== 1) throw new UsageError(`format takes one CONFIG file, got ${positionals.length}`, { hint: 'config-schema format app.yaml --format json' });
  const format = outputFormat(values.format, values.output);
  const options = loadOptions(values, ctx.signal);
  const check = await checkConfig(positionals[0]!, options);
  printProblems(ctx, check.problems, values.format);
  if (!check.valid) return ExitCode.PROBLEM;
  if (values.format === 'github') return ExitCode.OK;
  const documents = check.documents;
  await emit(ctx, configChunks(documents, format ?? check.format, options.allDocuments && documents.length !== 1, check.file, new StandardOrder()), values.output);
  return ExitCode.OK;
}
