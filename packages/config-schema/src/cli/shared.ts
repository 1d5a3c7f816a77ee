import { resolveOutputFormat, writeFileAtomic, type CliContext } from '@ops/core';
import type { ConfigFormat } from '../load/detect-format.js';
import { formatProblem, type ConfigProblem } from '../problem.js';

/** Flags every subcommand that reads configurations takes. */
export const LOAD_FLAGS = {
  format: { type: 'string' },
  output: { type: 'string', short: 'o' },
  'all-documents': { type: 'boolean' },
  'no-env': { type: 'boolean' },
  set: { type: 'string', multiple: true },
  'max-size': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const LOAD_FLAGS_HELP = `  --format json|yaml    output format (default: the input's); json also prints errors as data on stdout
  --output, -o FILE     write the standardized form to FILE atomically instead of stdout
  --all-documents       read every document of a multi-document YAML file
  --no-env              leave \${VAR} references as written
  --set PATH=VALUE      override a value (repeatable); VALUE is read as YAML: --set spec.replicas=3
  --max-size SIZE       largest file accepted (default 10MiB)`;

/** Writes each problem as `FILE:LINE:COL: message` on stderr. */
export function printProblems(ctx: CliContext, problems: readonly ConfigProblem[]): void {
  for (const problem of problems) ctx.stderr.write(`${formatProblem(problem)}\n`);
}

/** Writes `text` to `--output` atomically, or to stdout. */
export async function emit(ctx: CliContext, text: string, output: string | undefined): Promise<void> {
  if (output === undefined) {
    ctx.stdout.write(text);
    return;
  }
  await writeFileAtomic(output, text);
  ctx.logger.info('wrote standardized configuration', { path: output });
}

/** `--format`, else the `--output` file's extension, else undefined (the input's format). */
export function outputFormat(flag: string | undefined, output: string | undefined): ConfigFormat | undefined {
  if (flag !== undefined) return resolveOutputFormat<ConfigFormat>(flag, ['json', 'yaml'], { tty: 'yaml', pipe: 'yaml' });
  if (output === undefined) return undefined;
  if (/\.json$/i.test(output)) return 'json';
  if (/\.ya?ml$/i.test(output)) return 'yaml';
  return undefined;
}
