import type { Logger } from '@ops/core';

/** Anything the scanner can read: bytes in order, pulled chunk by chunk. */
export interface ScanSource {
  /** Shown in results, errors and events (`/var/log/auth.log`, `s3://b/k`, `kafka://.../topic[p3]`). */
  readonly name: string;
  /** Total bytes when known (progress bar, splitting into worker ranges). */
  readonly size?: number;
  /**
   * Yields the bytes in order. The consumer finishes processing a chunk before pulling the next,
   * so a source may treat the next pull (or the end of iteration) as "everything before was
   * counted" (Kafka commits offsets then).
   */
  chunks(signal?: AbortSignal): AsyncIterable<Uint8Array>;
}

/** Options for `s3://` and `kafka://` sources (see `resolveRemoteSources`). */
export interface RemoteSourceOptions {
  readonly kafka?: {
    /** Consumer group id. Defaults to `log-scan`. */
    readonly group?: string;
    /** Start at the earliest offset instead of the committed one. Defaults to false. */
    readonly fromBeginning?: boolean;
    /** Stop at the end offsets seen at start instead of following. Defaults to false. */
    readonly untilEnd?: boolean;
  };
  readonly logger?: Logger;
  readonly signal?: AbortSignal;
}
