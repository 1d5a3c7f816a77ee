// A production-shaped auth.log for the log-scan benchmark: an internet-facing host under a
// spraying attack. Generated (no fixed file): 50,000 distinct source addresses (5% IPv6) in a
// Zipf-like tail (address of rank r sends ~1/r of the failures: the busiest ~7% of them, the
// tail one or two each), each address trying its own slice of a 40,000-name dictionary (the
// busiest ~500 names; ~1 M distinct (address, user) pairs in 1 GiB), every documented failure
// kind in the proportions of such a host (sshd first, some mail, web and FTP), ~40% failure lines
// among the usual benign ones, ~100 lines a second.
import { BENIGN, writeAuthLog } from './log-scan-lines.js';

const ADDRESSES = 50_000;
const DICTIONARY = 40_000;
const MAX_USERS = 500;

// xorshift32: the same file on every run and machine.
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x / 2 ** 32;
  };
}

const COMMON_USERS = ['root', 'admin', 'test', 'user', 'ubuntu', 'oracle', 'postgres', 'git', 'ftpuser', 'pi', 'guest', 'deploy', 'support', 'mysql', 'www-data', 'jenkins', 'hadoop', 'ansible', 'steam', 'minecraft', 'nagios', 'tomcat', 'dev', 'centos', 'ec2-user', 'debian', 'backup', 'operator', 'service', 'administrator'];

/** The names the attackers try: the usual ones first, then a long dictionary. */
function dictionary(): string[] {
  const next = random(7);
  const syllables = ['al', 'an', 'ar', 'be', 'ca', 'da', 'el', 'er', 'fe', 'ga', 'ha', 'in', 'jo', 'ka', 'li', 'ma', 'ne', 'ol', 'pa', 'ri', 'sa', 'te', 'ul', 'vi', 'wa', 'xe', 'yo', 'za'];
  const names = new Set(COMMON_USERS);
  while (names.size < DICTIONARY) {
    const n = 2 + Math.floor(next() * 3);
    let name = '';
    for (let k = 0; k < n; k++) name += syllables[Math.floor(next() * syllables.length)];
    if (next() < 0.3) name += Math.floor(next() * 1000);
    names.add(name);
  }
  return [...names];
}

interface Attacker { readonly ip: string; readonly users: number; readonly firstUser: number; tried: number }

/** Addresses by rank (busiest first): 5% IPv6, the rest public-looking IPv4. */
function attackers(failureLines: number, next: () => number): { list: Attacker[]; cumulative: Float64Array } {
  const weights = new Float64Array(ADDRESSES);
  let total = 0;
  for (let r = 0; r < ADDRESSES; r++) total += weights[r] = 1 / (r + 1);
  const cumulative = new Float64Array(ADDRESSES);
  let sum = 0;
  const list: Attacker[] = [];
  const seen = new Set<string>();
  for (let r = 0; r < ADDRESSES; r++) {
    sum += weights[r]! / total;
    cumulative[r] = sum;
    let ip: string;
    do {
      ip = next() < 0.05
        ? `2001:db8:${Math.floor(next() * 65536).toString(16)}:${Math.floor(next() * 65536).toString(16)}::${Math.floor(next() * 65535 + 1).toString(16)}`
        : `${[1 + Math.floor(next() * 222), Math.floor(next() * 256), Math.floor(next() * 256), 1 + Math.floor(next() * 254)].join('.')}`;
    } while (seen.has(ip) || ip.startsWith('10.') || ip.startsWith('127.'));
    seen.add(ip);
    // Each address tries about one new name every second failure, up to MAX_USERS.
    const expected = (failureLines * weights[r]!) / total;
    list.push({ ip, users: Math.max(1, Math.min(MAX_USERS, Math.round(expected / 2))), firstUser: Math.floor(next() * DICTIONARY), tried: 0 });
  }
  return { list, cumulative };
}

type Template = (ip: string, user: string, pid: number, port: number) => string;

// Failure kinds and their shares (percent of failure lines): what an exposed host with sshd,
// postfix/dovecot and a small web and FTP service logs under attack.
export const FAILURE_KINDS: ReadonlyArray<readonly [string, number, Template]> = [
  ['sshd-failed-password', 33, (ip, u, pid, port) => `sshd[${pid}]: Failed password for ${u === 'root' ? 'root' : `invalid user ${u}`} from ${ip} port ${port} ssh2`],
  ['sshd-invalid-user', 20, (ip, u, pid, port) => `sshd[${pid}]: Invalid user ${u} from ${ip} port ${port}`],
  ['pam-unix-auth-failure', 14, (ip, u, pid) => `sshd[${pid}]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}  user=${u}`],
  ['sshd-preauth-disconnect', 10, (ip, u, pid, port) => `sshd[${pid}]: Connection closed by invalid user ${u} ${ip} port ${port} [preauth]`],
  ['sshd-max-auth-attempts', 3, (ip, u, pid, port) => `sshd[${pid}]: error: maximum authentication attempts exceeded for invalid user ${u} from ${ip} port ${port} ssh2 [preauth]`],
  ['sshd-failed-publickey', 3, (ip, u, pid, port) => `sshd[${pid}]: Failed publickey for ${u} from ${ip} port ${port} ssh2: RSA SHA256:Qm9ndXNLZXlGb3JUZXN0aW5nT25seQ`],
  ['sshd-failed-keyboard-interactive', 2, (ip, u, pid, port) => `sshd[${pid}]: Failed keyboard-interactive/pam for invalid user ${u} from ${ip} port ${port} ssh2`],
  ['sshd-failed-none', 2, (ip, u, pid, port) => `sshd[${pid}]: Failed none for invalid user ${u} from ${ip} port ${port} ssh2`],
  ['sshd-user-not-allowed', 1.5, (ip, u, pid) => `sshd[${pid}]: User ${u} from ${ip} not allowed because not listed in AllowUsers`],
  ['sshd-pam-auth-failure', 1, (ip, u, pid) => `sshd[${pid}]: error: PAM: Authentication failure for ${u} from ${ip}`],
  ['sshd-root-login-refused', 0.5, (ip, _u, pid) => `sshd[${pid}]: ROOT LOGIN REFUSED FROM ${ip}`],
  ['postfix-sasl-auth-failed', 4, (ip, _u, pid) => `postfix/smtpd[${pid}]: warning: unknown[${ip}]: SASL LOGIN authentication failed: UGFzc3dvcmQ6`],
  ['dovecot-login-auth-failed', 2.5, (ip, u, pid) => `dovecot: imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<${u}>, method=PLAIN, rip=${ip}, lip=10.0.0.5, TLS, session=<${pid}>`],
  ['dovecot-auth-failure', 1.5, (ip, u, pid) => `dovecot: auth: passwd-file(${u},${ip},<${pid}>): Password mismatch`],
  ['nginx-basic-auth', 1, (ip, u, pid) => `nginx: ${'2024/11/19 10:00:01'} [error] 812#812: *${pid} user "${u}": password mismatch, client: ${ip}, server: example.com, request: "GET /admin HTTP/1.1", host: "example.com"`],
  ['apache-auth-failure', 0.5, (ip, u, pid, port) => `apache2[${pid}]: [auth_basic:error] [pid ${pid}:tid 5678] [client ${ip}:${port}] AH01617: user ${u}: authentication failure for "/private": Password Mismatch`],
  ['vsftpd-fail-login', 0.5, (ip, u, pid) => `vsftpd[${pid}]: [${u}] FAIL LOGIN: Client "${ip.includes(':') ? ip : `::ffff:${ip}`}"`],
];

// The usual benign lines, and what an attacked host logs besides failures ("Disconnected from
// invalid user" counts as sshd-preauth-disconnect: 256 more addresses than `addresses` says).
const OTHER_LINES: Array<(i: number) => string> = [
  ...BENIGN,
  (i) => `sshd[${i % 30000}]: Disconnected from invalid user admin 198.51.100.${i & 255} port ${40000 + (i % 20000)} [preauth]`,
  (i) => `postfix/smtpd[${i % 30000}]: disconnect from unknown[198.51.100.${i & 255}] ehlo=1 auth=0/1 quit=1 commands=2/3`,
];

/** What was written: lines, failure lines, distinct addresses and (address, user) pairs that failed. */
export interface ProductionLog { readonly lines: number; readonly failures: number; readonly addresses: number; readonly pairs: number }

/** Writes `bytes` of the production-shaped auth.log (`failurePercent` of the lines failures). */
export function generateProduction(path: string, bytes: number, failurePercent = 40): ProductionLog {
  const next = random(2024);
  const users = dictionary();
  const averageLine = 135;
  const { list, cumulative } = attackers((bytes / averageLine) * (failurePercent / 100), next);
  const shares = FAILURE_KINDS.map(([, share]) => share);
  const kindCumulative = Float64Array.from(shares.map((_, k) => shares.slice(0, k + 1).reduce((a, b) => a + b, 0) / shares.reduce((a, b) => a + b, 0)));
  const pick = (table: Float64Array, x: number) => {
    let lo = 0, hi = table.length - 1;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (table[mid]! < x) lo = mid + 1; else hi = mid; }
    return lo;
  };
  let failures = 0;
  const pairs = new Set<number>();
  const hit = new Uint8Array(ADDRESSES);
  const lines = writeAuthLog(path, bytes, (i) => {
    if (next() * 100 >= failurePercent) return OTHER_LINES[Math.floor(next() * OTHER_LINES.length)]!(i);
    const rank = pick(cumulative, next());
    const a = list[rank]!;
    const userIndex = (a.firstUser + (a.tried++ % a.users)) % DICTIONARY;
    const kind = pick(kindCumulative, next());
    failures++;
    hit[rank] = 1;
    // (The root-login and SASL lines name no user.)
    if (a.tried <= a.users && kind !== 10 && kind !== 11) pairs.add(rank * DICTIONARY + userIndex);
    return FAILURE_KINDS[kind]![2](a.ip, users[userIndex]!, 1000 + (i % 60000), 1024 + (i % 64000));
  });
  return { lines, failures, addresses: hit.reduce((n, h) => n + h, 0), pairs: pairs.size };
}
