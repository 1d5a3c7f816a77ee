import { nibbleTables } from './fingerprints.js';
import { TEDDY_WASM_BASE64 } from './teddy-wasm.js';
import { instantiate, wasmModule, type WasmGlobal, type WasmMemory } from './wasm.js';

interface TeddyExports {
  readonly memory: WasmMemory;
  readonly nl: WasmGlobal;
  readonly resume: WasmGlobal;
  scan(start: number, end: number, out: number, cap: number): number;
}

/** Finds candidate positions and counts newlines in byte ranges, with WebAssembly SIMD. */
export interface CandidateFinder {
  /**
   * Scans `bytes`, calling `onCandidate(offset, newlinesBefore)` in order for each position where
   * a fingerprint may start; returns the number of newlines in `bytes`.
   */
  find(bytes: Uint8Array, onCandidate: (offset: number, newlinesBefore: number) => void): number;
}

const OUT = 128;
const OUT_CAP = 8192;
const DATA = OUT + OUT_CAP * 8;
const PAD = 32;

// No WebAssembly SIMD here: the caller falls back to the regular-expression pass.
const compile = wasmModule(TEDDY_WASM_BASE64);

/** A candidate finder with its own memory, or null when WebAssembly SIMD is unavailable. */
export function createCandidateFinder(): CandidateFinder | null {
  const mod = compile();
  if (!mod) return null;
  const wasm = instantiate<TeddyExports>(mod);
  let heap = new Uint8Array(wasm.memory.buffer);
  let out = new Int32Array(wasm.memory.buffer);
  heap.set(nibbleTables(), 0);
  return {
    find(bytes, onCandidate) {
      const need = DATA + bytes.length + PAD;
      if (need > heap.length) {
        wasm.memory.grow(Math.ceil((need - heap.length) / 65536));
        heap = new Uint8Array(wasm.memory.buffer);
        out = new Int32Array(wasm.memory.buffer);
      }
      heap.set(bytes, DATA);
      const end = DATA + bytes.length;
      let start = DATA;
      let newlines = 0;
      while (start < end) {
        const n = wasm.scan(start, end, OUT, OUT_CAP);
        for (let k = 0; k < n; k++) onCandidate(out[(OUT >> 2) + 2 * k]! - DATA, newlines + out[(OUT >> 2) + 2 * k + 1]!);
        newlines += wasm.nl.value;
        start = wasm.resume.value;
      }
      return newlines;
    },
  };
}
