import { csvField } from '@ops/core';
import { escapeText, jsonSafe } from './escape-text.js';

// OWASP CSV injection: a cell starting with one of these is read as a formula by spreadsheets
// (full-width forms too, which some of them fold). Tab and CR are already escaped by escapeText.
const FORMULA_START = /^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;

/**
 * One CSV field of text from a log: control characters and invalid UTF-8 escaped (as in the text
 * output), a leading formula character neutralized with a `'` (OWASP), quoted when it holds a comma,
 * a quote or a line break (RFC 4180).
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = escapeText(value);
  return csvField(FORMULA_START.test(text) ? `'${text}` : text);
}

/**
 * A list (users) as one unambiguous cell: a JSON array, e.g. `["root","a b"]` (control characters
 * and invalid UTF-8 as JSON escapes; it starts with `[`, never a formula).
 */
export function csvList(values: readonly string[]): string {
  return csvField(jsonSafe(JSON.stringify(values)));
}
