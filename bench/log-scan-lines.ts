// Writes a synthetic auth.log for the log-scan benchmarks: classic syslog lines from host web1,
// about 100 a second from 1 October 2024 on, in 1 MiB writes.
import { closeSync, openSync, writeSync } from 'node:fs';

/** The i-th address of the attacks of the first two distributions. */
export const ip = (i: number) => `203.0.${(i >> 8) & 255}.${i & 255}`;

/** The usual lines of a host's auth.log that are no failure (some resemble one). */
export const BENIGN: Array<(i: number) => string> = [
  (i) => `sshd[${i % 30000}]: Accepted publickey for deploy from 10.0.${i & 255}.5 port ${40000 + (i % 20000)} ssh2: RSA SHA256:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG`,
  (i) => `sshd[${i % 30000}]: pam_unix(sshd:session): session opened for user deploy(uid=1000) by (uid=0)`,
  (i) => `CRON[${i % 30000}]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)`,
  (i) => `CRON[${i % 30000}]: pam_unix(cron:session): session closed for user root`,
  (i) => `systemd-logind[812]: New session ${i} of user deploy.`,
  (i) => `kernel: [${i}.123456] [UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:12:34:56 SRC=198.51.100.${i & 255} DST=10.0.0.2 LEN=40 PROTO=TCP SPT=${i % 65535} DPT=23`,
  () => 'sudo:   deploy : TTY=pts/0 ; PWD=/home/deploy ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx',
  (i) => `sshd[${i % 30000}]: Received disconnect from ${ip(i % 7000)} port ${40000 + (i % 20000)}:11: Bye Bye [preauth]`,
  (i) => `sshd[${i % 30000}]: Connection closed by ${ip(i % 7000)} port ${40000 + (i % 20000)} [preauth]`,
  (i) => `postfix/smtpd[${i % 30000}]: connect from unknown[198.51.100.${i & 255}]`,
  (i) => `dovecot: imap-login: Login: user=<bob>, method=PLAIN, rip=198.51.100.${i & 255}, lip=10.0.0.5, mpid=${i}, TLS`,
  (i) => `systemd[1]: Started session-${i}.scope - Session ${i} of User deploy.`,
];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Writes at least `bytes` of lines `message(i)` (without prefix or newline); returns the number of lines. */
export function writeAuthLog(path: string, bytes: number, message: (i: number) => string): number {
  const fd = openSync(path, 'w');
  const start = Date.UTC(2024, 9, 1);
  const pad = (n: number) => String(n).padStart(2, '0');
  let written = 0, i = 0, pending = 0, second = -1, stamp = '';
  let parts: string[] = [];
  while (written < bytes) {
    if (Math.floor(i / 100) !== second) {
      second = Math.floor(i / 100);
      const d = new Date(start + second * 1000);
      stamp = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
    }
    const line = `${stamp} web1 ${message(i)}\n`;
    parts.push(line);
    pending += line.length;
    i++;
    if (pending >= 1 << 20) {
      written += writeSync(fd, parts.join(''));
      parts = [];
      pending = 0;
    }
  }
  if (parts.length) writeSync(fd, parts.join(''));
  closeSync(fd);
  return i;
}
