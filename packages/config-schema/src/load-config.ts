import { checkConfig, type ConfigCheck } from './check-config.js';
import type { CheckOptions } from './defaults.js';
import { ConfigInvalidError } from './errors.js';
import type { FromSchema } from './from-schema.js';

/** Options of `loadConfig`: those of `checkConfig`, with a schema object for typing. */
export type LoadOptions<S> = Omit<CheckOptions, 'schema' | 'allDocuments'> & {
  /** A const JSON Schema, a TypeBox schema, or a schema file path (then the result is `unknown`). */
  readonly schema: S;
};

/** The type `loadConfig` gives for a schema: `FromSchema` of it, `unknown` for a file path. */
export type ConfigOf<S> = S extends string ? unknown : FromSchema<S>;

/**
 * Loads one configuration file and returns its data typed from the schema, defaults applied.
 * Throws `ConfigInvalidError` (code `CONFIG_INVALID`) listing every problem with its position.
 */
export async function loadConfig<const S>(path: string, options: LoadOptions<S>): Promise<ConfigOf<S>> {
  const check = await checkConfig(path, { ...options, schema: options.schema as CheckOptions['schema'] });
  return valid(check)[0] as ConfigOf<S>;
}

/** `loadConfig` for a multi-document YAML file: one typed value per document. */
export async function loadConfigDocuments<const S>(path: string, options: LoadOptions<S>): Promise<ConfigOf<S>[]> {
  const check = await checkConfig(path, { ...options, schema: options.schema as CheckOptions['schema'], allDocuments: true });
  return valid(check) as ConfigOf<S>[];
}

function valid(check: ConfigCheck): unknown[] {
  if (!check.valid) throw new ConfigInvalidError(check.problems);
  return check.documents;
}
