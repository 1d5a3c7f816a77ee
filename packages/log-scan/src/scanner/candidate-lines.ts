import { createScannerInstance } from './scanner-module.js';

/** Finds candidate lines and counts newlines in byte ranges, with WebAssembly SIMD. */
export interface CandidateFinder {
  /**
   * Scans `bytes`, calling `onLine(start, end, newlinesBefore)` in order for each line holding a
   * fingerprint of a matcher anchor (end: its newline, or the end of bytes); returns the number
   * of newlines in `bytes`.
   */
  find(bytes: Uint8Array, onLine: (start: number, end: number, newlinesBefore: number) => void): number;
}

const CAP = 4096; // lines reported per call

const unused = () => { throw new Error('the candidate finder does not match lines'); };

/** A candidate finder (wasm/scanner.c's find_lines), or null when WebAssembly SIMD is unavailable. */
export function createCandidateFinder(): CandidateFinder | null {
  const wasm = createScannerInstance({
    stamp_ms: unused, hour_ms: unused, slow_line: unused,
    out_of_memory: () => { throw new Error('the WebAssembly memory cannot grow past 4 GiB'); },
  });
  if (!wasm) return null;
  return {
    find(bytes, onLine) {
      const data = wasm.input(0, bytes.length);
      const out = wasm.scratch(CAP * 12);
      new Uint8Array(wasm.memory.buffer).set(bytes, data);
      const triples = new Uint32Array(wasm.memory.buffer, out, CAP * 3);
      const end = data + bytes.length;
      let start = data;
      let newlines = 0;
      while (start < end) {
        const n = wasm.find_lines(start, end, out, CAP);
        for (let k = 0; k < n; k++) onLine(triples[3 * k]! - data, triples[3 * k + 1]! - data, newlines + triples[3 * k + 2]!);
        newlines += wasm.find_newlines();
        start = wasm.find_resume();
      }
      return newlines;
    },
  };
}
