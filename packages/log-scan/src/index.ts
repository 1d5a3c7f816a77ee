export { scan } from './scan.js';
export { events } from './events.js';
export { matchLine, type MatchLineOptions } from './match/match-line.js';
export { normalizeIp } from './match/normalize-ip.js';
export { parsePrefix, type LinePrefix } from './match/parse-prefix.js';
export type { AuthFailure, AuthFailureEvent } from './match/auth-failure.js';
export { MATCHERS } from './matchers/all.js';
export type { Matcher, MatcherClass } from './matchers/matcher.js';
export { KINDS, SUSPICIOUS_KINDS, type KindSelection } from './match/kinds.js';
export type { ScanOptions } from './scan-options.js';
export type { ScanResult, ScanStats, SourceFailure } from './results/scan-result.js';
export type { IpRecord } from './results/aggregate.js';
export { mergeResults } from './results/merge-results.js';
export { createChunkScanner, type ChunkScanner, type ChunkScannerOptions, type ChunkScannerStats } from './scanner/chunk-scanner.js';
export { fileSource, isFileSource, type FileSource, type FileSourceOptions } from './sources/file-source.js';
export { streamSource, stdinSource } from './sources/stdin-source.js';
export { resolveSources, type ResolveSourcesOptions } from './sources/resolve-sources.js';
export type { ScanSource, RemoteSourceOptions } from './sources/scan-source.js';
export { SourceError, SourceNotFoundError, isSourceError } from './errors/source-error.js';
export { LastLineCutError } from './errors/last-line-cut-error.js';

// remote sources (s3, kafka): maintained by the sources work
export { resolveRemoteSources, s3Sources, kafkaSources, type ResolveRemoteOptions } from './sources/remote.js';
export { parseS3Spec, type S3Spec } from './sources/s3/s3-spec.js';
export { S3_DEFAULTS, type S3SourceOptions } from './sources/s3/s3-read-options.js';
export { parseKafkaSpec, type KafkaSpec } from './sources/kafka/kafka-spec.js';
export { KAFKA_DEFAULTS, type KafkaSourceOptions } from './sources/kafka/kafka-options.js';
export { messagesToChunk } from './sources/kafka/message-chunk.js';
// (end of remote sources block)
