import { parseSize, resolveOutputFormat, UsageError, writeFileAtomic, type CliContext } from '@ops/core';
import type { CheckOptions } from '../defaults.js';
import type { ConfigFormat } from '../load/detect-format.js';
import { formatProblem, type ConfigProblem } from '../problem.js';
import { githubAnnotation, wantsAnnotations } from './github-annotation.js';

/** Flags every subcommand that reads configurations takes. */
export const LOAD_FLAGS = {
  format: { type: 'string' },
  output: { type: 'string', short: 'o' },
  'all-documents': { type: 'boolean' },
  'no-env': { type: 'boolean' },
  set: { type: 'string', multiple: true },
  'max-size': { type: 'string' },
  'max-depth': { type: 'string' },
  'require-document': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const LOAD_FLAGS_HELP = `  --format json|yaml|github
                        output format (default: the input's); json also prints errors as data
                        on stdout; github prints them as GitHub Actions annotations on stdout
                        (in GitHub Actions they are added beside the plain lines anyway)
  --output, -o FILE     write the standardized form to FILE atomically instead of stdout
  --all-documents       read every document of a multi-document YAML file
  --no-env              leave \${VAR} references as written
  --set PATH=VALUE      override a value (repeatable); VALUE is read as YAML: --set spec.replicas=3
  --max-size SIZE       largest file accepted (default 10MiB)
  --max-depth N         deepest nesting accepted (default 1000)
  --require-document    with --all-documents, a file without any document is a problem
                        (empty documents are skipped; one file alone always needs one)`;

/** The parsed values of LOAD_FLAGS. */
export interface LoadFlagValues {
  readonly 'all-documents'?: boolean;
  readonly 'no-env'?: boolean;
  readonly set?: string[];
  readonly 'max-size'?: string;
  readonly 'max-depth'?: string;
  readonly 'require-document'?: boolean;
}

/** The check options the load flags ask for (one place for every subcommand). */
export function loadOptions(values: LoadFlagValues, signal: AbortSignal): CheckOptions {
  const maxDepth = values['max-depth'];
  if (maxDepth !== undefined && !/^[1-9][0-9]*$/.test(maxDepth)) throw new UsageError(`Expected \`--max-depth\` to be a positive integer, got "${maxDepth}"`, { hint: '--max-depth 2000' });
  return {
    allDocuments: values['all-documents'] ?? false,
    env: values['no-env'] ? false : process.env,
    set: values.set ?? [],
    ...(values['max-size'] === undefined ? {} : { maxBytes: parseSize(values['max-size'], 'max-size') }),
    ...(maxDepth === undefined ? {} : { maxDepth: Number(maxDepth) }),
    ...(values['require-document'] ? { requireDocument: true } : {}),
    signal,
  };
}

/**
 * Writes each problem as `FILE:LINE:COL: message` on stderr; with annotations (`--format github`,
 * or in GitHub Actions) also as `::error file=...` workflow commands on stdout (only those with
 * `--format github`).
 */
export function printProblems(ctx: CliContext, problems: readonly ConfigProblem[], format?: string): void {
  const annotate = wantsAnnotations(format);
  if (format !== 'github') for (const problem of problems) ctx.stderr.write(`${formatProblem(problem)}\n`);
  if (annotate) for (const problem of problems) ctx.stdout.write(`${githubAnnotation(problem)}\n`);
}

/** Writes the text to `--output` atomically, or to stdout chunk by chunk as it is made. */
export async function emit(ctx: CliContext, chunks: Iterable<string>, output: string | undefined): Promise<void> {
  if (output === undefined) {
    for (const chunk of chunks) {
      if (!ctx.stdout.write(chunk)) await drained(ctx.stdout);
    }
    return;
  }
  let text = '';
  for (const chunk of chunks) text += chunk;
  // writeFileAtomic writes a device or a FIFO (/dev/null, /dev/stdout, <(...)) in place.
  await writeFileAtomic(output, text);
  ctx.logger.info('wrote standardized configuration', { path: output });
}

/** `--format`, else the `--output` file's extension, else undefined (the input's format; also for `github`). */
export function outputFormat(flag: string | undefined, output: string | undefined): ConfigFormat | undefined {
  if (flag === 'github') return undefined;
  if (flag !== undefined) return resolveOutputFormat<ConfigFormat>(flag, ['json', 'yaml'], { tty: 'yaml', pipe: 'yaml' });
  if (output === undefined) return undefined;
  if (/\.json$/i.test(output)) return 'json';
  if (/\.ya?ml$/i.test(output)) return 'yaml';
  return undefined;
}

/** Resolves when a stream can take more, or is closed (a reader gone away must not hang us). */
function drained(stream: CliContext['stdout']): Promise<void> {
  return new Promise((done) => {
    const finish = (): void => {
      stream.off('drain', finish).off('close', finish).off('error', finish);
      done();
    };
    stream.once('drain', finish).once('close', finish).once('error', finish);
  });
}
