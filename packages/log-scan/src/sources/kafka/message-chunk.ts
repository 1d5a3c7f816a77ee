const NEWLINE = 0x0a;

/**
 * Joins Kafka message values into one chunk of log lines. Each value is one or more lines; a
 * value without a trailing newline gets one, so its last line never runs into the first line of
 * the next message. Empty and null values are skipped.
 */
export function messagesToChunk(values: readonly (Uint8Array | null | undefined)[]): Uint8Array {
  let length = 0;
  for (const v of values) if (v && v.length > 0) length += v.length + (v[v.length - 1] === NEWLINE ? 0 : 1);
  const out = new Uint8Array(length);
  let at = 0;
  for (const v of values) {
    if (!v || v.length === 0) continue;
    out.set(v, at);
    at += v.length;
    if (v[v.length - 1] !== NEWLINE) out[at++] = NEWLINE;
  }
  return out;
}
