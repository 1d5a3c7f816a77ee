import type { Header as TarHeaderCodec } from 'tar/header';
import type { Pax as PaxCodec } from 'tar/pax';

/** One tar entry's header fields (owner is always 0:0, as the docker CLI sends it). */
export interface TarHeader {
  /** Slash-separated path; directories end with `/`. */
  readonly name: string;
  readonly type: 'file' | 'directory' | 'symlink';
  /** Permission bits. */
  readonly mode: number;
  /** Bytes of the body that follows (0 but for files). */
  readonly size: number;
  readonly mtime: Date;
  /** Target of a symlink. */
  readonly linkname?: string;
}

export const BLOCK = 512;
const TYPE = { file: 'File', symlink: 'SymbolicLink', directory: 'Directory' } as const;

/** The end of an archive: two zero blocks. Shared: never written to. */
export const END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK);

/** Zero bytes that pad a body of `size` bytes to a whole block: a view of shared zeros, never written to. */
export function padding(size: number): Buffer {
  return END_OF_ARCHIVE.subarray(0, (BLOCK - (size % BLOCK)) % BLOCK);
}

/** Encodes one entry's header (see `createTarHeaderEncoder`). */
export type TarHeaderEncoder = (header: TarHeader) => Buffer;

let codecs: Promise<{ Header: typeof TarHeaderCodec; Pax: typeof PaxCodec }> | undefined;

/**
 * Resolves to a function that encodes a header as ustar, preceded by a PAX extended header when
 * the path or link target does not fit ustar's fields or is not plain ASCII, or the size exceeds
 * 8 GiB (what Go's archive/tar, the docker CLI's, does for the same entries). The format is
 * node-tar's (npm's own tar): only the packing loop around it, which reuses buffers, is ours.
 * node-tar is loaded on the first call, not on import: ~10 ms of start-up (resolving its
 * exports, four modules) that a command packing no context (a push) does not pay.
 */
export function createTarHeaderEncoder(): Promise<TarHeaderEncoder> {
  codecs ??= Promise.all([import('tar/header'), import('tar/pax')]).then(([h, p]) => ({ Header: h.Header, Pax: p.Pax }));
  return codecs.then(({ Header, Pax }) => (header) => {
    const fields = { path: header.name, mode: header.mode & 0o7777, uid: 0, gid: 0, size: header.size, mtime: header.mtime, linkpath: header.linkname ?? '', uname: '', gname: '' };
    const ustar = new Header({ ...fields, type: TYPE[header.type] });
    const block = Buffer.alloc(BLOCK);
    if (!ustar.encode(block)) return block;
    const pax = new Pax({ path: header.name, linkpath: header.linkname, size: header.size }).encode();
    return Buffer.concat([pax, block]);
  });
}
