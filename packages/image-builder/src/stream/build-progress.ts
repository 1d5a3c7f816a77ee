import { createJsonLineSplitter, type JsonLine } from './json-lines.js';

/** Progress of a build, as a script can follow it. */
export type BuildEvent =
  | { readonly type: 'context'; readonly entries: number; readonly bytes: number }
  | { readonly type: 'step'; readonly step: string; readonly index: number | undefined; readonly total: number | undefined }
  | { readonly type: 'output'; readonly line: string; readonly step: string | undefined; readonly index: number | undefined }
  | { readonly type: 'built'; readonly imageId: string }
  | { readonly type: 'warning'; readonly message: string };

/** What a build stream said, once it ended. */
export interface BuildOutcome {
  readonly imageId: string | undefined;
  readonly step: string | undefined;
  readonly stepIndex: number | undefined;
  readonly lastLines: string[];
  readonly error: { readonly message: string; readonly code: number | undefined } | undefined;
  readonly malformedLines: number;
}

export interface BuildProgress {
  /** Takes one parsed line of the stream. */
  accept(line: JsonLine): void;
  /** Flushes output not ended by a newline and returns what the build said. */
  finish(): BuildOutcome;
  /** The state so far, without flushing (for a timeout). */
  snapshot(): BuildOutcome;
}

const STEP = /^Step (\d+)\/(\d+) : (.*)$/;
const INTERNAL = /^ ---> |^Removing intermediate container |^Successfully (built|tagged) /;
const LAST_LINES = 20;

/**
 * Follows a legacy-builder JSON stream: joins `stream` text into lines (a line may span several
 * messages), tracks the current step and its last output lines, takes the image ID from
 * `aux.ID` (or "Successfully built"), and records the first `error`/`errorDetail`.
 */
export function createBuildProgress(emit: (event: BuildEvent) => void = () => undefined): BuildProgress {
  let text = '';
  let step: string | undefined;
  let stepIndex: number | undefined;
  let lastLines: string[] = [];
  let imageId: string | undefined;
  let shortId: string | undefined;
  let error: BuildOutcome['error'];
  let malformedLines = 0;

  const onLine = (raw: string) => {
    // The legacy builder wraps a RUN step's stderr in colour codes (ESC[91m ... ESC[0m).
    // eslint-disable-next-line no-control-regex
    const line = raw.replace(/\r$/, '').replace(/\u001b\[[0-9;]*m/g, '');
    const stepMatch = STEP.exec(line);
    if (stepMatch) {
      step = line;
      stepIndex = Number(stepMatch[1]);
      lastLines = [];
      emit({ type: 'step', step: line, index: stepIndex, total: Number(stepMatch[2]) });
      return;
    }
    const built = /^Successfully built ([0-9a-f]+)/.exec(line);
    if (built) shortId = built[1];
    if (line.trim() === '') return;
    if (!INTERNAL.test(line)) {
      lastLines.push(line);
      if (lastLines.length > LAST_LINES) lastLines.shift();
    }
    emit({ type: 'output', line, step, index: stepIndex });
  };
  const flushText = (all: boolean) => {
    let at = text.indexOf('\n');
    while (at !== -1) {
      onLine(text.slice(0, at));
      text = text.slice(at + 1);
      at = text.indexOf('\n');
    }
    if (all && text !== '') {
      onLine(text);
      text = '';
    }
  };
  const outcome = (): BuildOutcome => ({ imageId: imageId ?? shortId, step, stepIndex, lastLines: [...lastLines, ...(text.trim() ? [text.trim()] : [])].slice(-LAST_LINES), error, malformedLines });

  return {
    accept(line) {
      if (line.kind === 'malformed') {
        malformedLines++;
        emit({ type: 'warning', message: `ignored a malformed line in the build stream: ${line.text.slice(0, 200)}` });
        return;
      }
      const m = line.message;
      if (typeof m.stream === 'string') {
        text += m.stream;
        flushText(false);
      }
      const id = typeof m.aux === 'object' ? m.aux.ID : undefined;
      if (typeof id === 'string') {
        imageId = id;
        emit({ type: 'built', imageId: id });
      }
      const message = m.errorDetail?.message ?? m.error;
      if ((m.error !== undefined || m.errorDetail !== undefined) && !error) {
        flushText(true);
        error = { message: typeof message === 'string' && message ? message : 'the build failed (no message)', code: typeof m.errorDetail?.code === 'number' ? m.errorDetail.code : undefined };
      }
    },
    finish() {
      flushText(true);
      return outcome();
    },
    snapshot: outcome,
  };
}

const SAMPLE = '{"stream":"Step 1/1 : FROM x"}\r\n{"stream":"\\n ---\\u003e 0\\nSuccessfully built 0\\n"}\r\n{"aux":{"ID":"sha256:0"}}\r\n';

/**
 * Reads a sample of a build stream once, to no effect: V8 compiles regular expressions and first
 * runs code paths when they are first used, ~0.5-1 ms that would otherwise come after the
 * engine's answer. Called while the engine works on the build.
 */
export function prepareBuildProgress(): void {
  const progress = createBuildProgress();
  const splitter = createJsonLineSplitter();
  for (const line of splitter.push(Buffer.from(SAMPLE))) progress.accept(line);
  progress.finish();
}
