/** One field of a protobuf message: varints as numbers, length-delimited fields as bytes. */
export type WireField = { readonly field: number; readonly varint: number; readonly bytes?: undefined } | { readonly field: number; readonly bytes: Uint8Array; readonly varint?: undefined };

/**
 * Reads the fields of a protobuf message (wire format only, no schema): enough for the few
 * BuildKit messages the client decodes. 64-bit varints lose precision past 2^53 (timestamps are fine).
 */
export function* readFields(buf: Uint8Array): Generator<WireField> {
  let at = 0;
  const varint = (): number => {
    let result = 0;
    let shift = 1;
    for (;;) {
      if (at >= buf.length) throw new Error('truncated protobuf varint');
      const byte = buf[at++]!;
      result += (byte & 0x7f) * shift;
      if (byte < 0x80) return result;
      shift *= 128;
    }
  };
  while (at < buf.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const type = key & 7;
    if (type === 0) yield { field, varint: varint() };
    else if (type === 2) {
      const length = varint();
      if (at + length > buf.length) throw new Error('truncated protobuf field');
      yield { field, bytes: buf.subarray(at, at + length) };
      at += length;
    } else if (type === 1) at += 8;
    else if (type === 5) at += 4;
    else throw new Error(`unsupported protobuf wire type ${type}`);
  }
}

const encoder = new TextEncoder();

function varintBytes(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 128) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

/** Encodes length-delimited fields (strings, bytes, nested messages) and varints into a message. */
export function writeFields(fields: readonly (readonly [number, string | Uint8Array | number])[]): Buffer {
  const parts: Uint8Array[] = [];
  for (const [field, value] of fields) {
    if (typeof value === 'number') {
      parts.push(Uint8Array.from([...varintBytes(field * 8), ...varintBytes(value)]));
      continue;
    }
    const bytes = typeof value === 'string' ? encoder.encode(value) : value;
    parts.push(Uint8Array.from([...varintBytes(field * 8 + 2), ...varintBytes(bytes.length)]), bytes);
  }
  return Buffer.concat(parts);
}
