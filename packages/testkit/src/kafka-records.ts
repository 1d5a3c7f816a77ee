// Record batches v2 (magic 2): what Produce v3+ carries in and Fetch v4+ carries out.
import { gunzipSync } from 'node:zlib';
import { crc32c, KafkaReader, KafkaWriter } from './kafka-protocol.js';

export interface KafkaHeader {
  readonly key: string;
  readonly value: Buffer | null;
}

/** A record as the test broker stores it. */
export interface StoredRecord {
  readonly offset: number;
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly KafkaHeader[];
}

export type IncomingRecord = Omit<StoredRecord, 'offset'>;

const CODEC_MASK = 0x07;
const CODEC_NONE = 0;
const CODEC_GZIP = 1;
/** Bytes of a batch header before the records (baseOffset .. record count). */
const BATCH_HEADER = 61;

/** Decodes every record batch of a Produce record set (uncompressed or gzip). */
export function decodeRecordBatches(recordSet: Buffer): IncomingRecord[] {
  const out: IncomingRecord[] = [];
  const reader = new KafkaReader(recordSet);
  while (reader.remaining >= BATCH_HEADER) {
    reader.int64(); // base offset, assigned by the broker
    const length = reader.int32();
    const batch = new KafkaReader(reader.raw(length));
    batch.int32(); // partition leader epoch
    const magic = batch.int8();
    if (magic !== 2) throw new Error(`kafka test broker: only record batches v2 are supported, got magic ${magic}`);
    batch.int32(); // crc
    const attributes = batch.int16();
    batch.int32(); // last offset delta
    const firstTimestamp = batch.int64n();
    batch.int64(); // max timestamp
    batch.int64(); // producer id
    batch.int16(); // producer epoch
    batch.int32(); // base sequence
    const count = batch.int32();
    const codec = attributes & CODEC_MASK;
    let body: KafkaReader;
    if (codec === CODEC_NONE) body = batch;
    else if (codec === CODEC_GZIP) body = new KafkaReader(gunzipSync(batch.raw(batch.remaining)));
    else throw new Error(`kafka test broker: compression codec ${codec} is not supported (none and gzip are)`);
    for (let i = 0; i < count; i++) out.push(decodeRecord(body, firstTimestamp));
  }
  return out;
}

function decodeRecord(reader: KafkaReader, firstTimestamp: number): IncomingRecord {
  const length = reader.varint();
  const r = new KafkaReader(reader.raw(length));
  r.int8(); // attributes
  const timestamp = firstTimestamp + r.varint();
  r.varint(); // offset delta
  const key = r.varBytes();
  const value = r.varBytes();
  const headerCount = r.varint();
  const headers: KafkaHeader[] = [];
  for (let i = 0; i < headerCount; i++) {
    const k = r.varBytes();
    headers.push({ key: k ? k.toString('utf8') : '', value: r.varBytes() });
  }
  return { timestamp, key, value, headers };
}

/** Encodes consecutive stored records as one uncompressed record batch v2. */
export function encodeRecordBatch(records: readonly StoredRecord[]): Buffer {
  const first = records[0];
  if (!first) return Buffer.alloc(0);
  const firstTimestamp = first.timestamp;
  let maxTimestamp = firstTimestamp;
  for (const r of records) if (r.timestamp > maxTimestamp) maxTimestamp = r.timestamp;
  const w = new KafkaWriter()
    .int64(first.offset)
    .int32(0) // batch length, patched below
    .int32(0) // partition leader epoch
    .int8(2) // magic
    .uint32(0); // crc, patched below
  const crcFrom = w.length;
  w.int16(0) // attributes: no compression, create time, not transactional
    .int32(records[records.length - 1]!.offset - first.offset)
    .int64(firstTimestamp)
    .int64(maxTimestamp)
    .int64(-1) // producer id
    .int16(-1) // producer epoch
    .int32(-1) // base sequence
    .int32(records.length);
  const rec = new KafkaWriter();
  for (const record of records) {
    const start = rec.length;
    rec.int8(0)
      .varint(record.timestamp - firstTimestamp)
      .varint(record.offset - first.offset)
      .varBytes(record.key)
      .varBytes(record.value)
      .varint(record.headers.length);
    for (const h of record.headers) rec.varBytes(Buffer.from(h.key, 'utf8')).varBytes(h.value);
    const body = rec.toBuffer().subarray(start);
    w.varint(body.length).raw(body);
  }
  const out = w.toBuffer();
  out.writeInt32BE(out.length - 12, 8);
  out.writeUInt32BE(crc32c(out.subarray(crcFrom)), 17);
  return out;
}
