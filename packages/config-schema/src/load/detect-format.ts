/** The two input and output formats. */
export type ConfigFormat = 'yaml' | 'json';

/**
 * The format of a file: from its extension (`.json`, `.yaml`, `.yml`), else from its content
 * (JSON when the first non-blank character opens an object or array and it parses as JSON).
 */
export function detectFormat(path: string, text: string): ConfigFormat {
  const lower = path.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  const first = /\S/.exec(text)?.[0];
  return first === '{' || first === '[' ? 'json' : 'yaml';
}
