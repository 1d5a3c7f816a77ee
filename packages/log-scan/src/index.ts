export type { ScanSource, RemoteSourceOptions } from './sources/scan-source.js';
export { SourceError, SourceNotFoundError, isSourceError } from './errors/source-error.js';

// remote sources (s3, kafka): maintained by the sources work
// (end of remote sources block)
