import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { throwIfAborted } from '@ops/core';

/** Line shapes of a busy server: mostly noise, some failures from a few hundred addresses. */
const NOISE = [
  (h: string, p: number) => `${h} sshd[${p}]: Accepted publickey for deploy from 192.0.2.10 port ${40000 + (p % 20000)} ssh2: ED25519 SHA256:x3dVQkFGdWxsS2V5`,
  (h: string, p: number) => `${h} sshd[${p}]: pam_unix(sshd:session): session opened for user deploy(uid=1001) by (uid=0)`,
  (h: string, p: number) => `${h} CRON[${p}]: pam_unix(cron:session): session closed for user root`,
  (h: string, p: number) => `${h} systemd[1]: Started session-${p}.scope - Session ${p} of User deploy.`,
  (h: string, p: number) => `${h} sudo:   deploy : TTY=pts/0 ; PWD=/home/deploy ; USER=root ; COMMAND=/usr/bin/systemctl status shop-api-${p % 7}`,
];
const USERS = ['root', 'admin', 'oracle', 'postgres', 'ubuntu', 'test', 'git', 'ftpuser'];
const FAILURES = [
  (h: string, p: number, ip: string, u: string) => `${h} sshd[${p}]: Failed password for invalid user ${u} from ${ip} port ${30000 + (p % 30000)} ssh2`,
  (h: string, p: number, ip: string, u: string) => `${h} sshd[${p}]: Invalid user ${u} from ${ip} port ${30000 + (p % 30000)}`,
  (h: string, p: number, ip: string) => `${h} sshd[${p}]: Failed password for root from ${ip} port ${30000 + (p % 30000)} ssh2`,
  (h: string, p: number, ip: string, u: string) => `${h} sshd[${p}]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}  user=${u}`,
  (h: string, p: number, ip: string, u: string) => `${h} dovecot: imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<${u}>, method=PLAIN, rip=${ip}, lip=10.0.0.5, TLS, session=<p${p}>`,
];

/** A deterministic pseudo-random source (the same log every run). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** An attacker address: skewed so a few IPs dominate, IPv6 for one in eight. */
function attacker(rnd: () => number): string {
  const n = Math.floor(rnd() ** 3 * 400);
  return n % 8 === 7 ? `2001:db8:${(n * 37).toString(16)}::${(n % 251).toString(16)}` : `203.0.${113 + (n % 8)}.${((n * 7) % 254) + 1}`;
}

/** About `bytes` of syslog lines, one in five a failed login. */
function block(rnd: () => number, bytes: number, minute: number): Buffer {
  const lines: string[] = [];
  let size = 0;
  let second = 0;
  while (size < bytes) {
    const clock = `${String(Math.floor(minute / 60) % 24).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:${String(second++ % 60).padStart(2, '0')}`;
    const stamp = `Nov 19 ${clock} web1`;
    const pid = 1000 + Math.floor(rnd() * 60000);
    const line = rnd() < 0.2
      ? FAILURES[Math.floor(rnd() * FAILURES.length)]!(stamp, pid, attacker(rnd), USERS[Math.floor(rnd() * USERS.length)]!)
      : NOISE[Math.floor(rnd() * NOISE.length)]!(stamp, pid);
    lines.push(line);
    size += line.length + 1;
  }
  return Buffer.from(lines.join('\n') + '\n');
}

/**
 * Writes an auth.log of about `totalBytes` to `path` and returns its size: 16 distinct 4 MiB
 * blocks of realistic lines written in a shuffled order, so 300 MB take a few seconds.
 */
export async function generateLargeLog(path: string, totalBytes: number, signal?: AbortSignal): Promise<number> {
  const rnd = lcg(42);
  const blocks = Array.from({ length: 16 }, (_, i) => block(rnd, 4 << 20, i * 60));
  const out = createWriteStream(path, { highWaterMark: 8 << 20 });
  let written = 0;
  try {
    while (written < totalBytes) {
      throwIfAborted(signal, 'generating the large log');
      const chunk = blocks[Math.floor(rnd() * blocks.length)]!;
      written += chunk.length;
      if (!out.write(chunk)) await once(out, 'drain');
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  return written;
}
