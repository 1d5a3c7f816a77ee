import { createFastMatcher } from './fast-match.js';
import { matchLineRaw } from './match-line.js';

const REF = Date.parse('2024-11-20T00:00:00Z');
const P = 'Nov 19 10:00:01 web1';

// Lines the fast path must answer itself (and exactly as the regular-expression matchers do).
const HANDLED: string[] = [
  `${P} sshd[101]: Failed password for root from 203.0.113.7 port 40000 ssh2`,
  `${P} sshd[101]: Failed password for invalid user admin from 203.0.113.7 port 40000 ssh2`,
  `${P} sshd[101]: Failed password for illegal user test from 192.0.2.1`,
  `${P} sshd[101]: Failed password for invalid user 10.0.0.1 from 198.51.100.2 port 22 ssh2`,
  `${P} sshd[101]: Failed password for invalid user 10.3.0.1 from 2001:db8::1f port 22 ssh2`,
  `${P} sshd[101]: Failed password for invalid user x from 9.9.9.9 port 1 ssh2 from 198.51.100.3 port 22 ssh2`,
  `${P} sshd[101]: Failed password for root from ::ffff:198.51.100.4 port 22 ssh2`,
  `${P} sshd[101]: Failed password for root from 2001:DB8:0:0::1 port 22 ssh2`,
  `${P} sshd[101]: Failed password for root from 203.0.113.7 port 22 ssh2 [preauth]`,
  `${P} sshd[101]: Failed password for root from 203.0.113.7 ssh1`,
  `${P} sshd[101]: Failed password for a b c from 203.0.113.7 port 22 ssh2`,
  `${P} sshd[101]: Failed password for  from 203.0.113.7 port 22 ssh2`,
  `${P} sshd-session[101]: Failed password for root from 203.0.113.7 port 40000 ssh2`,
  `${P} sshd-auth[101]: Failed password for root from 203.0.113.7 port 40000 ssh2`,
  `Nov  9 10:00:01 web1 sshd[101]: Failed password for root from 203.0.113.7 port 40000 ssh2`,
  `Jan  1 00:00:00 web1 sshd[101]: Failed password for root from 203.0.113.7 port 40000 ssh2`,
  `Dec 31 23:59:59 web1 sshd: Failed password for root from 0.0.0.0 port 40000 ssh2`,
  `${P} sshd[101]: Invalid user ubnt from 203.0.113.50 port 41234`,
  `${P} sshd[101]: Invalid user  from 203.0.113.51 port 41234`,
  `${P} sshd[101]: Invalid user pi from 203.0.113.52`,
  `${P} sshd[101]: Invalid user 1.2.3.4 from 2001:db8::52 port 1`,
  `${P} sshd[101]: Invalid user x from 1.2.3.4 from 203.0.113.53 port 1`.replace('x from 1.2.3.4 ', 'x_1.2.3.4 '),
  `${P} sshd[101]: Connection closed by authenticating user root 203.0.113.7 port 40002 [preauth]`,
  `${P} sshd[101]: Connection closed by invalid user admin 203.0.113.12 port 40002 [preauth]`,
  `${P} sshd[101]: Connection closed by invalid user 9.9.9.9 203.0.113.12 port 40002`,
  `${P} sshd[101]: Disconnected from invalid user oracle 2001:db8::12 port 40002 [preauth]`,
  `${P} sshd[101]: Disconnected from authenticating user root 203.0.113.13 port 40002 [preauth]`,
  `${P} sshd[101]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.7  user=root`,
  `${P} sshd[101]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.14`,
  `${P} sshd[101]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.14 user=`,
  `${P} vsftpd[101]: pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=bob rhost=::ffff:198.51.100.9`,
  `${P} dovecot[101]: pam_unix(dovecot:auth): authentication failure; logname= uid=0 euid=0 tty=dovecot ruser=carol rhost=2001:db8::99  user=carol`,
  `Nov 19 10:00:01 wéb1 sshd[101]: Failed password for root from 203.0.113.7 port 22 ssh2`,
  `Nov 19 10:00:01 web\t1 sshd[101]: Invalid user a from 203.0.113.7 port 22`,
  `Nov 19 10:00:01 web1 sshd[1é]: Failed password for root from 203.0.113.7 port 22 ssh2`,
];

// Lines it must leave to the regular expressions (or answer as they do).
const OTHERS: string[] = [
  `${P} sshd[101]: message repeated 5 times: [ Failed password for root from 203.0.113.8 port 40000 ssh2]`,
  `${P} sshd[101]: Failed password for root from fe80::1%eth0 port 22 ssh2`,
  `${P} sshd[101]: Failed password for root from [2001:db8::29] port 22 ssh2`,
  `${P} sshd[101]: Failed password for root from 203.0.113.7 port 22 ssh2 `,
  `${P} sshd[101]: Failed password for root from 203.0.113.7 port 22 ssh2\r`,
  `${P} sshd[101]: Failed password for root from 999.1.1.1 port 22 ssh2`,
  `${P} sshd[101]: Failed password for root from 01.2.3.4 port 22 ssh2`,
  `${P} sshd[101]: Failed password for root from admin port 22 ssh2`,
  `${P} sshd[101]: Failed password for root from 1.2.3.4. port 22 ssh2`,
  `${P} sshd[101]: Failed password for invalid user from 203.0.113.7 port 22 ssh2`,
  `${P} sshd[101]: Failed password for rööt from 203.0.113.7 port 22 ssh2`,
  `${P} sshd[101]: Failed password for root\tx from 203.0.113.7 port 22 ssh2`,
  `${P} sudo[101]: Failed password for root from 203.0.113.7 port 40000 ssh2`,
  `${P} sshd[101]: Accepted password for root from 203.0.113.7 port 40000 ssh2`,
  `${P} sshd[101]: Invalid user a b from 203.0.113.50 port 41234`,
  `${P} sshd[101]: Invalid user Failed password for x from 1.2.3.4 port 2 ssh2 from 203.0.113.50 port 41234`,
  `${P} sshd[101]: Invalid user admin from 203.0.113.50 port 41234 [preauth]`,
  `${P} sshd[101]: Connection closed by 203.0.113.7 port 40000 [preauth]`,
  `${P} sshd[101]: Disconnected from user deploy 203.0.113.7 port 40000`,
  `${P} sshd[101]: Connection closed by invalid user a b 203.0.113.12 port 40002 [preauth]`,
  `${P} sshd[101]: Connection closed by invalid user  203.0.113.12 port 40002 [preauth]`,
  `${P} sshd[101]: Connection closed by invalid user admin [2001:db8::1] port 40002 [preauth]`,
  `${P} sshd[101]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.15  user=x rhost=9.9.9.9`,
  `${P} sshd[101]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=host.example.com  user=root`,
  `${P} sudo: pam_unix(sudo:auth): authentication failure; logname=deploy uid=1000 euid=0 tty=/dev/pts/0 ruser=deploy rhost=  user=deploy`,
  `${P} sshd[101]: pam_unix(sshd:session): session opened for user deploy(uid=1000) by (uid=0)`,
  `Nov 19 10:00:01.123456 web1 sshd[1]: Failed password for root from 203.0.113.26 port 22 ssh2`,
  `Foo 19 10:00:01 web1 sshd[1]: Failed password for root from 203.0.113.26 port 22 ssh2`,
  `Nov 1x 10:00:01 web1 sshd[1]: Failed password for root from 203.0.113.26 port 22 ssh2`,
  `Nov 19 10:00:01  sshd[1]: Failed password for root from 203.0.113.26 port 22 ssh2`,
  `Nov 19 10:00:01 web1 [1]: Failed password for root from 203.0.113.26 port 22 ssh2`,
  `<86>Nov 19 10:00:01 web1 sshd[1]: Failed password for root from 203.0.113.28 port 22 ssh2`,
  'Failed password for root from 203.0.113.29 port 22 ssh2',
  '',
  `${P} sshdé[101]: Failed password for root from 203.0.113.7 port 22 ssh2`,
  `${P} sshd\t[101]: Failed password for root from 203.0.113.7 port 22 ssh2`,
  `${P} vsftpd\u00a0[101]: pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=bob rhost=198.51.100.9`,
  `${P} sshd[101]: Failed password for a\u2028b from 203.0.113.7 port 22 ssh2`,
  `${P} sshd[101]: Failed password for a\u0085b from 203.0.113.7 port 22 ssh2`,
  `${P} sshd[101]: Invalid user \u00e9t\u00e9 from 203.0.113.7 port 22`,
  `${P} sshd[101]: Connection closed by invalid user a\u0000b 203.0.113.12 port 40002 [preauth]`,
  `${P} sshd[101]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser=a\u2028b rhost=203.0.113.7  user=root`,
  `${P} sshd[101]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser=\u00e9 rhost=203.0.113.7  user=r\u00f6ot`,
  `${P} sshd[101]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.7\tuser=root`,
  `Nov 19 1\u00e9:00:01 web1 sshd[101]: Failed password for root from 203.0.113.7 port 22 ssh2`,
  `${P} sshd[101]: Failed password for root from 203.0.113.7 port 22 ssh2\t`,
];

const bytes = (line: string) => Buffer.from(line, 'utf8');

describe('createFastMatcher', () => {
  test.each(HANDLED.map((l) => [l]))('reads %j itself, as the matchers do', (line) => {
    const fast = createFastMatcher(REF);
    const b = bytes(line);
    const expected = matchLineRaw(line, REF);
    expect(expected).not.toBeNull();
    expect(fast(b, 0, b.length)).toEqual(expected);
  });

  test.each(OTHERS.map((l) => [l]))('leaves %j to the matchers or agrees with them', (line) => {
    const fast = createFastMatcher(REF);
    const b = bytes(line);
    const got = fast(b, 0, b.length);
    if (got !== undefined) expect(got).toEqual(matchLineRaw(line, REF));
  });

  test('reads lines inside a larger buffer, with the time cached across lines', () => {
    const fast = createFastMatcher(REF);
    const text = HANDLED.join('\n');
    const b = bytes(text);
    let start = 0;
    for (const line of HANDLED) {
      const end = start + Buffer.byteLength(line);
      expect(fast(b, start, end)).toEqual(matchLineRaw(line, REF));
      start = end + 1;
    }
  });

  test('keeps every distinct user name and address apart (names and tokens are interned by a hash of their bytes)', () => {
    const fast = createFastMatcher(REF);
    for (let i = 0; i < 3000; i++) {
      const line = `${P} sshd[1]: Failed password for invalid user u${i.toString(36)}x${i % 7} from 2001:db8::${(i % 500).toString(16)} port 22 ssh2`;
      const b = bytes(line);
      expect(fast(b, 0, b.length)).toEqual(matchLineRaw(line, REF));
    }
  });

  test('agrees with the matchers on 20000 seeded mutations of handled lines (inserted, deleted and replaced bytes)', () => {
    const pieces = [...' :[]().=-_/09afAFxz', '\t', '\r', '\u00e9', '\u2028', '\u0000', ' from ', ' port 1', ' ssh2', ' [preauth]', 'user=', 'rhost=', 'invalid user ', '%eth0', '::', 'Failed ', 'message repeated 2 times: [ '];
    let seed = 12345;
    const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
    let answered = 0;
    for (let k = 0; k < 20_000; k++) {
      let line = HANDLED[rnd(HANDLED.length)]!;
      for (let e = 1 + rnd(3); e > 0; e--) {
        const at = rnd(line.length + 1);
        const piece = pieces[rnd(pieces.length)]!;
        const op = rnd(3);
        line = line.slice(0, at) + (op === 1 ? '' : piece) + line.slice(op === 0 ? at : at + 1 + rnd(4));
      }
      const b = bytes(line);
      const got = createFastMatcher(REF)(b, 0, b.length);
      if (got === undefined) continue;
      answered++;
      expect([line, got]).toEqual([line, matchLineRaw(b.toString('utf8'), REF)]);
    }
    expect(answered).toBeGreaterThan(1000);
  });

  test('reads the time against its reference (no year: the one before when the line would be in the future)', () => {
    const line = bytes(`Dec 31 23:59:59 web1 sshd[1]: Invalid user a from 192.0.2.1`);
    expect(createFastMatcher(Date.parse('2025-01-01T12:00:00Z'))(line, 0, line.length)?.timeMs)
      .toBe(matchLineRaw(line.toString(), Date.parse('2025-01-01T12:00:00Z'))!.timeMs);
  });
});
