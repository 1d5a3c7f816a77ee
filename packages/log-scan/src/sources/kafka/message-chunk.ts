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

/** A fetched message: its offset (a decimal string, as kafkajs gives it) and value. */
export interface OffsetMessage {
  readonly offset: string;
  readonly value: Uint8Array | null;
}

/**
 * The values of `messages` with `from <= offset < end`, joined as by `messagesToChunk`, and the
 * offset after the last one taken (undefined when none was). Messages come in offset order.
 */
export function batchToChunk(messages: readonly OffsetMessage[], from: number, end: number): { chunk: Uint8Array; next: number } | undefined {
  let first = 0;
  while (first < messages.length && Number(messages[first]!.offset) < from) first++;
  let last = first;
  while (last < messages.length && Number(messages[last]!.offset) < end) last++;
  if (last === first) return undefined;
  const values: (Uint8Array | null)[] = new Array(last - first);
  for (let i = first; i < last; i++) values[i - first] = messages[i]!.value;
  return { chunk: messagesToChunk(values), next: Number(messages[last - 1]!.offset) + 1 };
}
