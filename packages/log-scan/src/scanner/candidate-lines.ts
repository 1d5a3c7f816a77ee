import type { RawMatch } from '../match/match-line.js';
import { MATCHERS } from '../matchers/all.js';
import type { SessionMemory } from '../match/session-memory.js';
import { createScannerInstance, moduleSessions, stampImports } from './scanner-module.js';
import { memoryView } from './wasm.js';

/** Finds candidate lines in byte ranges and reads the common ones, with the scanner module. */
export interface CandidateFinder {
  /**
   * Scans `bytes`, calling `onLine(start, end, newlinesBefore)` in order for each line holding a
   * fingerprint of a matcher anchor (end: its newline, or the end of bytes); returns the number
   * of newlines in `bytes`.
   */
  find(bytes: Uint8Array, onLine: (start: number, end: number, newlinesBefore: number) => void): number;
  /**
   * Reads the line [start, end) of the bytes being scanned (from `onLine`) with the module's fast
   * path (wasm/scanner.c, the same code `scan()` counts with): the failure, or undefined when the
   * line is not of a shape it knows and the matchers must decide.
   */
  readFound(start: number, end: number): RawMatch | undefined;
  /** The same for a line given on its own (a line carried over a chunk boundary). */
  read(line: Uint8Array): RawMatch | undefined;
  /** The module's sshd sessions (the fast path remembers the lines it reads there). */
  readonly sessions: SessionMemory;
}

const CAP = 4096; // lines reported per call

const unused = () => { throw new Error('the candidate finder does not count lines'); };

/**
 * A candidate finder (wasm/scanner.c's find_lines and read_line), or null when WebAssembly SIMD
 * is unavailable. `referenceMs`: what classic syslog times (no year) are read against.
 */
export function createCandidateFinder(referenceMs = Date.now()): CandidateFinder | null {
  const memory = memoryView(() => wasm.memory);
  const instance = createScannerInstance({
    ...stampImports(memory, referenceMs),
    slow_line: unused,
    export_out: unused,
    out_of_memory: () => { throw new Error('the WebAssembly memory cannot grow past 4 GiB'); },
  });
  if (!instance) return null;
  const wasm = instance;
  wasm.configure(-Infinity, Infinity, 0, 2 ** 32 - 1, referenceMs);
  // Where the bytes `find` scans are in the module's memory.
  let data = 0;

  // struct Reading of wasm/scanner.c: kind, ip_at, ip_len, user_at u32; user_len i32; pad; t, count f64.
  const readAt = (start: number, end: number): RawMatch | undefined => {
    if (!wasm.read_line(start, end)) return undefined;
    const mem = memory();
    const view = new DataView(mem.buffer);
    const r = wasm.line_reading();
    const ipAt = view.getUint32(r + 4, true);
    const userAt = view.getUint32(r + 12, true);
    const userLength = view.getInt32(r + 16, true);
    return {
      ip: mem.toString('latin1', ipAt, ipAt + view.getUint32(r + 8, true)),
      user: userLength < 0 ? null : mem.toString('latin1', userAt, userAt + userLength),
      kind: MATCHERS[view.getUint32(r, true)]!.kind,
      timeMs: view.getFloat64(r + 24, true),
      count: view.getFloat64(r + 32, true),
    };
  };

  return {
    sessions: moduleSessions(wasm, memory),
    find(bytes, onLine) {
      data = wasm.input(0, bytes.length);
      const out = wasm.scratch(CAP * 12);
      memory().set(bytes, data);
      const end = data + bytes.length;
      let start = data;
      let newlines = 0;
      while (start < end) {
        const n = wasm.find_lines(start, end, out, CAP);
        const triples = new Uint32Array(wasm.memory.buffer, out, CAP * 3);
        for (let k = 0; k < n; k++) onLine(triples[3 * k]! - data, triples[3 * k + 1]! - data, newlines + triples[3 * k + 2]!);
        newlines += wasm.find_newlines();
        start = wasm.find_resume();
      }
      return newlines;
    },
    readFound: (start, end) => readAt(data + start, data + end),
    read(line) {
      const at = wasm.input(1, line.length);
      memory().set(line, at);
      return readAt(at, at + line.length);
    },
  };
}
