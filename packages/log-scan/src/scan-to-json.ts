import { JSON_HEAD, formatResult, jsonTail } from './cli/format-result.js';
import { areaWrites, writeChunks } from './cli/write-chunks.js';
import type { ScanStats, SourceFailure } from './results/scan-result.js';
import { buildFromCounts, scanSources, scanStats, tableRecords } from './scan.js';
import { resolveScanOptions, type ScanOptions } from './scan-options.js';
import type { ScanSource } from './sources/scan-source.js';

// Bytes of records made at a time: few writes, little memory.
const CHUNK_BYTES = 1 << 20;

/**
 * scan() printed as `log-scan --format json` to `out` (the text formatResult makes of its result).
 * When the counts end up in one WebAssembly scanner (one file, whatever its threads; one stream)
 * the records are written from its tables in chunks of about 1 MiB, no record object made
 * (written from the module's memory: see areaWrites);
 * otherwise (several sources, `ignore`, no WebAssembly) the result is built and formatted.
 * `beforeOutput` is called when the scan is done, before the first byte is written.
 */
export async function scanToJson(sources: ReadonlyArray<ScanSource | string>, options: ScanOptions, out: NodeJS.WritableStream, beforeOutput?: () => void): Promise<{ stats: ScanStats; errors: SourceFailure[] }> {
  const opts = resolveScanOptions(options);
  const scanned = await scanSources(sources, opts, true);
  beforeOutput?.();
  const records = tableRecords(scanned, opts);
  if (!records) {
    const built = buildFromCounts(scanned, opts);
    const result = { ips: built.ips, stats: scanStats(scanned, built), errors: scanned.errors };
    await writeChunks(out, formatResult(result, 'json'));
    return result;
  }
  const result = { stats: scanStats(scanned, records), errors: scanned.errors };
  await writeChunks(out, [JSON_HEAD]);
  // Straight from the module's memory, in two areas taken in turns (see areaWrites).
  const writes = areaWrites(out);
  for (let area: 0 | 1 = 0; ; area = area === 0 ? 1 : 0) {
    await writes.ready(area);
    let chunk = records.nextIn(area, CHUNK_BYTES, false);
    if (chunk === 'grow') {
      await writes.idle();
      chunk = records.nextIn(area, CHUNK_BYTES, true) as Buffer | null;
    }
    if (!chunk) break;
    await writes.write(area, chunk);
  }
  await writeChunks(out, [jsonTail(records.count, result)]);
  return result;
}
