// Primitive encodings of the Kafka wire protocol (big-endian ints, int16-length strings,
// int32-length bytes, arrays, zigzag varints) and CRC32C, for the test broker.

/** Reads a request body front to back. */
export class KafkaReader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}

  get remaining(): number {
    return this.buf.length - this.pos;
  }
  int8(): number {
    return this.buf.readInt8(this.advance(1));
  }
  int16(): number {
    return this.buf.readInt16BE(this.advance(2));
  }
  int32(): number {
    return this.buf.readInt32BE(this.advance(4));
  }
  int64(): bigint {
    return this.buf.readBigInt64BE(this.advance(8));
  }
  /** Offsets and timestamps as numbers (exact below 2^53). */
  int64n(): number {
    return Number(this.int64());
  }
  string(): string {
    return this.nullableString() ?? '';
  }
  nullableString(): string | null {
    const len = this.int16();
    if (len < 0) return null;
    return this.buf.toString('utf8', this.advance(len), this.pos);
  }
  bytes(): Buffer | null {
    const len = this.int32();
    if (len < 0) return null;
    return this.raw(len);
  }
  raw(len: number): Buffer {
    const start = this.advance(len);
    return this.buf.subarray(start, start + len);
  }
  array<T>(item: (r: KafkaReader) => T): T[] {
    const n = this.int32();
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(item(this));
    return out;
  }
  /** null for a -1 length (v1+ "all topics"). */
  nullableArray<T>(item: (r: KafkaReader) => T): T[] | null {
    const n = this.int32();
    if (n < 0) return null;
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(item(this));
    return out;
  }
  varint(): number {
    // Zigzag varint with plain numbers (exact for the 53-bit range Kafka's varlongs use here).
    let z = 0;
    let scale = 1;
    for (;;) {
      const b = this.buf.readUInt8(this.advance(1));
      z += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) break;
      scale *= 128;
    }
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }
  varBytes(): Buffer | null {
    const len = this.varint();
    return len < 0 ? null : this.raw(len);
  }
  private advance(n: number): number {
    if (this.pos + n > this.buf.length) throw new RangeError(`kafka test broker: read past the end of a frame (${n} bytes at ${this.pos}/${this.buf.length})`);
    const at = this.pos;
    this.pos += n;
    return at;
  }
}

/** Builds a response body in one growing buffer. */
export class KafkaWriter {
  private buf = Buffer.allocUnsafe(256);
  private pos = 0;

  int8(v: number): this {
    const at = this.reserve(1);
    this.buf.writeInt8(v, at);
    return this;
  }
  int16(v: number): this {
    const at = this.reserve(2);
    this.buf.writeInt16BE(v, at);
    return this;
  }
  int32(v: number): this {
    const at = this.reserve(4);
    this.buf.writeInt32BE(v, at);
    return this;
  }
  uint32(v: number): this {
    const at = this.reserve(4);
    this.buf.writeUInt32BE(v >>> 0, at);
    return this;
  }
  int64(v: number | bigint): this {
    const at = this.reserve(8);
    this.buf.writeBigInt64BE(BigInt(v), at);
    return this;
  }
  bool(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }
  string(v: string | null): this {
    if (v === null) return this.int16(-1);
    const s = Buffer.from(v, 'utf8');
    return this.int16(s.length).raw(s);
  }
  bytes(v: Buffer | null): this {
    if (v === null) return this.int32(-1);
    return this.int32(v.length).raw(v);
  }
  array<T>(items: readonly T[], write: (w: this, item: T) => void): this {
    this.int32(items.length);
    for (const item of items) write(this, item);
    return this;
  }
  varint(v: number): this {
    let z = v >= 0 ? v * 2 : -v * 2 - 1;
    while (z >= 0x80) {
      const at = this.reserve(1);
      this.buf[at] = (z % 0x80) | 0x80;
      z = Math.floor(z / 0x80);
    }
    const at = this.reserve(1);
    this.buf[at] = z;
    return this;
  }
  varBytes(v: Buffer | null): this {
    if (v === null) return this.varint(-1);
    return this.varint(v.length).raw(v);
  }
  raw(b: Uint8Array): this {
    const at = this.reserve(b.length);
    this.buf.set(b, at);
    return this;
  }
  /** Bytes written so far. */
  get length(): number {
    return this.pos;
  }
  toBuffer(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
  private reserve(n: number): number {
    if (this.pos + n > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
      this.buf.copy(grown, 0, 0, this.pos);
      this.buf = grown;
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }
}

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[i] = c >>> 0;
  }
  return table;
})();

/** CRC32C (Castagnoli), the checksum of record batches v2. */
export function crc32c(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = CRC32C_TABLE[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
