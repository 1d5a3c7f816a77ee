import { isIPv4, isIPv6 } from 'node:net';

/**
 * Canonical text of an address token, or null when it is not an IP address: brackets removed,
 * IPv4-mapped IPv6 (`::ffff:1.2.3.4`, `::ffff:102:304`) reported as IPv4, IPv6 lower-case and
 * compressed (RFC 5952), a zone (`%eth0`) kept.
 */
export function normalizeIp(token: string): string | null {
  if (isPlainIpv4(token)) return token;
  // Attackers repeat: most tokens were seen a moment ago.
  const cached = CACHE.get(token);
  if (cached !== undefined) return cached;
  if (CACHE.size >= CACHE_SIZE) CACHE.clear();
  const normalized = normalizeUncached(token);
  CACHE.set(token, normalized);
  return normalized;
}

/** Dotted quad without leading zeros, each part <= 255, checked without a regular expression. */
function isPlainIpv4(text: string): boolean {
  const n = text.length;
  if (n < 7 || n > 15) return false;
  let dots = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || ++dots > 3) return false;
      value = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && value === 0) return false; // leading zero
      value = value * 10 + c - 48;
      if (value > 255 || ++digits > 3) return false;
    } else {
      return false;
    }
  }
  return dots === 3 && digits > 0;
}

const CACHE_SIZE = 65_536;
const CACHE = new Map<string, string | null>();

function normalizeUncached(token: string): string | null {
  let text = token;
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  if (isIPv4(text)) return text;
  let zone = '';
  const percent = text.indexOf('%');
  if (percent !== -1) {
    zone = text.slice(percent);
    text = text.slice(0, percent);
    if (!/^%[\w.-]+$/.test(zone)) return null;
  }
  if (!isIPv6(text)) return null;
  const groups = expandIpv6(text.toLowerCase());
  if (groups === null) return null;
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `${groups[6]! >> 8}.${groups[6]! & 255}.${groups[7]! >> 8}.${groups[7]! & 255}`;
  }
  return compressIpv6(groups) + zone;
}

function expandIpv6(text: string): number[] | null {
  let body = text;
  const lastColon = body.lastIndexOf(':');
  const last = body.slice(lastColon + 1);
  if (last.includes('.')) {
    const [a, b, c, d] = last.split('.').map(Number) as [number, number, number, number];
    body = `${body.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const left = parse(halves[0]!);
  const right = halves.length === 2 ? parse(halves[1]!) : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 0) return null;
  return [...left, ...new Array<number>(missing).fill(0), ...right];
}

function compressIpv6(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) { bestStart = i; bestLength = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
