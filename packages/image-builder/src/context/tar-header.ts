/** What one tar entry header holds. */
export interface TarHeader {
  readonly name: string;
  readonly type: 'file' | 'directory' | 'symlink';
  readonly mode: number;
  readonly size: number;
  readonly mtime: Date;
  readonly linkname?: string;
}

const BLOCK = 512;
const TYPEFLAG = { file: '0', directory: '5', symlink: '2' } as const;

function writeString(buf: Buffer, text: string, offset: number, length: number): void {
  buf.write(text, offset, length, 'utf8');
}

function writeOctal(buf: Buffer, value: number, offset: number, length: number): void {
  buf.write(`${Math.floor(value).toString(8).padStart(length - 1, '0')}\0`, offset, length, 'ascii');
}

/** Splits a long name into ustar prefix (<= 155 bytes) and name (<= 100 bytes) at a slash, when possible. */
function splitName(name: string): [string, string] | undefined {
  if (Buffer.byteLength(name) <= 100) return ['', name];
  for (let i = name.indexOf('/'); i !== -1; i = name.indexOf('/', i + 1)) {
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100 && rest.length > 0) return [prefix, rest];
  }
  return undefined;
}

function ustarBlock(h: TarHeader, name: string, prefix: string, linkname: string, typeflag: string, size: number): Buffer {
  const buf = Buffer.alloc(BLOCK);
  writeString(buf, name, 0, 100);
  writeOctal(buf, h.mode & 0o7777, 100, 8);
  writeOctal(buf, 0, 108, 8); // uid 0, as the docker CLI sends the context
  writeOctal(buf, 0, 116, 8); // gid 0
  writeOctal(buf, size, 124, 12);
  writeOctal(buf, h.mtime.getTime() / 1000, 136, 12);
  buf.fill(0x20, 148, 156); // checksum field counts as spaces
  buf.write(typeflag, 156, 1, 'ascii');
  writeString(buf, linkname, 157, 100);
  buf.write('ustar\u000000', 257, 8, 'ascii');
  writeString(buf, prefix, 345, 155);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += buf[i]!;
  buf.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return buf;
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body) + 1;
  while (String(length).length + Buffer.byteLength(body) !== length) length = String(length).length + Buffer.byteLength(body);
  return `${length}${body}`;
}

/** Pads `size` bytes of data to whole 512-byte blocks. */
export function tarPadding(size: number): Buffer {
  const rest = size % BLOCK;
  return Buffer.alloc(rest === 0 ? 0 : BLOCK - rest);
}

/** The end-of-archive marker: two zero blocks. */
export const TAR_END = Buffer.alloc(2 * BLOCK);

/**
 * Encodes a ustar header (POSIX), preceded by a PAX extended header when the name or link target
 * does not fit ustar's fields.
 */
export function encodeTarHeader(h: TarHeader): Buffer {
  const linkname = h.linkname ?? '';
  const split = splitName(h.name);
  const longLink = Buffer.byteLength(linkname) > 100;
  const size = h.type === 'file' ? h.size : 0;
  const typeflag = TYPEFLAG[h.type];
  if (split && !longLink) return ustarBlock(h, split[1], split[0], linkname, typeflag, size);
  const records = `${split ? '' : paxRecord('path', h.name)}${longLink ? paxRecord('linkpath', linkname) : ''}`;
  const paxBody = Buffer.from(records);
  const paxName = `PaxHeaders/${h.name.replace(/\/$/, '').split('/').pop()!.slice(0, 80)}`;
  const paxHeader = ustarBlock({ ...h, type: 'file' }, paxName, '', '', 'x', paxBody.length);
  const [prefix, name] = split ?? ['', Buffer.from(h.name).subarray(0, 100).toString('utf8')];
  return Buffer.concat([paxHeader, paxBody, tarPadding(paxBody.length), ustarBlock(h, name, prefix, longLink ? '' : linkname, typeflag, size)]);
}
