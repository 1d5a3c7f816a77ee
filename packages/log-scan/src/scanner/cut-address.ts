import { matchLineRaw } from '../match/match-line.js';
import { normalizeIp } from '../match/normalize-ip.js';

// Bytes an address token is made of: hex digits, '.', ':'.
const isAddressByte = (c: number) => (c >= 48 && c <= 58) || c === 46 || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

/**
 * True when `line` (the last line of a source, without a newline) is a failure whose address runs
 * into its end: the line may have been cut inside the address (`203.0.113.15` of `.155`), so the
 * address cannot be trusted. A line that goes on after its address (` port 22 ssh2`) is complete.
 */
export function endsInsideAddress(line: Uint8Array): boolean {
  let start = line.length;
  while (start > 0 && isAddressByte(line[start - 1]!)) start--;
  if (start === line.length) return false;
  const token = Buffer.from(line.buffer, line.byteOffset + start, line.length - start).toString('latin1');
  const ip = normalizeIp(token);
  if (ip === null) return false;
  const match = matchLineRaw(Buffer.from(line.buffer, line.byteOffset, line.length).toString('utf8'), Date.now());
  return match !== null && match.ip === ip;
}
