/** A value in words for messages: `the string "three"`, `the number 3.5`, `a list of 2 items`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return `the string ${quote(value)}`;
  if (typeof value === 'number') return Number.isInteger(value) ? `the integer ${value}` : `the number ${value}`;
  if (typeof value === 'boolean') return `the boolean ${value}`;
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

/** A short JSON rendering for messages, long strings cut at 60 characters. */
export function quote(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const TYPE_WORDS: Record<string, string> = {
  integer: 'an integer', number: 'a number', string: 'a string', boolean: 'a boolean (true or false)',
  object: 'a mapping', array: 'a list', null: 'null',
};

/** `integer` -> `an integer`; `string,null` -> `a string or null`. */
export function typeWords(types: string | readonly string[]): string {
  const list = typeof types === 'string' ? types.split(',') : types;
  return list.map((t) => TYPE_WORDS[t] ?? t).join(' or ');
}

/** `["a","b"]` -> `"a" or "b"`; cut after 8 values. */
export function oneOfWords(values: readonly unknown[]): string {
  const shown = values.slice(0, 8).map(quote);
  if (values.length > 8) shown.push(`... (${values.length - 8} more)`);
  return shown.length <= 2 ? shown.join(' or ') : `${shown.slice(0, -1).join(', ')} or ${shown.at(-1)}`;
}

/** The kind of a value without its content, for values that may be secrets: `a string`. */
export function describeKind(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return 'a string (value hidden)';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return describeValue(value);
}
