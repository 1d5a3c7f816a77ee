import { ANCHORS } from '../matchers/all.js';

// Letters from most to least common in English text and logs; rarer bytes make better fingerprints.
const COMMON = ' etaoinsrhldcu:umfpgwybv.0123456789-_/=[]()kETAOINSRHLDCUMFPGWYBVKxjqzXJQZ';

function rarity(byte: string): number {
  const i = COMMON.indexOf(byte);
  return i === -1 ? COMMON.length : i;
}

// Chosen by hand where the rarity heuristic picks a trigram common in auth logs
// ("ing", "ssw" of "Accepted password", "low").
const OVERRIDES: Record<string, string> = {
  'authenticating user ': 'tic',
  'assword mismatch': 'sma',
  'not allowed because': 'bec',
  'unknown user': 'wn ', // not "unk": postfix logs "connect from unknown[...]" all the time
  'unknown algorithm': 'lgo', // (the same)
  ' not found': 'fou', // not "und" (found, under, round, background)
  'Auth fail': 'fai', // a fingerprint already ("auth failed")
  'realm mismatch': 'sma', // (the same as "assword mismatch"; not "mis" of "permission")
  'wrong authentication scheme': 'wro', // not "sch" of "schedule"
};

/** The 3-byte substring of an anchor made of the rarest bytes (the one the SIMD pass looks for). */
export function fingerprintOf(anchor: string): string {
  const chosen = OVERRIDES[anchor];
  if (chosen !== undefined && anchor.includes(chosen)) return chosen;
  let best = anchor.slice(0, 3);
  let bestScore = -Infinity;
  for (let i = 0; i + 3 <= anchor.length; i++) {
    const tri = anchor.slice(i, i + 3);
    const score = Math.min(...[...tri].map(rarity)) * 4 + [...tri].reduce((s, c) => s + rarity(c), 0);
    if (score > bestScore) { bestScore = score; best = tri; }
  }
  return best;
}

/** Distinct fingerprints of every matcher anchor: a line holding an anchor holds one of them. */
export const FINGERPRINTS: readonly string[] = [...new Set(ANCHORS.map(fingerprintOf))].sort();

// The fingerprints of each of the eight Teddy buckets. A bucket's nibbles also let through the
// trigrams made of its fingerprints' nibbles at each position ("ses" with "sma", "tex", "tic"
// together: once in two lines of a busy sshd log, each a branch and a code lookup). Found by
// swapping fingerprints between buckets to fewest such phantoms on the bench logs (auth.log of a
// host under attack and the production-shaped one: 5 M phantoms a GiB to none and 0.16 M).
const BUCKETS: readonly (readonly string[])[] = [
  ['GIN', 'Ill', 'PAM'], ['Too', 'qop', 'wn '], ['FUS', 'Fai', 'fai'], ['e()', 'fou', 'inv'],
  ['bec', 'lgo', 'lur'], ['Inv', 're;', 'tex'], ['Cha', 'sma', 'wro'], ['alm', 'tic', 'xim'],
];
const BUCKET_OF = new Map(BUCKETS.flatMap((fps, b) => fps.map((fp) => [fp, b] as const)));

/**
 * The six 16-byte nibble tables of the Teddy search (lo/hi nibble for fingerprint bytes 0, 1, 2):
 * bit b of lo[p][c & 15] & hi[p][c >> 4] says byte c may be byte p of a fingerprint in bucket b
 * (BUCKETS; a fingerprint not listed there goes by its place in the list).
 */
export function nibbleTables(fingerprints: readonly string[] = FINGERPRINTS): Uint8Array {
  const tables = new Uint8Array(96);
  const buckets = 8;
  fingerprints.forEach((fp, k) => {
    const bit = 1 << (BUCKET_OF.get(fp) ?? Math.floor((k * buckets) / fingerprints.length));
    for (let p = 0; p < 3; p++) {
      const c = fp.charCodeAt(p);
      tables[p * 32 + (c & 15)]! |= bit;
      tables[p * 32 + 16 + (c >> 4)]! |= bit;
    }
  });
  return tables;
}
