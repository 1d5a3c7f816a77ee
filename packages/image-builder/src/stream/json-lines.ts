/** One message of the Engine's JSON stream (build and push progress). */
export interface StreamMessage {
  readonly stream?: string;
  readonly status?: string;
  readonly id?: string;
  readonly progress?: string;
  readonly progressDetail?: { readonly current?: number; readonly total?: number };
  readonly error?: string;
  readonly errorDetail?: { readonly code?: number; readonly message?: string };
  readonly aux?: Record<string, unknown> | string;
  readonly [key: string]: unknown;
}

/** What the splitter gives for each complete line. */
export type JsonLine = { readonly kind: 'message'; readonly message: StreamMessage } | { readonly kind: 'malformed'; readonly text: string };

export interface JsonLineSplitter {
  /** Feeds a chunk; returns the complete lines it finished. */
  push(chunk: Buffer | string): JsonLine[];
  /** Flushes a last line without a newline. */
  end(): JsonLine[];
}

/**
 * Splits the Engine's newline-delimited JSON stream. A message cut across chunks is kept until
 * its newline arrives; a line that is not a JSON object is returned as `malformed` instead of
 * throwing; several objects on one line (`}{`) are split apart.
 */
export function createJsonLineSplitter(): JsonLineSplitter {
  let pending = '';
  const decoder = new TextDecoder('utf-8');
  const parseLine = (line: string): JsonLine[] => {
    const text = line.trim();
    if (text === '') return [];
    try {
      const value: unknown = JSON.parse(text);
      if (value && typeof value === 'object' && !Array.isArray(value)) return [{ kind: 'message', message: value as StreamMessage }];
      return [{ kind: 'malformed', text }];
    } catch {
      if (text.includes('}{')) {
        const parts = text.split(/}\s*{/);
        if (parts.length > 1) return parts.flatMap((p, i) => parseLineNoSplit(`${i === 0 ? '' : '{'}${p}${i === parts.length - 1 ? '' : '}'}`));
      }
      return [{ kind: 'malformed', text }];
    }
  };
  const parseLineNoSplit = (text: string): JsonLine[] => {
    try {
      const value: unknown = JSON.parse(text);
      return value && typeof value === 'object' && !Array.isArray(value) ? [{ kind: 'message', message: value as StreamMessage }] : [{ kind: 'malformed', text }];
    } catch {
      return [{ kind: 'malformed', text }];
    }
  };
  return {
    push(chunk) {
      pending += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
      const out: JsonLine[] = [];
      let at = pending.indexOf('\n');
      while (at !== -1) {
        out.push(...parseLine(pending.slice(0, at)));
        pending = pending.slice(at + 1);
        at = pending.indexOf('\n');
      }
      return out;
    },
    end() {
      pending += decoder.decode();
      const rest = pending;
      pending = '';
      return parseLine(rest);
    },
  };
}
