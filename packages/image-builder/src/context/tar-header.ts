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

const TYPEFLAG = { file: 0x30, symlink: 0x32, directory: 0x35 } as const;
/** The largest number an 11-digit octal field holds (size, mtime): 8 GiB - 1. */
const MAX_OCTAL_11 = 0o77777777777;
// eslint-disable-next-line no-control-regex -- plain ASCII is every code point below 0x80
const ASCII = /^[\x00-\x7f]*$/;

/** A numeric field as node-tar writes it: zero-padded octal, a space and a NUL (or the digits and a NUL when they fill it). */
function octal(block: Buffer, offset: number, size: number, value: number): void {
  const digits = Math.floor(value).toString(8);
  block.write(digits.length === size - 1 ? `${digits}\0` : `${'0'.repeat(size - digits.length - 2)}${digits} \0`, offset, size, 'ascii');
}

/**
 * The ustar header of an entry that needs no PAX record (ASCII path under 100 bytes, ASCII link
 * target of at most 100, size and mtime within 11 octal digits: nearly every entry of a real
 * context), byte for byte what node-tar writes for it; undefined when the entry needs more
 * (`createTarHeaderEncoder`). It spares a build of ordinary files loading node-tar: ~10 ms of
 * start-up, a tenth of a cached build.
 */
export function encodeUstarHeader(header: TarHeader): Buffer | undefined {
  const link = header.linkname ?? '';
  const seconds = header.mtime.getTime() / 1000;
  if (header.name.length >= 100 || link.length > 100 || !ASCII.test(header.name) || !ASCII.test(link)) return undefined;
  if (!(header.size >= 0 && header.size <= MAX_OCTAL_11 && seconds >= 0 && seconds <= MAX_OCTAL_11)) return undefined;
  const block = Buffer.alloc(BLOCK);
  block.write(header.name, 0, 'ascii');
  octal(block, 100, 8, header.mode & 0o7777);
  octal(block, 108, 8, 0);
  octal(block, 116, 8, 0);
  octal(block, 124, 12, header.size);
  octal(block, 136, 12, seconds);
  block[156] = TYPEFLAG[header.type];
  block.write(link, 157, 'ascii');
  block.write('ustar\u000000', 257, 8, 'ascii');
  // Device major and minor: node-tar writes zeros.
  octal(block, 329, 8, 0);
  octal(block, 337, 8, 0);
  // The checksum field counts as eight spaces.
  let sum = 8 * 0x20;
  for (let i = 0; i < 148; i++) sum += block[i]!;
  for (let i = 156; i < BLOCK; i++) sum += block[i]!;
  octal(block, 148, 8, sum);
  return block;
}

let codecs: Promise<{ Header: typeof TarHeaderCodec; Pax: typeof PaxCodec }> | undefined;

/**
 * Resolves to a function that encodes any header as ustar, preceded by a PAX extended header
 * when the path or link target does not fit ustar's fields or is not plain ASCII, or the size
 * exceeds 8 GiB (what Go's archive/tar, the docker CLI's, does for the same entries). The format
 * is node-tar's (npm's own tar), loaded on the first call: `encodeUstarHeader` covers the common
 * entries without it.
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

/** Any entry's header: `encodeUstarHeader`'s when it fits, else node-tar's (loaded then). */
export async function encodeTarHeader(header: TarHeader): Promise<Buffer> {
  return encodeUstarHeader(header) ?? (await createTarHeaderEncoder())(header);
}
