/** Running counts of a scanner. */
export interface ScannerStats {
  bytes: number;
  lines: number;
  /** Lines longer than `maxLineBytes`, not examined. */
  skippedLines: number;
}

/** What a line framer hands its scanner. */
export interface FramedScanner {
  /** Whole lines in buf[start, end), end just after a newline: returns the number of newlines. */
  body(buf: Buffer, start: number, end: number): number;
  /** One line that spanned chunks (or the last line, without its newline), as one buffer. */
  line(line: Buffer): void;
}

/** Cuts a byte stream into whole lines for a scanner. */
export interface LineFramer {
  push(chunk: Uint8Array): void;
  /** Scans the last line when it has no newline. */
  end(): void;
  readonly stats: ScannerStats;
}

const NL = 10;

/**
 * Passes each chunk's whole lines to `scanner.body` in one call and carries a line cut by a chunk
 * boundary over to the next chunk, up to `maxLineBytes`: a longer line is skipped (counted in
 * `skippedLines`) and never buffered whole, so a 1 GB line without a newline costs no memory.
 */
export function createLineFramer(maxLineBytes: number, scanner: FramedScanner): LineFramer {
  const stats: ScannerStats = { bytes: 0, lines: 0, skippedLines: 0 };
  let carry: Buffer[] = [];
  let carryBytes = 0;
  let skipping = false;

  const finishCarriedLine = (buf: Buffer | undefined, upTo: number) => {
    if (skipping) stats.skippedLines++;
    else scanner.line(Buffer.concat(buf ? [...carry, buf.subarray(0, upTo)] : carry));
    stats.lines++;
    carry = [];
    carryBytes = 0;
    skipping = false;
  };

  const keepTail = (buf: Buffer, from: number) => {
    if (from >= buf.length || skipping) return;
    carryBytes += buf.length - from;
    if (carryBytes > maxLineBytes) {
      carry = [];
      carryBytes = 0;
      skipping = true;
      return;
    }
    carry.push(Buffer.from(buf.subarray(from)));
  };

  return {
    stats,
    push(chunk) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      stats.bytes += buf.length;
      let start = 0;
      if (carryBytes > 0 || skipping) {
        const first = buf.indexOf(NL);
        if (first === -1) { keepTail(buf, 0); return; }
        finishCarriedLine(buf, first);
        start = first + 1;
      }
      const last = buf.lastIndexOf(NL);
      if (last >= start) {
        stats.lines += scanner.body(buf, start, last + 1);
        start = last + 1;
      }
      keepTail(buf, start);
    },
    end() {
      if (carryBytes > 0 || skipping) finishCarriedLine(undefined, 0);
    },
  };
}
