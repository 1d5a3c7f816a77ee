// The compiler's lib (ES2023) has no WebAssembly types: the little used here, declared.
export interface WasmMemory { readonly buffer: ArrayBuffer; grow(pages: number): number }
export interface WasmModule { readonly __brand?: 'WasmModule' }
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { readonly exports: unknown };
}
const WebAssembly = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/**
 * A Buffer over a module's memory, made again after the memory grew (growing detaches the old
 * buffer): `memory` is read on each call, so the instance may be created after the view.
 */
export function memoryView(memory: () => WasmMemory): () => Buffer {
  let view = Buffer.alloc(0);
  return () => (view.buffer === memory().buffer ? view : (view = Buffer.from(memory().buffer)));
}

/** Compiles a base64 module once; null when this runtime cannot (no WebAssembly SIMD). */
export function wasmModule(base64: string): () => WasmModule | null {
  let compiled: WasmModule | null | undefined;
  return () => {
    if (compiled === undefined) {
      try {
        compiled = new WebAssembly.Module(Buffer.from(base64, 'base64'));
      } catch {
        compiled = null;
      }
    }
    return compiled;
  };
}

/** A new instance of a compiled module, its exports typed by the caller. */
export function instantiate<T>(module: WasmModule, imports: object = {}): T {
  return new WebAssembly.Instance(module, imports).exports as T;
}
