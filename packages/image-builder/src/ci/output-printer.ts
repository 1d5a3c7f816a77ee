import { redactString } from '@ops/core';
import type { LogMode } from './log-mode.js';

/** Writes build and push progress for people (text, GitHub groups) or machines (JSON lines). */
export interface OutputPrinter {
  /** A new step: a heading in text, a `::group::` on GitHub, a JSON line. */
  step(title: string): void;
  /** One output line of the current step. */
  line(text: string): void;
  /** A message of the tool itself (warning, result). */
  note(level: 'info' | 'warn' | 'error', text: string): void;
  /** Closes an open group and writes what is buffered. */
  end(): void;
  /**
   * Readies the first write without writing anything (the redaction rules' and the control-character
   * patterns compiled: ~1 ms): called while the engine works, before its output arrives.
   */
  prepare(): void;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f\u009b]/;
// eslint-disable-next-line no-control-regex
const CONTROL_ALL = /[\u0000-\u0008\u000b-\u001f\u007f\u009b]/g;

/** Makes text safe for a terminal or a CI log: control characters become `\xNN`, and a line cannot start a workflow command. */
export function safeLine(text: string, mode: LogMode): string {
  let out = CONTROL.test(text) ? text.replace(CONTROL_ALL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`) : text;
  if (mode === 'github' && out.startsWith('::')) out = ` ${out}`;
  return out;
}

const FLUSH_AT = 64 * 1024;
const FLUSH_AFTER_MS = 50;

/**
 * Buffers lines and writes them in large chunks (100k build lines are not 100k writes); text and
 * GitHub lines are the build's own text, JSON lines carry `{level, message, time}` (and `step`).
 * Secrets registered with `@ops/core` are redacted from every line (per written chunk).
 */
export function createOutputPrinter(stream: NodeJS.WritableStream, mode: LogMode): OutputPrinter {
  let buffer = '';
  let open = false;
  let currentStep: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  const push = (text: string) => {
    buffer += text;
    if (buffer.length >= FLUSH_AT) flush();
    // A quiet step still shows its last line soon; a chatty one is written in large chunks.
    else timer ??= setTimeout(flush, FLUSH_AFTER_MS);
  };
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    // Redacted per chunk of whole lines (one pass of each rule per 64 KiB, not per line); JSON
    // lines are redacted before encoding, where a secret still reads as written.
    if (buffer) stream.write(mode === 'json' ? buffer : redactString(buffer));
    buffer = '';
  };
  const json = (level: string, message: string, extra?: Record<string, unknown>) => `${JSON.stringify({ level, message, ...extra, time: new Date().toISOString() })}\n`;
  const escapeCommand = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  return {
    step(title) {
      const clean = redactString(safeLine(title, mode));
      currentStep = clean;
      if (mode === 'json') return push(json('info', clean, { type: 'step' }));
      if (mode === 'github') {
        if (open) push('::endgroup::\n');
        open = true;
        return push(`::group::${escapeCommand(clean)}\n`);
      }
      push(`${clean}\n`);
    },
    line(text) {
      push(mode === 'json' ? json('info', redactString(safeLine(text, mode)), { step: currentStep }) : `${safeLine(text, mode)}\n`);
    },
    note(level, text) {
      const clean = redactString(safeLine(text, mode));
      if (mode === 'json') return push(json(level, clean));
      if (mode === 'github' && open) {
        push('::endgroup::\n');
        open = false;
      }
      push(level === 'info' ? `${clean}\n` : `${mode === 'github' ? `::${level === 'warn' ? 'warning' : 'error'}::` : `${level}: `}${mode === 'github' ? escapeCommand(clean) : clean}\n`);
      flush();
    },
    end() {
      if (open) push('::endgroup::\n');
      open = false;
      flush();
    },
    prepare() {
      redactString(safeLine('Step 1/1 : FROM x', mode));
    },
  };
}
