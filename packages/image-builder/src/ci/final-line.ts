import { formatErrorLine, isOpsError, redactString } from '@ops/core';
import type { LogMode } from './log-mode.js';
import { safeLine } from './output-printer.js';

/** Where a build failure sits in the Dockerfile, for an annotation. */
export interface FailurePlace {
  readonly file: string;
  readonly line: number | undefined;
}

const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/**
 * The CLI's last line for an error, in the log mode: `name: CODE: message (hint)` as text, a JSON
 * object `{level, name, code, message, hint, exitCode}`, or on GitHub an `::error` annotation
 * (on the Dockerfile line of the failing instruction when known) followed by the text line.
 */
export function finalErrorLine(name: string, error: unknown, mode: LogMode, exitCode: number, place?: FailurePlace): string {
  if (mode === 'json') {
    const body = isOpsError(error) ? { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) } : { code: 'UNEXPECTED', message: formatErrorLine(error) };
    return `${JSON.stringify({ level: 'error', cli: name, ...body, message: redactString(body.message), exitCode, time: new Date().toISOString() })}\n`;
  }
  // The message may carry the build's last output lines (the daemon's text): each line made safe
  // as the printer makes the build's lines (control characters escaped; on GitHub, no line that
  // starts a workflow command).
  const text = `${name}: ${safeText(redactString(formatErrorLine(error)), mode)}`;
  if (mode !== 'github') return `${text}\n`;
  const title = isOpsError(error) ? error.code : 'error';
  const props = [place ? `file=${escapeProperty(place.file)}` : undefined, place?.line ? `line=${place.line}` : undefined, `title=${escapeProperty(title)}`].filter(Boolean).join(',');
  const summary = isOpsError(error) ? `${error.message}${error.hint ? ` (${error.hint})` : ''}` : formatErrorLine(error);
  return `::error ${props}::${escapeData(safeText(redactString(summary), 'text'))}\n${text}\n`;
}

function safeText(text: string, mode: LogMode): string {
  return text.split('\n').map((line) => safeLine(line, mode)).join('\n');
}

/** The CLI's last line on success, in the log mode (a note on stderr; results go to stdout). */
export function finalOkLine(name: string, message: string, mode: LogMode): string {
  if (mode === 'json') return `${JSON.stringify({ level: 'info', cli: name, message, time: new Date().toISOString() })}\n`;
  return `${name}: ${message}\n`;
}
