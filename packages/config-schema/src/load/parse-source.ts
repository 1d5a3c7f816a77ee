import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import { duplicateKeys } from './duplicate-keys.js';
import { pathFinder } from './segments-at.js';
import { binaryTag, timestampTag } from './yaml-tags.js';
import { pathOf, toPointer, type ConfigProblem } from '../problem.js';
import type { ConfigFormat } from './detect-format.js';

/** A file parsed into YAML documents (JSON is parsed by the same parser, in JSON mode). */
export interface ParsedSource {
  readonly file: string;
  readonly format: ConfigFormat;
  readonly text: string;
  readonly lineCounter: LineCounter;
  /** One entry per document; an empty file gives no document. */
  readonly docs: Document.Parsed[];
  /** Syntax errors and duplicate keys, with positions. */
  readonly problems: ConfigProblem[];
}

/**
 * Parses YAML 1.2 (core schema, plus `!!binary` and `!!timestamp` when tagged; `<<` merge keys
 * are resolved by `toPlain`) or JSON. Duplicate keys and syntax errors become problems with
 * their line and column. Duplicate keys are found after parsing, in linear time (`yaml`'s own
 * `uniqueKeys` check is quadratic in the width of a mapping), and take their place among the
 * parser's errors by offset.
 */
export function parseSource(file: string, text: string, format: ConfigFormat): ParsedSource {
  const lineCounter = new LineCounter();
  const problems: ConfigProblem[] = [];
  let docs: Document.Parsed[];
  try {
    docs = [...parseAllDocuments(text, {
      schema: format === 'json' ? 'json' : 'core', version: '1.2', merge: false, uniqueKeys: false,
      lineCounter, prettyErrors: false, strict: true, logLevel: 'silent', customTags: format === 'json' ? [] : [binaryTag, timestampTag],
    })];
  } catch (error) {
    // A RangeError from pathological nesting: report it instead of crashing.
    problems.push({ file, line: 1, col: 1, pointer: '', path: '(root)', kind: 'syntax', document: 0, message: `could not parse: ${(error as Error).message}` });
    return { file, format, text, lineCounter, docs: [], problems };
  }
  docs.forEach((doc, document) => {
    const contents = doc.contents;
    const segmentsAt = contents ? pathFinder(contents) : () => [];
    for (const warning of doc.warnings) {
      if (warning.code !== 'TAG_RESOLVE_FAILED') continue;
      const { line, col } = lineCounter.linePos(warning.pos[0]);
      const segments = segmentsAt(warning.pos[0]);
      const tag = /(![^\s]*)/.exec(text.slice(warning.pos[0], warning.pos[0] + 200))?.[1] ?? 'tag';
      problems.push({ file, line, col, pointer: toPointer(segments), path: pathOf(segments), kind: 'syntax', document, message: `${pathOf(segments)}: unknown tag ${tag}; only the YAML 1.2 core schema and !!binary, !!timestamp are read (no custom tags)` });
    }
    const duplicates = duplicateKeys(doc, text);
    let next = 0;
    const addDuplicates = (upTo: number): void => {
      for (; next < duplicates.length && duplicates[next]!.offset < upTo; next++) {
        const { offset, segments } = duplicates[next]!;
        const { line, col } = lineCounter.linePos(offset);
        problems.push({ file, line, col, pointer: toPointer(segments), path: pathOf(segments), kind: 'duplicate-key', document, message: `${pathOf(segments)}: duplicate key; a key may appear only once in a mapping` });
      }
    };
    for (const error of doc.errors) {
      // A repeated key is reported after the errors at or before its offset (those of the key itself).
      addDuplicates(error.pos[0]);
      const { line, col } = lineCounter.linePos(error.pos[0]);
      const segments = segmentsAt(error.pos[0]);
      if (error.code === 'TAG_RESOLVE_FAILED') {
        problems.push({ file, line, col, pointer: toPointer(segments), path: pathOf(segments), kind: 'syntax', document, message: `${pathOf(segments)}: ${error.message.replace(/\s+at line \d+, column \d+.*$/s, '')}` });
      } else {
        problems.push({ file, line, col, pointer: toPointer(segments), path: pathOf(segments), kind: 'syntax', document, message: `${format === 'json' ? 'JSON' : 'YAML'} syntax error: ${error.message.replace(/\s+at line \d+, column \d+.*$/s, '')}` });
      }
    }
    addDuplicates(Infinity);
  });
  return { file, format, text, lineCounter, docs, problems };
}
