import type { RawMatch } from './match-line.js';
import { normalizeIp } from './normalize-ip.js';
import { classicStampMs } from './parse-prefix.js';

/*
 * The hot path of the byte scanner: the most common failure lines (classic syslog prefix; sshd
 * "Failed password", "Invalid user", "Connection closed by / Disconnected from (authenticating|
 * invalid) user", pam_unix auth failures) read straight from the bytes, without decoding the line
 * or running a regular expression. It only answers when the line has exactly the strict shape it
 * knows, in which case the answer is the one `matchLineRaw` gives (the unit tests compare both on
 * a table of lines); anything else (non-ASCII or control bytes, "message repeated", brackets,
 * zones, spaces in a user name, trailing blanks, another prefix format) returns undefined and
 * goes to `matchLineRaw`.
 */

const SESSION = Buffer.from('-session', 'latin1');
const AUTH = Buffer.from('-auth', 'latin1');
const FAILED_PASSWORD = Buffer.from('Failed password for ', 'latin1');
const INVALID_USER = Buffer.from('Invalid user ', 'latin1');
const INVALID_USER_LC = Buffer.from('invalid user ', 'latin1');
const ILLEGAL_USER_LC = Buffer.from('illegal user ', 'latin1');
const AUTHENTICATING_USER = Buffer.from('authenticating user ', 'latin1');
const CONNECTION_CLOSED = Buffer.from('Connection closed by ', 'latin1');
const DISCONNECTED = Buffer.from('Disconnected from ', 'latin1');
const PAM_UNIX = Buffer.from('pam_unix(', 'latin1');
const PAM_AUTH_FAILURE = Buffer.from(':auth): authentication failure;', 'latin1');
const FROM = Buffer.from(' from ', 'latin1');
const PORT = Buffer.from(' port ', 'latin1');
const PREAUTH = Buffer.from(' [preauth]', 'latin1');
const RHOST = Buffer.from('rhost=', 'latin1');
const USER_EQ = Buffer.from('user=', 'latin1');
const MONTH_FIRST = new Uint8Array(256);
for (const c of 'JFMASOND') MONTH_FIRST[c.charCodeAt(0)] = 1;

const SPACE = 32;

function startsWith(buf: Buffer, at: number, end: number, lit: Buffer): boolean {
  if (end - at < lit.length) return false;
  for (let i = 0; i < lit.length; i++) if (buf[at + i] !== lit[i]) return false;
  return true;
}

function isDigit(c: number): boolean { return c >= 48 && c <= 57; }
function isHex(c: number): boolean { return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102); }

// Canonical dotted quads by numeric value (the first two bytes, then the last two: keys stay small
// integers), one string per address, its hash computed once.
const V4: Array<Map<number, string> | undefined> = new Array<Map<number, string> | undefined>(65_536).fill(undefined);
let v4Count = 0;

/** Canonical address of the token buf[start, end) made of [0-9A-Fa-f:.], or null. */
function readIp(buf: Buffer, start: number, end: number): string | null {
  if (end <= start || !isHex(buf[end - 1]!)) return null;
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  let plain = end - start >= 7 && end - start <= 15;
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c === 46) {
      if (digits === 0 || ++dots > 3) plain = false;
      value = value * 256 + part;
      part = 0;
      digits = 0;
    } else if (isDigit(c)) {
      if (digits > 0 && part === 0) plain = false;
      part = part * 10 + c - 48;
      if (part > 255 || ++digits > 3) plain = false;
    } else if (c === 58 || isHex(c)) {
      plain = false;
    } else {
      return null;
    }
  }
  if (plain && dots === 3 && digits > 0) {
    const high = value >> 8; // a.b
    const low = ((value & 255) << 8) | part; // c.d
    let table = V4[high];
    if (table === undefined) V4[high] = table = new Map();
    let ip = table.get(low);
    if (ip === undefined) {
      if (++v4Count > 65_536) {
        V4.fill(undefined);
        v4Count = 1;
        V4[high] = table = new Map();
      }
      ip = buf.toString('latin1', start, end);
      table.set(low, ip);
    }
    return ip;
  }
  return normalizeIp(intern(TOKENS, buf, start, end)!);
}

/** Whether buf[start, end) is `sshd`, `sshd-session` or `sshd-auth` (OpenSSH's server programs). */
function isSshdTag(buf: Buffer, start: number, end: number): boolean {
  if (buf[start] !== 115 || buf[start + 1] !== 115 || buf[start + 2] !== 104 || buf[start + 3] !== 100) return false;
  const rest = end - start - 4;
  return rest === 0 || (rest === SESSION.length && startsWith(buf, start + 4, end, SESSION)) || (rest === AUTH.length && startsWith(buf, start + 4, end, AUTH));
}

/** End of the address token starting at `at`: the first byte not in [0-9A-Fa-f:.]. */
function tokenEnd(buf: Buffer, at: number, end: number): number {
  let i = at;
  while (i < end) {
    const c = buf[i]!;
    if (c === 46 || c === 58 || isHex(c)) i++;
    else break;
  }
  return i;
}

function lastIndexOf(buf: Buffer, lit: Buffer, from: number, end: number): number {
  const first = lit[0]!;
  const second = lit[1]!;
  for (let i = end - lit.length; i >= from; i--) if (buf[i] === first && buf[i + 1] === second && startsWith(buf, i, end, lit)) return i;
  return -1;
}

function hasSpace(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i] === SPACE) return true;
  return false;
}

// User names and address tokens by a hash of their bytes: the same name comes back as the same
// string, whose hash the per-IP user Sets and the address cache then never compute again.
const USERS = new Map<number, string>();
const TOKENS = new Map<number, string>();

// The user name in buf[start, end): null when empty, undefined when it holds a byte that is not
// printable ASCII (the matchers then decide: UTF-8, and `.` stops at some characters).
function user(buf: Buffer, start: number, end: number): string | null | undefined {
  return end <= start ? null : intern(USERS, buf, start, end);
}

function intern(table: Map<number, string>, buf: Buffer, start: number, end: number): string | undefined {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c < 32 || c > 126) return undefined;
    h = Math.imul(h ^ c, 0x01000193);
  }
  const key = (h ^ (end - start)) & 0x3fffffff; // a small integer: no heap number per lookup
  const known = table.get(key);
  if (known !== undefined && known.length === end - start) {
    let same = true;
    for (let i = 0; i < known.length; i++) if (known.charCodeAt(i) !== buf[start + i]) { same = false; break; }
    if (same) return known;
  }
  if (table.size >= 65_536) table.clear();
  const name = buf.toString('latin1', start, end);
  table.set(key, name);
  return name;
}

// `[ port N]` (and with sshAndPreauth `[ ssh1|ssh2][ [preauth]]`) up to `end` exactly.
function isSuffix(buf: Buffer, at: number, end: number, sshAndPreauth: boolean): boolean {
  let i = at;
  if (startsWith(buf, i, end, PORT)) {
    i += PORT.length;
    const digitsStart = i;
    while (i < end && isDigit(buf[i]!)) i++;
    if (i === digitsStart) return false;
  }
  if (sshAndPreauth && end - i >= 5 && buf[i] === SPACE && buf[i + 1] === 115 && buf[i + 2] === 115 && buf[i + 3] === 104 && (buf[i + 4] === 50 || buf[i + 4] === 49)) i += 5;
  if (sshAndPreauth && startsWith(buf, i, end, PREAUTH)) i += PREAUTH.length;
  return i === end;
}

/** Creates a fast matcher with its own cache of the last timestamp. */
export function createFastMatcher(referenceMs: number): (buf: Buffer, start: number, end: number) => RawMatch | undefined {
  const lastStamp = Buffer.alloc(15);
  let lastMs: number | undefined;
  let haveStamp = false;

  const stampMs = (buf: Buffer, start: number): number | undefined => {
    if (haveStamp) {
      let same = true;
      for (let i = 0; i < 15; i++) if (buf[start + i] !== lastStamp[i]) { same = false; break; }
      if (same) return lastMs;
    }
    let ascii = true;
    for (let i = start; i < start + 15; i++) if (buf[i]! > 126) ascii = false;
    const ms = ascii ? classicStampMs(buf.toString('latin1', start, start + 15), referenceMs) : undefined;
    buf.copy(lastStamp, 0, start, start + 15);
    lastMs = ms;
    haveStamp = true;
    return ms;
  };

  return (buf, start, end) => {
    // Only the parts that reach the result are checked for printable ASCII (stamp, tag, user
    // names, pam tokens); the others are literals, digits or address characters by construction.
    if (end - start < 20 || MONTH_FIRST[buf[start]!] !== 1 || buf[end - 1]! <= SPACE) return undefined;
    // What parseClassic accepts: `Mmm dd hh:mm:ss host tag[pid]: message`.
    if (buf[start + 3] !== SPACE || buf[start + 6] !== SPACE || buf[start + 9] !== 58 || buf[start + 12] !== 58 || buf[start + 15] !== SPACE) return undefined;
    const timeMs = stampMs(buf, start);
    if (timeMs === undefined) return undefined;
    let hostEnd = start + 16;
    while (hostEnd < end && buf[hostEnd] !== SPACE) hostEnd++;
    if (hostEnd === start + 16 || hostEnd >= end) return undefined;
    let colon = -1;
    for (let i = hostEnd + 1; i + 1 < end; i++) if (buf[i] === 58 && buf[i + 1] === SPACE) { colon = i; break; }
    if (colon === -1) return undefined;
    let tagEnd = colon;
    if (buf[colon - 1] === 93) {
      tagEnd = colon - 1;
      while (tagEnd > hostEnd && buf[tagEnd] !== 91) tagEnd--;
      if (tagEnd <= hostEnd) return undefined;
    }
    if (tagEnd === hostEnd + 1) return undefined;
    for (let i = hostEnd + 1; i < tagEnd; i++) {
      const c = buf[i]!;
      if (c <= SPACE || c > 126 || c === 58 || c === 91) return undefined;
    }
    const msg = colon + 2;
    const sshd = isSshdTag(buf, hostEnd + 1, tagEnd);

    if (sshd && startsWith(buf, msg, end, FAILED_PASSWORD)) {
      // sshd-failed-password (first matcher tried): user is greedy, the address follows the last " from ".
      let u = msg + FAILED_PASSWORD.length;
      if (startsWith(buf, u, end, INVALID_USER_LC) || startsWith(buf, u, end, ILLEGAL_USER_LC)) u += INVALID_USER_LC.length;
      const from = lastIndexOf(buf, FROM, u, end);
      if (from === -1) return undefined;
      const ipStart = from + FROM.length;
      const ipEnd = tokenEnd(buf, ipStart, end);
      if (!isSuffix(buf, ipEnd, end, true)) return undefined;
      const ip = readIp(buf, ipStart, ipEnd);
      const name = user(buf, u, from);
      return ip === null || name === undefined ? undefined : { ip, user: name, kind: 'sshd-failed-password', timeMs, count: 1 };
    }
    if (sshd && startsWith(buf, msg, end, INVALID_USER)) {
      // sshd-invalid-user; a user name without spaces cannot make an earlier matcher's pattern match.
      const u = msg + INVALID_USER.length;
      const from = lastIndexOf(buf, FROM, u, end);
      if (from === -1 || hasSpace(buf, u, from)) return undefined;
      const ipStart = from + FROM.length;
      const ipEnd = tokenEnd(buf, ipStart, end);
      if (!isSuffix(buf, ipEnd, end, false)) return undefined;
      const ip = readIp(buf, ipStart, ipEnd);
      const name = user(buf, u, from);
      return ip === null || name === undefined ? undefined : { ip, user: name, kind: 'sshd-invalid-user', timeMs, count: 1 };
    }
    if (sshd && (startsWith(buf, msg, end, CONNECTION_CLOSED) || startsWith(buf, msg, end, DISCONNECTED))) {
      // sshd-preauth-disconnect: `... (authenticating|invalid) user U IP port N[ [preauth]]`.
      let u = msg + (buf[msg] === 67 ? CONNECTION_CLOSED.length : DISCONNECTED.length);
      if (startsWith(buf, u, end, AUTHENTICATING_USER)) u += AUTHENTICATING_USER.length;
      else if (startsWith(buf, u, end, INVALID_USER_LC)) u += INVALID_USER_LC.length;
      else return undefined;
      let tail = end;
      if (tail - PREAUTH.length >= u && startsWith(buf, tail - PREAUTH.length, end, PREAUTH)) tail -= PREAUTH.length;
      let d = tail;
      while (d > u && isDigit(buf[d - 1]!)) d--;
      if (d === tail || d - PORT.length < u || !startsWith(buf, d - PORT.length, end, PORT)) return undefined;
      const ipEnd = d - PORT.length;
      const space = buf.lastIndexOf(SPACE, ipEnd - 1);
      if (space < u || space === ipEnd - 1) return undefined;
      const ipStart = space + 1;
      if (tokenEnd(buf, ipStart, ipEnd) !== ipEnd || hasSpace(buf, u, space)) return undefined;
      const ip = readIp(buf, ipStart, ipEnd);
      const name = user(buf, u, space);
      return ip === null || name === undefined ? undefined : { ip, user: name, kind: 'sshd-preauth-disconnect', timeMs, count: 1 };
    }
    if (startsWith(buf, msg, end, PAM_UNIX)) return pamUnix(buf, msg + PAM_UNIX.length, end, timeMs);
    return undefined;
  };
}

// pam-unix-auth-failure, strict: `svc:auth): authentication failure;( key=value)* rhost=IP( +user=U)?`.
function pamUnix(buf: Buffer, at: number, end: number, timeMs: number): RawMatch | undefined {
  let i = at;
  while (i < end && buf[i] !== 58 && buf[i] !== 41) i++;
  if (i === at || !startsWith(buf, i, end, PAM_AUTH_FAILURE)) return undefined;
  i += PAM_AUTH_FAILURE.length;
  for (;;) {
    if (buf[i] !== SPACE) return undefined;
    i++;
    if (startsWith(buf, i, end, RHOST)) break;
    // One `key=value` token without spaces.
    let eq = false;
    for (; i < end && buf[i] !== SPACE; i++) {
      const c = buf[i]!;
      if (c === 61) eq = true;
      else if (c < SPACE || c > 126) return undefined;
    }
    if (!eq || i >= end) return undefined;
  }
  const ipStart = i + RHOST.length;
  const ipEnd = tokenEnd(buf, ipStart, end);
  let u: string | null = null;
  if (ipEnd !== end) {
    let j = ipEnd;
    while (j < end && buf[j] === SPACE) j++;
    if (j === ipEnd || !startsWith(buf, j, end, USER_EQ)) return undefined;
    j += USER_EQ.length;
    if (hasSpace(buf, j, end)) return undefined;
    const name = user(buf, j, end);
    if (name === undefined) return undefined;
    u = name;
  }
  const ip = readIp(buf, ipStart, ipEnd);
  return ip === null ? undefined : { ip, user: u, kind: 'pam-unix-auth-failure', timeMs, count: 1 };
}
