import { TablesFullError } from '../errors/tables-full-error.js';
import { createLineMatcher } from '../match/line-matcher.js';
import { MATCHERS } from '../matchers/all.js';
import { createAggregator, DEFAULT_MAX_USERS_PER_IP } from '../results/aggregate.js';
import { numbering, type PartialCounts } from '../results/partial-counts.js';
import { createChunkScanner } from './chunk-scanner.js';
import { decodeBytes, encodeBytes } from './decode-bytes.js';
import { createLineFramer, type ScannerStats } from './line-framer.js';
import { createFailureFilter } from './time-filter.js';
import { createScannerInstance, kindBits, moduleSessions, stampImports, type ScannerExports } from './scanner-module.js';
import { memoryView } from './wasm.js';

/** Options of `createCountingScanner`. */
export interface CountingScannerOptions {
  /** Lines longer than this are skipped (counted in `skippedLines`), never buffered whole. */
  readonly maxLineBytes: number;
  /** Epoch ms classic syslog timestamps are read against. */
  readonly referenceMs: number;
  /** Only failures at or after this time (epoch ms). */
  readonly sinceMs?: number;
  /** Only failures before this time (epoch ms). */
  readonly untilMs?: number;
  /** Only failures of these kinds. Defaults to every kind. */
  readonly kinds?: readonly string[];
  /** Count in WebAssembly when available (else the JavaScript chunk scanner and aggregator). Defaults to true. */
  readonly wasm?: boolean;
  /** Most bytes of WebAssembly memory (read areas and tables); past it `TablesFullError`. Defaults to 4 GiB. */
  readonly maxMemoryBytes?: number;
}

/** Scans a byte stream and counts every failure per address (what `scan()` reports). */
export interface CountingScanner {
  /** Scans the next bytes of the source; lines may span chunks. */
  push(chunk: Uint8Array): void;
  /**
   * Reads the next bytes with `read` (given a buffer of `maxBytes`, returns how many it wrote)
   * straight into the scanner's memory, scans them and returns the count: no copy.
   */
  fill(maxBytes: number, read: (target: Buffer) => number): number;
  /** Scans the last line when it has no newline (see `LineFramer.end`: one cut inside its address is not counted, its bytes returned). */
  end(): number;
  /** Drops a partial line (after a failed read), counted as skipped, to go on with another range of lines; returns its bytes. */
  reset(): number;
  readonly stats: ScannerStats;
  /** Bytes of WebAssembly memory the scanner holds (its read area and tables; 0 without WebAssembly). */
  readonly memoryBytes: number;
  /**
   * Marks the file range scanned next (threads take a file's ranges in turns): each user keeps
   * the range it was first seen in, so that `buildResult` can list users in file order.
   */
  setRange(index: number): void;
  /** Everything counted (made once, after `end` or a failed read), with the range each user was first seen in. */
  drain(): PartialCounts;
  /**
   * The tables as one block for another scanner's `importTables` (cheaper to post and to add up
   * than `drain`), or null when this scanner counts in JavaScript (no WebAssembly).
   */
  exportTables(): ArrayBuffer | null;
  /** Adds another scanner's `exportTables` block to these tables (after the last scan, before `drain`). */
  importTables(block: ArrayBuffer): void;
  /**
   * The "ips" records of `--format json` written from the tables (see wasm/json-result.c), or null
   * when they cannot be (no WebAssembly; a count or time the module cannot print exactly).
   */
  jsonRecords(options: { readonly minFailures?: number; readonly top?: number }): JsonRecords | null;
}

/** The records of a result as JSON text, made in chunks (CountingScanner.jsonRecords). */
export interface JsonRecords {
  /** Records written (after `top`). */
  readonly count: number;
  /** Addresses with at least `minFailures` failures (before `top`). */
  readonly addresses: number;
  /** Failures of every address. */
  readonly matches: number;
  /** The next records, about `bytes` of them (`,` between records, none before the first), in a new Buffer; null after the last. */
  next(bytes: number): Buffer | null;
  /**
   * The next records as `next` makes them, written in one of two areas of the scanner's memory
   * and returned as a view of it (no copy): valid until the next call for the same area. 'grow'
   * when the area must grow and `mayGrow` is false: the memory may move as it grows, so call
   * again with true once no view of either area is in use.
   */
  nextIn(area: 0 | 1, bytes: number, mayGrow: boolean): Buffer | null | 'grow';
}

// What result_write returns when the area it writes in must grow and may not (wasm/json-result.c).
const RESULT_WAIT = 0xffffffff;

// Must agree with the kind numbers of wasm/scanner.c (checked by the tests).
const KIND_INDEX = new Map(MATCHERS.map((m, i) => [m.kind, i]));

/**
 * The scanner of `scan()`: the WebAssembly module counts newlines, finds candidate lines, reads
 * the common failure lines and keeps the per-address tables itself; only the other candidate
 * lines come back to JavaScript (`matchLineRaw`). Without WebAssembly SIMD (or with
 * `wasm: false`) the JavaScript chunk scanner feeds an aggregator instead: same results.
 */
export function createCountingScanner(options: CountingScannerOptions): CountingScanner {
  const { referenceMs } = options;
  const keep = createFailureFilter(options.sinceMs, options.untilMs, options.kinds);
  const memory = memoryView(() => wasm.memory);
  // The block exportTables is making (the module hands it over in pieces).
  let exporting: { take(piece: Uint8Array): void } | undefined;

  const instance = options.wasm === false ? null : createScannerInstance({
    ...stampImports(memory, referenceMs),
    slow_line: (start: number, end: number) => {
      const match = matchLine(decodeBytes(memory(), start, end));
      if (!match || !keep(match)) return;
      const ipBytes = Buffer.byteLength(match.ip);
      const user = match.user === null ? null : encodeBytes(match.user);
      const at = wasm.scratch(ipBytes + (user?.length ?? 0));
      const mem = memory();
      mem.write(match.ip, at, 'utf8');
      if (user) mem.set(user, at + ipBytes);
      wasm.add(KIND_INDEX.get(match.kind)!, ipBytes, user ? user.length : -1, match.timeMs ?? NaN, match.count);
    },
    out_of_memory: () => { throw new TablesFullError(wasm.ip_count(), wasm.user_count(), wasm.memory.buffer.byteLength); },
    export_out: (at: number, n: number) => exporting!.take(memory().subarray(at, at + n)),
  });
  if (!instance) return javascriptCounter(options);
  const wasm: ScannerExports = instance;
  if (MATCHERS.length > wasm.kind_slots()) throw new Error(`${MATCHERS.length} kinds: the scanner module counts ${wasm.kind_slots()} at most`);
  wasm.configure(options.sinceMs ?? -Infinity, options.untilMs ?? Infinity, DEFAULT_MAX_USERS_PER_IP, options.maxLineBytes, referenceMs);
  wasm.set_kinds(...kindBits(options.kinds));
  const matchLine = createLineMatcher(referenceMs, moduleSessions(wasm, memory));
  if (options.maxMemoryBytes !== undefined) wasm.set_heap_limit(Math.min(options.maxMemoryBytes, 2 ** 32 - 1));

  // Scans [at, at + length) of the module's memory; long candidate lines it skips are counted.
  const scanAt = (at: number, length: number): number => {
    const skipped = wasm.skipped_lines();
    const newlines = wasm.scan(at, at + length);
    framer.stats.skippedLines += wasm.skipped_lines() - skipped;
    return newlines;
  };
  const scanCopy = (area: 0 | 1, bytes: Uint8Array): number => {
    const at = wasm.input(area, bytes.length);
    memory().set(bytes, at);
    return scanAt(at, bytes.length);
  };

  // Address of the chunk `fill` read in place (its lines are scanned where they are), else -1.
  let filledAt = -1;
  const framer = createLineFramer(options.maxLineBytes, {
    body: (buf, start, end) => (filledAt >= 0 ? scanAt(filledAt + start, end - start) : scanCopy(0, buf.subarray(start, end))),
    line: (line) => {
      if (line.length > options.maxLineBytes) framer.stats.skippedLines++;
      else scanCopy(1, line);
    },
  });
  const drain = once(() => readTables(wasm, memory()));
  return {
    stats: framer.stats,
    get memoryBytes() { return wasm.memory.buffer.byteLength; },
    push: (chunk) => framer.push(chunk),
    fill(maxBytes, read) {
      const at = wasm.input(0, maxBytes);
      const n = read(memory().subarray(at, at + maxBytes));
      filledAt = at;
      try {
        framer.push(memory().subarray(at, at + n));
      } finally {
        filledAt = -1;
      }
      return n;
    },
    end: () => framer.end(),
    reset: () => framer.reset(),
    setRange: (index) => wasm.set_range(index),
    drain,
    exportTables() {
      // Made in a window of the module's memory and copied out piece by piece (see export_out).
      const block = new Uint8Array(wasm.export_begin());
      let filled = 0;
      exporting = { take: (piece) => { block.set(piece, filled); filled += piece.length; } };
      try {
        wasm.export_write();
      } finally {
        exporting = undefined;
      }
      if (filled !== block.length) throw new Error(`the scanner module exported ${filled} bytes of a ${block.length}-byte block`);
      return block.buffer;
    },
    importTables(block) {
      const at = wasm.reserve(block.byteLength);
      memory().set(new Uint8Array(block), at);
      wasm.import_tables(at);
    },
    jsonRecords({ minFailures = 0, top = 0 }) {
      if (!wasm.result_prepare(minFailures, top)) return null;
      const nextIn = (area: 0 | 1, bytes: number, mayGrow: boolean): Buffer | null | 'grow' => {
        const n = wasm.result_write(bytes, area, mayGrow ? 1 : 0) >>> 0; // (a u32 comes back as an i32)
        if (n === RESULT_WAIT) return 'grow';
        return n === 0 ? null : memory().subarray(wasm.result_out(), wasm.result_out() + n);
      };
      return {
        count: wasm.result_count(),
        addresses: wasm.result_addresses(),
        matches: wasm.result_matches(),
        nextIn,
        next(bytes) {
          const view = nextIn(0, bytes, true) as Buffer | null;
          return view && Buffer.from(view); // (a copy: the area is written again)
        },
      };
    },
  };
}

/** `fn` run on the first call only; later calls return its first result. */
function once<T>(fn: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) { value = fn(); done = true; }
    return value;
  };
}

// The tables of wasm/scanner.c, copied out (struct Ip, 64-byte aligned: count, first, last f64 at
// 0; users, last user, user set u32 ...; the counts of slots 0 to ip_hot_slots() - 1 as u32 at
// ip_offset_of(0), of the other slots as u16 at ip_offset_of(1), or as u32 at the address in the
// word at ip_offset_of(3) when it is not 0; kind k's count in slot kind_slot_of(k); key, len u32
// at ip_offset_of(2); User: key, len, next8 (16 bytes); pairs: (address, user) u32 pairs in
// blocks, runs of them by range in marks (range, start); Spill: ip, kind u32, count f64).
function readTables(wasm: ScannerExports, mem: Buffer): PartialCounts {
  const view = new DataView(mem.buffer);
  const words = new Uint32Array(mem.buffer);
  const ipTable = wasm.ip_table();
  const stride = wasm.ip_stride();
  const slots = wasm.kind_slots();
  const hot = wasm.ip_hot_slots();
  const [hotAt, restAt, keyAt, wideAt] = [wasm.ip_offset_of(0), wasm.ip_offset_of(1), wasm.ip_offset_of(2), wasm.ip_offset_of(3)];
  const slotOf = Array.from({ length: slots }, (_, k) => wasm.kind_slot_of(k));
  const ipCount = wasm.ip_count();
  const ips: string[] = [];
  const totals = new Float64Array(3 * ipCount);
  const kinds: number[] = [];
  for (let id = 0; id < ipCount; id++) {
    const e = ipTable + stride * id;
    const at = view.getUint32(e + keyAt, true);
    ips.push(mem.toString('latin1', at, at + view.getUint32(e + keyAt + 4, true)));
    totals[3 * id] = view.getFloat64(e, true);
    totals[3 * id + 1] = view.getFloat64(e + 8, true);
    totals[3 * id + 2] = view.getFloat64(e + 16, true);
    const wide = view.getUint32(e + wideAt, true);
    for (let k = 0; k < slots; k++) {
      const slot = slotOf[k]!;
      const n = slot < hot ? view.getUint32(e + hotAt + 4 * slot, true)
        : wide ? view.getUint32(wide + 4 * (slot - hot), true) : view.getUint16(e + restAt + 2 * (slot - hot), true);
      if (n > 0) kinds.push(id, k, n);
    }
  }
  const spills = wasm.spill_table();
  for (let k = 0, n = wasm.spill_count(); k < n; k++) kinds.push(view.getUint32(spills + 16 * k, true), view.getUint32(spills + 16 * k + 4, true), view.getFloat64(spills + 16 * k + 8, true));
  const userTable = wasm.user_table();
  const users: string[] = [];
  for (let id = 0, n = wasm.user_count(); id < n; id++) {
    const at = view.getUint32(userTable + 16 * id, true);
    users.push(decodeBytes(mem, at, at + view.getUint32(userTable + 16 * id + 4, true)));
  }
  const pairCount = wasm.pair_count();
  const perBlock = wasm.pairs_per_block();
  const pairs = new Uint32Array(3 * pairCount);
  for (let b = 0; b * perBlock < pairCount; b++) {
    const block = wasm.pair_block(b) / 4;
    const n = Math.min(perBlock, pairCount - b * perBlock);
    for (let k = 0, o = 3 * b * perBlock; k < n; k++, o += 3) {
      pairs[o] = words[block + 2 * k]!;
      pairs[o + 1] = words[block + 2 * k + 1]!;
    }
  }
  const marks = wasm.mark_table() / 4;
  for (let m = 0, n = wasm.mark_count(); m < n; m++) {
    const range = words[marks + 2 * m]!;
    const to = m + 1 < n ? words[marks + 2 * m + 3]! : pairCount;
    for (let k = words[marks + 2 * m + 1]!; k < to; k++) pairs[3 * k + 2] = range;
  }
  return { ips, totals, kinds: Float64Array.from(kinds), users, pairs };
}

function javascriptCounter(options: CountingScannerOptions): CountingScanner {
  const counted = createAggregator();
  const keep = createFailureFilter(options.sinceMs, options.untilMs, options.kinds);
  // The range each (address, user) was first seen in, in first-seen order (as the WebAssembly tables keep them).
  const firstSeen = new Map<string, number>();
  let range = 0;
  const scanner = createChunkScanner({
    source: '',
    maxLineBytes: options.maxLineBytes,
    referenceMs: options.referenceMs,
    onMatch: (match) => {
      if (!keep(match)) return;
      counted.add(match);
      const key = `${match.ip}\u0000${match.user}`;
      if (match.user !== null && !firstSeen.has(key)) firstSeen.set(key, range);
    },
  });
  const drain = once((): PartialCounts => {
    const records = counted.records();
    const ipIds = new Map(records.map((r, id) => [r.ip, id]));
    const users = numbering();
    const pairs: number[] = [];
    for (const [key, pairRange] of firstSeen) {
      const cut = key.indexOf('\u0000'); // addresses hold no NUL (user names may)
      pairs.push(ipIds.get(key.slice(0, cut))!, users.number(key.slice(cut + 1)), pairRange);
    }
    return {
      ips: records.map((r) => r.ip),
      totals: Float64Array.from(records.flatMap((r) => [r.count, r.firstSeen ? Date.parse(r.firstSeen) : Infinity, r.lastSeen ? Date.parse(r.lastSeen) : -Infinity])),
      kinds: Float64Array.from(records.flatMap((r, id) => Object.entries(r.kinds).map(([kind, n]) => [id, KIND_INDEX.get(kind)!, n]).flat())),
      users: users.names,
      pairs: Uint32Array.from(pairs),
    };
  });
  return {
    stats: scanner.stats,
    memoryBytes: 0,
    push: (chunk) => scanner.push(chunk),
    fill(maxBytes, read) {
      const target = Buffer.allocUnsafe(maxBytes);
      const n = read(target);
      scanner.push(target.subarray(0, n));
      return n;
    },
    end: () => scanner.end(),
    reset: () => scanner.reset(),
    setRange: (index) => { range = index; },
    drain,
    exportTables: () => null,
    jsonRecords: () => null,
    importTables() { throw new Error('the JavaScript scanner cannot add WebAssembly tables'); },
  };
}
