import { classicStampMs } from '../match/parse-prefix.js';
import type { SessionMemory } from '../match/session-memory.js';
import { MATCHERS } from '../matchers/all.js';
import { FINGERPRINTS, nibbleTables } from './fingerprints.js';
import { SCANNER_WASM_BASE64 } from './scanner-wasm.js';
import { instantiate, wasmModule, type WasmMemory, type WasmModule } from './wasm.js';

/** What wasm/scanner.c exports. */
export interface ScannerExports {
  readonly memory: WasmMemory;
  nibble_tables(): number;
  set_fingerprints(at: number, count: number): number;
  configure(sinceMs: number, untilMs: number, maxUsersPerIp: number, maxLineBytes: number, referenceMs: number): void;
  input(area: 0 | 1, bytes: number): number;
  skipped_lines(): number;
  scratch(bytes: number): number;
  scan(start: number, end: number): number;
  find_lines(start: number, end: number, out: number, cap: number): number;
  find_resume(): number;
  find_newlines(): number;
  set_range(index: number): void;
  set_heap_limit(bytes: number): void;
  read_line(start: number, end: number): number;
  line_reading(): number;
  add(kind: number, ipBytes: number, userBytes: number, timeMs: number, count: number): void;
  set_kinds(lo: number, hi: number): void;
  session_remember(hostBytes: number, pid: number, ipBytes: number, timeMs: number): void;
  session_recall(hostBytes: number, pid: number, timeMs: number): number;
  session_area(): number;
  ip_table(): number;
  ip_count(): number;
  user_table(): number;
  user_count(): number;
  pair_block(k: number): number;
  pairs_per_block(): number;
  pair_count(): number;
  mark_table(): number;
  mark_count(): number;
  spill_table(): number;
  spill_count(): number;
  ip_stride(): number;
  kind_slots(): number;
  kind_slot_of(k: number): number;
  ip_hot_slots(): number;
  /** 0: hot, 1: rest, 2: key (then len), 3: wide. */
  ip_offset_of(field: 0 | 1 | 2 | 3): number;
  /** Sizes the block of what was counted since the last export: its bytes. */
  export_begin(): number;
  /** Hands that block to `export_out` in pieces, in order. */
  export_write(): void;
  reserve(bytes: number): number;
  import_tables(at: number): void;
  set_kind_name(k: number, at: number, bytes: number): void;
  result_prepare(minFailures: number, top: number): number;
  result_write(bytes: number, area: 0 | 1, mayGrow: 0 | 1): number;
  result_out(): number;
  result_count(): number;
  result_matches(): number;
  result_addresses(): number;
}

/** What the module imports from JavaScript (see wasm/scanner.c). */
export interface ScannerImports {
  stamp_ms(at: number): number;
  hour_ms(month: number, day: number, hour: number, yearsBack: number): number;
  slow_line(start: number, end: number): void;
  out_of_memory(bytes: number): void;
  /** The next `n` bytes of the block export_write makes, at `at` (valid during the call). */
  export_out(at: number, n: number): void;
}

/**
 * The time imports: classic stamps the module cannot read itself go to `classicStampMs`, and the
 * epoch ms of a local hour in the reference time's year (or years before).
 */
export function stampImports(memory: () => Buffer, referenceMs: number): Pick<ScannerImports, 'stamp_ms' | 'hour_ms'> {
  const referenceYear = new Date(referenceMs).getFullYear();
  return {
    stamp_ms: (at) => classicStampMs(memory().toString('latin1', at, at + 15), referenceMs) ?? NaN,
    hour_ms: (month, day, hour, yearsBack) => new Date(referenceYear - yearsBack, month, day, hour).getTime(),
  };
}

const FINGERPRINT_CODES = FINGERPRINTS.map((f) => (f.charCodeAt(0) << 16) | (f.charCodeAt(1) << 8) | f.charCodeAt(2));
const compile = wasmModule(SCANNER_WASM_BASE64);
let adopted: WasmModule | undefined;

/**
 * The compiled scanner module (null without WebAssembly SIMD): what a worker thread is given,
 * so that it does not compile the module again (its code, optimized tiers included, is shared).
 */
export function scannerModule(): WasmModule | null {
  return adopted ?? compile();
}

/** Uses `module` (scannerModule() of another thread) for the instances made in this thread. */
export function adoptScannerModule(module: WasmModule): void {
  adopted = module;
}

/** The scanner module's session table (wasm/scanner.c), for the lines JavaScript reads. */
export function moduleSessions(wasm: ScannerExports, memory: () => Buffer): SessionMemory {
  // A host longer than the module's area (1024 bytes) is not remembered: no real host name is.
  const putHost = (host: string): number => {
    const at = wasm.session_area();
    const n = memory().write(host.slice(0, 1025), at, 1025, 'utf8');
    return n > 1024 ? -1 : n;
  };
  return {
    remember(host, pid, ip, timeMs) {
      const hostBytes = putHost(host);
      if (hostBytes < 0 || ip.length > 64) return;
      memory().write(ip, wasm.session_area() + hostBytes, 'latin1');
      wasm.session_remember(hostBytes, pid, ip.length, timeMs ?? NaN);
    },
    recall(host, pid, timeMs) {
      const hostBytes = putHost(host);
      const n = hostBytes < 0 ? 0 : wasm.session_recall(hostBytes, pid, timeMs ?? NaN);
      const at = wasm.session_area();
      return n === 0 ? null : memory().toString('latin1', at, at + n);
    },
  };
}

/** Bits of the kinds counted, as set_kinds takes them (kind k: bit k of hi << 32 | lo). */
export function kindBits(kinds: readonly string[] | undefined): [number, number] {
  if (kinds === undefined) return [0xffffffff, 0xffffffff];
  let lo = 0;
  let hi = 0;
  for (const kind of kinds) {
    const k = MATCHERS.findIndex((m) => m.kind === kind);
    if (k < 0) continue;
    if (k < 32) lo |= 1 << k;
    else hi |= 1 << (k - 32);
  }
  return [lo >>> 0, hi >>> 0];
}

/**
 * A new instance of the scanner module with its candidate tables written (the Teddy nibble
 * tables and the exact fingerprints of the matchers' anchors), or null without WebAssembly SIMD.
 */
export function createScannerInstance(imports: ScannerImports): ScannerExports | null {
  const mod = scannerModule();
  if (!mod) return null;
  const wasm = instantiate<ScannerExports>(mod, { env: imports });
  new Uint8Array(wasm.memory.buffer, wasm.nibble_tables(), 96).set(nibbleTables());
  const at = wasm.scratch(4 * FINGERPRINT_CODES.length);
  const view = new DataView(wasm.memory.buffer); // (made after scratch(), which may grow the memory)
  FINGERPRINT_CODES.forEach((code, k) => view.setUint32(at + 4 * k, code, true));
  if (!wasm.set_fingerprints(at, FINGERPRINT_CODES.length)) throw new Error(`${FINGERPRINT_CODES.length} fingerprints: the scanner module holds 64 at most`);
  MATCHERS.forEach((m, k) => {
    const name = Buffer.from(m.kind, 'latin1');
    new Uint8Array(wasm.memory.buffer, at, name.length).set(name);
    wasm.set_kind_name(k, at, name.length);
  });
  return wasm;
}
