import { nibbleTables } from './fingerprints.js';
import { TEDDY_WASM_BASE64 } from './teddy-wasm.js';

// The compiler's lib (ES2023) has no WebAssembly types: the little used here, declared.
interface WasmMemory { readonly buffer: ArrayBuffer; grow(pages: number): number }
interface WasmGlobal { readonly value: number }
interface WasmModule { readonly __brand?: 'WasmModule' }
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { readonly exports: unknown };
}
const WebAssembly = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

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

let compiled: WasmModule | null | undefined;

function compile(): WasmModule | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(Buffer.from(TEDDY_WASM_BASE64, 'base64'));
    } catch {
      compiled = null; // no WebAssembly SIMD here: the caller falls back to the regular-expression pass
    }
  }
  return compiled;
}

/** A candidate finder with its own memory, or null when WebAssembly SIMD is unavailable. */
export function createCandidateFinder(): CandidateFinder | null {
  const mod = compile();
  if (!mod) return null;
  const wasm = new WebAssembly.Instance(mod, {}).exports as unknown as TeddyExports;
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
