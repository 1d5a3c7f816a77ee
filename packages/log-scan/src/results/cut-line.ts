import { LastLineCutError } from '../errors/last-line-cut-error.js';
import type { SourceFailure } from './scan-result.js';

/** The failure of a source whose last line, `bytes` long at `lineStart`, was left out (see `LastLineCutError`). */
export function cutLineFailure(source: string, lineStart: number, bytes: number): SourceFailure {
  const error = new LastLineCutError(source, lineStart, bytes);
  return { source, byteOffset: lineStart, code: error.code, message: error.message };
}

/** A failure's message, saying that the incomplete line it cut (`dropped` bytes ending at `at`) was not counted. */
export function noteDroppedLine(message: string, dropped: number, at: number): string {
  return dropped > 0 ? `${message}; the incomplete line before it (${dropped} bytes at byte ${at - dropped}) was not counted` : message;
}
