import { endsInsideAddress } from './cut-address.js';

/** Running counts of a scanner. */
export interface ScannerStats {
  bytes: number;
  lines: number;
  /** Lines longer than `maxLineBytes`, not examined, and lines cut inside their address (see `LineFramer.end`). */
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
  /**
   * Scans the last line when it has no newline, unless it is a failure whose address runs into its
   * end (it may be cut inside the address): that line is counted in `skippedLines`, and its length
   * returned (0 when nothing was left out).
   */
  end(): number;
  /**
   * Drops a partial line (after a failed read), to go on with another range of lines: a line cut by
   * the failure is counted in `skippedLines`, never scanned. Returns its bytes (0: none).
   */
  reset(): number;
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

  const dropCarry = () => {
    carry = [];
    carryBytes = 0;
    skipping = false;
  };

  const keepTail = (buf: Buffer, from: number) => {
    if (from >= buf.length || skipping) return;
    carryBytes += buf.length - from;
    if (carryBytes > maxLineBytes) {
      dropCarry();
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
      const first = buf.indexOf(NL);
      if (first === -1) { keepTail(buf, 0); return; }
      const last = buf.lastIndexOf(NL);
      const carried = carryBytes > 0 || skipping;
      let line: Buffer | undefined;
      if (carried && !skipping) line = Buffer.concat([...carry, buf.subarray(0, first)]);
      if (carried && skipping) stats.skippedLines++;
      dropCarry();
      // The tail is kept before anything is scanned: scanning may detach buf when it is a view
      // of WebAssembly memory that grows.
      keepTail(buf, last + 1);
      if (carried) {
        if (line) scanner.line(line);
        stats.lines++;
      }
      const start = carried ? first + 1 : 0;
      if (last >= start) stats.lines += scanner.body(buf, start, last + 1);
    },
    end() {
      if (carryBytes === 0 && !skipping) return 0;
      let cut = 0;
      if (skipping) {
        stats.skippedLines++;
      } else {
        const line = Buffer.concat(carry);
        if (endsInsideAddress(line)) {
          stats.skippedLines++;
          cut = line.length;
        } else {
          scanner.line(line);
        }
      }
      stats.lines++;
      dropCarry();
      return cut;
    },
    reset() {
      const dropped = carryBytes;
      if (carryBytes > 0 || skipping) {
        stats.skippedLines++;
        stats.lines++;
      }
      dropCarry();
      return dropped;
    },
  };
}
