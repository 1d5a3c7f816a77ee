/** The longest chunk-size or trailer line accepted. */
const MAX_LINE = 4096;

/** An answer that is not HTTP/1.1 as expected (`rawRequest`, `chunkedDecoder`). */
export function protocolError(message: string): Error {
  return Object.assign(new Error(`malformed HTTP response: ${message}`), { code: 'HPE_INVALID' });
}

/** The chunk size at the start of `line` (hex digits, then optional whitespace, `;extensions`). */
function chunkSize(line: Buffer, end: number): number {
  let size = 0;
  let i = 0;
  for (; i < end && i < 13; i++) {
    const c = line[i]!;
    const digit = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
    if (digit < 0) break;
    size = size * 16 + digit;
  }
  const next = line[i];
  if (i === 0 || i === 13 || (i < end && next !== 0x3b && next !== 0x20 && next !== 0x09)) throw protocolError(`chunk size ${JSON.stringify(line.toString('latin1', 0, Math.min(end, 40)))}`);
  return size;
}

/**
 * A decoder of chunked transfer encoding: the body bytes of each piece fed go to `emit` at once
 * (one push per socket read, not one per HTTP chunk: a build printing 100,000 lines sends as many
 * chunks), `finish()` after the last chunk and its trailer.
 */
export function chunkedDecoder(emit: (chunk: Buffer) => void, finish: () => void): (chunk: Buffer) => void {
  let state: 'size' | 'data' | 'data-end' | 'trailer' | 'done' = 'size';
  /** The start of a line cut by the end of the previous piece. */
  let carry: Buffer | undefined;
  let left = 0;
  return (chunk) => {
    if (state === 'done') return;
    const parts: Buffer[] = [];
    let i = 0;
    while (i < chunk.length && state !== 'done') {
      if (state === 'data') {
        const n = Math.min(left, chunk.length - i);
        parts.push(chunk.subarray(i, i + n));
        i += n;
        left -= n;
        if (left === 0) state = 'data-end';
        continue;
      }
      const newline = chunk.indexOf(10, i);
      if (newline === -1) {
        carry = carry ? Buffer.concat([carry, chunk.subarray(i)]) : chunk.subarray(i);
        if (carry.length > MAX_LINE) throw protocolError('chunk line too long');
        break;
      }
      let line = chunk.subarray(i, newline);
      if (carry) {
        line = Buffer.concat([carry, line]);
        carry = undefined;
      }
      i = newline + 1;
      const end = line.length && line[line.length - 1] === 0x0d ? line.length - 1 : line.length;
      if (state === 'size') {
        left = chunkSize(line, end);
        state = left === 0 ? 'trailer' : 'data';
      } else if (state === 'data-end') {
        if (end !== 0) throw protocolError('chunk not followed by CRLF');
        state = 'size';
      } else if (end === 0) state = 'done'; // trailer fields are ignored
    }
    if (parts.length) emit(parts.length === 1 ? parts[0]! : Buffer.concat(parts));
    if (state === 'done') finish();
  };
}
