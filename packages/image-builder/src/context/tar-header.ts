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
const TYPE_FLAG = { file: '0', symlink: '2', directory: '5' } as const;
const USTAR_SIZE_LIMIT = 0o77777777777; // 11 octal digits: 8 GiB - 1
const ASCII = /^[\x20-\x7e]*$/;

/** Zero bytes that pad a body of `size` bytes to a whole block. */
export function padding(size: number): Buffer {
  const rest = size % BLOCK;
  return rest ? Buffer.alloc(BLOCK - rest) : Buffer.alloc(0);
}

/** The end of an archive: two zero blocks. */
export const END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK);

/**
 * Encodes a header as ustar (POSIX 1003.1-1988), preceded by a PAX extended header when the
 * path or link target does not fit ustar's fields or is not plain ASCII, or the size exceeds
 * 8 GiB: what Go's archive/tar (the docker CLI's) writes for the same entries.
 */
export function encodeTarHeader(header: TarHeader): Buffer {
  const pax: Record<string, string> = {};
  const split = splitName(header.name);
  if (!split) pax.path = header.name;
  if (header.linkname !== undefined && (Buffer.byteLength(header.linkname) > 100 || !ASCII.test(header.linkname))) pax.linkpath = header.linkname;
  if (header.size > USTAR_SIZE_LIMIT) pax.size = String(header.size);
  const main = ustar({
    name: split?.name ?? fallbackName(header.name), prefix: split?.prefix ?? '', type: TYPE_FLAG[header.type], mode: header.mode,
    size: header.size > USTAR_SIZE_LIMIT ? 0 : header.size, mtime: header.mtime, linkname: pax.linkpath ? '' : header.linkname ?? '',
  });
  if (Object.keys(pax).length === 0) return main;
  const records = Buffer.from(Object.entries(pax).map(([key, value]) => paxRecord(key, value)).join(''));
  const paxHeader = ustar({ name: fallbackName(`PaxHeaders.0/${header.name}`), prefix: '', type: 'x', mode: 0o644, size: records.length, mtime: header.mtime, linkname: '' });
  return Buffer.concat([paxHeader, records, padding(records.length), main]);
}

/** ustar's name (100 bytes) and prefix (155 bytes), split at a slash; undefined when it does not fit or is not ASCII. */
function splitName(name: string): { name: string; prefix: string } | undefined {
  if (!ASCII.test(name)) return undefined;
  if (name.length <= 100) return { name, prefix: '' };
  for (let i = name.indexOf('/'); i !== -1; i = name.indexOf('/', i + 1)) {
    if (i <= 155 && name.length - i - 1 <= 100 && name.length - i - 1 > 0) return { prefix: name.slice(0, i), name: name.slice(i + 1) };
  }
  return undefined;
}

/** A name for the ustar field when the real one travels in PAX: ASCII, at most 100 bytes. */
function fallbackName(name: string): string {
  return name.replace(/[^\x20-\x7e]/g, '_').slice(-100);
}

/** `"<length> <key>=<value>\n"`, the length counting itself. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bytes = Buffer.byteLength(body);
  let length = bytes + String(bytes).length;
  if (String(length).length !== String(bytes).length) length = bytes + String(length).length;
  return `${length}${body}`;
}

interface UstarFields { name: string; prefix: string; type: string; mode: number; size: number; mtime: Date; linkname: string }

function ustar(f: UstarFields): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(f.name, 0, 100, 'utf8');
  octal(block, 100, 8, f.mode & 0o7777);
  octal(block, 108, 8, 0);
  octal(block, 116, 8, 0);
  octal(block, 124, 12, f.size);
  octal(block, 136, 12, Math.max(0, Math.floor(f.mtime.getTime() / 1000)));
  block.write(f.type, 156, 1, 'ascii');
  block.write(f.linkname, 157, 100, 'utf8');
  block.write('ustar\u000000', 257, 8, 'ascii');
  block.write(f.prefix, 345, 155, 'utf8');
  block.fill(0x20, 148, 156); // the checksum counts its own field as spaces
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += block[i]!;
  block.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'ascii');
  return block;
}

function octal(block: Buffer, offset: number, length: number, value: number): void {
  block.write(`${value.toString(8).padStart(length - 1, '0')}\u0000`, offset, length, 'ascii');
}
