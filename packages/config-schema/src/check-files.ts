import { checkConfig, resolveSchema, type ConfigCheck } from './check-config.js';
import type { CheckOptions } from './defaults.js';

/** Options of `checkConfigFiles`. */
export interface CheckFilesOptions extends CheckOptions {
  /** Files read at once (their reads overlap; parsing stays on one thread). Defaults to 8. */
  readonly concurrency?: number;
}

/** The outcome for one file: its check, or the error that kept it from being read. */
export type FileOutcome = { readonly file: string; readonly check: ConfigCheck; readonly error?: undefined } | { readonly file: string; readonly check?: undefined; readonly error: unknown };

/**
 * Checks many files in one process, in input order, the schema compiled once. A file that cannot
 * be read is reported as an error outcome and does not stop the others.
 */
export async function checkConfigFiles(paths: readonly string[], options: CheckFilesOptions = {}): Promise<FileOutcome[]> {
  const { concurrency = 8, ...rest } = options;
  const schema = await resolveSchema(rest.schema, rest.signal);
  const shared = { ...rest, schema };
  const out: FileOutcome[] = new Array(paths.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < paths.length) {
      const index = next++;
      const file = paths[index]!;
      try {
        out[index] = { file, check: await checkConfig(file, shared) };
      } catch (error) {
        if ((error as Error).name === 'AbortError') throw error;
        out[index] = { file, error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, paths.length)) }, worker));
  return out;
}
