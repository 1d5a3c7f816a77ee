import type { AuthFailureEvent } from './match/auth-failure.js';
import { LastLineCutError } from './errors/last-line-cut-error.js';
import { createChunkScanner } from './scanner/chunk-scanner.js';
import { createFailureFilter } from './scanner/time-filter.js';
import { resolveScanOptions, type ScanOptions } from './scan-options.js';
import { isFileSource } from './sources/file-source.js';
import { resolveSources } from './sources/resolve-sources.js';
import type { ScanSource } from './sources/scan-source.js';

/**
 * Every failed authentication in one source, in order, with its 1-based line number. A spec
 * string is resolved like on the command line (a directory or glob yields each file in turn).
 * A source failure is thrown after the events read before it were yielded; so is a
 * `LastLineCutError` when the last line ends inside its address without a newline (not yielded).
 */
export async function* events(source: ScanSource | string, options: ScanOptions = {}): AsyncGenerator<AuthFailureEvent> {
  const opts = resolveScanOptions(options);
  const sources = typeof source === 'string' ? await resolveSources([source], { ...opts.remote, chunkBytes: opts.chunkBytes }) : [source];
  const keep = createFailureFilter(opts.sinceMs, opts.untilMs, opts.kinds);
  for (const src of sources) {
    const found: AuthFailureEvent[] = [];
    const scanner = createChunkScanner({
      source: src.name,
      maxLineBytes: opts.maxLineBytes,
      referenceMs: opts.referenceMs ?? (isFileSource(src) ? src.mtimeMs : Date.now()),
      onMatch: (m, line) => {
        if (keep(m)) found.push({ source: src.name, line, ip: m.ip, user: m.user, kind: m.kind, time: m.timeMs === undefined ? null : new Date(m.timeMs).toISOString(), count: m.count });
      },
    });
    for await (const chunk of src.chunks(opts.signal)) {
      scanner.push(chunk);
      opts.onProgress?.(chunk.byteLength);
      yield* found.splice(0);
    }
    const cut = scanner.end();
    yield* found.splice(0);
    if (cut > 0) throw new LastLineCutError(src.name, scanner.stats.bytes - cut, cut);
  }
}
