import { readFileSync } from 'node:fs';
import { matchLine } from '../match/match-line.js';
import { MATCHERS } from './all.js';

const REF = Date.parse('2024-11-20T00:00:00Z');
const P = 'Nov 19 10:00:01 web1';

// [line, ip, user, kind]: real-world wordings per service and version.
const MATCHING: Array<[string, string, string | null, string]> = [
  [`${P} sshd[101]: Failed password for root from 203.0.113.7 port 40000 ssh2`, '203.0.113.7', 'root', 'sshd-failed-password'],
  [`${P} sshd[101]: Failed password for invalid user admin from 203.0.113.7 port 40000 ssh2`, '203.0.113.7', 'admin', 'sshd-failed-password'],
  [`${P} sshd[101]: Failed password for illegal user test from 192.0.2.1`, '192.0.2.1', 'test', 'sshd-failed-password'],
  [`${P} sshd[101]: Failed password for invalid user 10.0.0.1 from 198.51.100.2 port 22 ssh2`, '198.51.100.2', '10.0.0.1', 'sshd-failed-password'],
  [`${P} sshd[101]: Failed password for invalid user x from 9.9.9.9 port 1 ssh2 from 198.51.100.3 port 22 ssh2`, '198.51.100.3', 'x from 9.9.9.9 port 1 ssh2', 'sshd-failed-password'],
  [`${P} sshd[101]: Failed password for root from ::ffff:198.51.100.4 port 22 ssh2`, '198.51.100.4', 'root', 'sshd-failed-password'],
  [`${P} sshd[101]: Failed password for root from 2001:DB8:0:0::1 port 22 ssh2`, '2001:db8::1', 'root', 'sshd-failed-password'],
  [`${P} sshd[101]: Failed password for root from fe80::1%eth0 port 22 ssh2`, 'fe80::1%eth0', 'root', 'sshd-failed-password'],
  [`${P} sshd-session[101]: Failed password for root from 203.0.113.7 port 40000 ssh2`, '203.0.113.7', 'root', 'sshd-failed-password'],
  [`${P} sshd[101]: message repeated 5 times: [ Failed password for root from 203.0.113.8 port 40000 ssh2]`, '203.0.113.8', 'root', 'sshd-failed-password'],
  [`${P} sshd[101]: Failed publickey for git from 198.51.100.23 port 52214 ssh2: ED25519 SHA256:Zm9vYmFy`, '198.51.100.23', 'git', 'sshd-failed-publickey'],
  [`${P} sshd[101]: Failed publickey for root from 198.51.100.23 port 52214 ssh2: RSA 12:f8:7e:78:61:b4:bf:e2:de:24:15:96:4e:d4:72:53`, '198.51.100.23', 'root', 'sshd-failed-publickey'],
  [`${P} sshd[101]: Failed keyboard-interactive/pam for invalid user oracle from 192.0.2.44 port 33012 ssh2`, '192.0.2.44', 'oracle', 'sshd-failed-keyboard-interactive'],
  [`${P} sshd[101]: Failed none for invalid user test from 2001:db8::7 port 50412 ssh2`, '2001:db8::7', 'test', 'sshd-failed-none'],
  [`${P} sshd[101]: Invalid user ubnt from 203.0.113.50 port 41234`, '203.0.113.50', 'ubnt', 'sshd-invalid-user'],
  [`${P} sshd[101]: Invalid user  from 203.0.113.51 port 41234`, '203.0.113.51', null, 'sshd-invalid-user'],
  [`${P} sshd[101]: Invalid user pi from 203.0.113.52`, '203.0.113.52', 'pi', 'sshd-invalid-user'],
  [`${P} sshd[101]: Illegal user guest from 203.0.113.53`, '203.0.113.53', 'guest', 'sshd-invalid-user'],
  [`${P} sshd[101]: User backup from 192.0.2.10 not allowed because not listed in AllowUsers`, '192.0.2.10', 'backup', 'sshd-user-not-allowed'],
  [`${P} sshd[101]: User bin from 192.0.2.11 not allowed because none of user's groups are listed in AllowGroups`, '192.0.2.11', 'bin', 'sshd-user-not-allowed'],
  [`${P} sshd[101]: User nobody from 192.0.2.12 not allowed because listed in DenyUsers`, '192.0.2.12', 'nobody', 'sshd-user-not-allowed'],
  [`${P} sshd[101]: error: PAM: Authentication failure for root from 198.51.100.77`, '198.51.100.77', 'root', 'sshd-pam-auth-failure'],
  [`${P} sshd[101]: error: PAM: Authentication failure for illegal user ghost from 198.51.100.78`, '198.51.100.78', 'ghost', 'sshd-pam-auth-failure'],
  [`${P} sshd[101]: error: maximum authentication attempts exceeded for root from 203.0.113.9 port 60022 ssh2 [preauth]`, '203.0.113.9', 'root', 'sshd-max-auth-attempts'],
  [`${P} sshd[101]: error: maximum authentication attempts exceeded for invalid user admin from 203.0.113.10 port 60022 ssh2 [preauth]`, '203.0.113.10', 'admin', 'sshd-max-auth-attempts'],
  [`${P} sshd[101]: Disconnecting authenticating user root 203.0.113.11 port 60022: Too many authentication failures [preauth]`, '203.0.113.11', 'root', 'sshd-max-auth-attempts'],
  [`${P} sshd[101]: ROOT LOGIN REFUSED FROM 192.0.2.200`, '192.0.2.200', 'root', 'sshd-root-login-refused'],
  [`${P} sshd[101]: Connection closed by authenticating user root 203.0.113.7 port 40002 [preauth]`, '203.0.113.7', 'root', 'sshd-preauth-disconnect'],
  [`${P} sshd[101]: Connection closed by invalid user admin 203.0.113.12 port 40002 [preauth]`, '203.0.113.12', 'admin', 'sshd-preauth-disconnect'],
  [`${P} sshd[101]: Disconnected from invalid user oracle 2001:db8::12 port 40002 [preauth]`, '2001:db8::12', 'oracle', 'sshd-preauth-disconnect'],
  [`${P} sshd[101]: Disconnected from authenticating user root 203.0.113.13 port 40002 [preauth]`, '203.0.113.13', 'root', 'sshd-preauth-disconnect'],
  [`${P} sshd[101]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.7  user=root`, '203.0.113.7', 'root', 'pam-unix-auth-failure'],
  [`${P} sshd[101]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.14`, '203.0.113.14', null, 'pam-unix-auth-failure'],
  [`${P} vsftpd[101]: pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=bob rhost=::ffff:198.51.100.9`, '198.51.100.9', null, 'pam-unix-auth-failure'],
  [`${P} dovecot[101]: pam_unix(dovecot:auth): authentication failure; logname= uid=0 euid=0 tty=dovecot ruser=carol rhost=2001:db8::99  user=carol`, '2001:db8::99', 'carol', 'pam-unix-auth-failure'],
  [`${P} sshd[101]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.15  user=x rhost=9.9.9.9`, '203.0.113.15', 'x rhost=9.9.9.9', 'pam-unix-auth-failure'],
  ['Tue Nov 19 10:00:01 2024 [pid 4242] [ftpuser] FAIL LOGIN: Client "::ffff:198.51.100.4"', '198.51.100.4', 'ftpuser', 'vsftpd-fail-login'],
  [`${P} vsftpd[101]: [anonymous] FAIL LOGIN: Client "198.51.100.5"`, '198.51.100.5', 'anonymous', 'vsftpd-fail-login'],
  [`${P} dovecot: imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<bob>, method=PLAIN, rip=198.51.100.8, lip=10.0.0.5, TLS, session=<abc>`, '198.51.100.8', 'bob', 'dovecot-login-auth-failed'],
  [`${P} dovecot: pop3-login: Aborted login (auth failed, 3 attempts in 12 secs): user=<eve>, method=LOGIN, rip=2001:db8::8, lip=2001:db8::1, session=<x>`, '2001:db8::8', 'eve', 'dovecot-login-auth-failed'],
  [`${P} dovecot: imap-login: Login aborted: Connection closed (auth failed, 1 attempts in 2 secs) (auth_failed): user=<dan>, method=PLAIN, rip=198.51.100.10, lip=10.0.0.5, TLS`, '198.51.100.10', 'dan', 'dovecot-login-auth-failed'],
  [`${P} dovecot: auth: passwd-file(alice,203.0.113.15,<Kx8f2>): Password mismatch`, '203.0.113.15', 'alice', 'dovecot-auth-failure'],
  [`${P} dovecot: auth: passwd-file(mallory,203.0.113.16): unknown user`, '203.0.113.16', 'mallory', 'dovecot-auth-failure'],
  [`${P} dovecot: auth-worker(123): pam(bob,203.0.113.17,<s>): pam_authenticate() failed: Authentication failure (Password mismatch?)`, '203.0.113.17', 'bob', 'dovecot-auth-failure'],
  [`${P} postfix/smtpd[101]: warning: unknown[203.0.113.99]: SASL LOGIN authentication failed: UGFzc3dvcmQ6`, '203.0.113.99', null, 'postfix-sasl-auth-failed'],
  [`${P} postfix/submission/smtpd[101]: warning: mail.example.com[2001:db8::5]: SASL PLAIN authentication failed: authentication failure, sasl_username=bob@example.com`, '2001:db8::5', 'bob@example.com', 'postfix-sasl-auth-failed'],
  ['2024/11/19 10:00:01 [error] 812#812: *41 user "admin": password mismatch, client: 198.51.100.61, server: example.com, request: "GET /admin HTTP/1.1", host: "example.com"', '198.51.100.61', 'admin', 'nginx-basic-auth'],
  ['2024/11/19 10:00:01 [error] 812#812: *42 user "root" was not found in "/etc/nginx/.htpasswd", client: 2001:db8::61, server: _, request: "GET / HTTP/1.1"', '2001:db8::61', 'root', 'nginx-basic-auth'],
  ['[Tue Nov 19 10:00:01.123456 2024] [auth_basic:error] [pid 1234:tid 5678] [client 198.51.100.70:51515] AH01617: user bob: authentication failure for "/private": Password Mismatch', '198.51.100.70', 'bob', 'apache-auth-failure'],
  ['[Tue Nov 19 10:00:01.123456 2024] [auth_basic:error] [pid 1234] [client 198.51.100.71:51515] AH01618: user ghost not found: /private', '198.51.100.71', 'ghost', 'apache-auth-failure'],
  ['[Tue Nov 19 10:00:01 2024] [error] [client 198.51.100.72] user bob not found: /private', '198.51.100.72', 'bob', 'apache-auth-failure'],
  ['[Tue Nov 19 10:00:01 2024] [error] [client 198.51.100.73] user carol: authentication failure for "/": Password Mismatch, referer: http://example.com/', '198.51.100.73', 'carol', 'apache-auth-failure'],
  // Line formats: RFC 5424, journalctl short-iso / short-full / short-unix / short-precise / monotonic, bare.
  ['<38>1 2024-11-19T10:00:01.123456+00:00 web1 sshd 4242 - - Failed password for root from 203.0.113.20 port 22 ssh2', '203.0.113.20', 'root', 'sshd-failed-password'],
  ['<38>1 2024-11-19T10:00:01Z web1 sshd 4242 ID47 [origin ip="10.0.0.1"] Invalid user a from 203.0.113.21 port 22', '203.0.113.21', 'a', 'sshd-invalid-user'],
  ['2024-11-19T10:00:01+0000 web1 sshd[1]: Failed password for root from 203.0.113.22 port 22 ssh2', '203.0.113.22', 'root', 'sshd-failed-password'],
  ['2024-11-19T10:00:01.123456+01:00 web1 sshd[1]: Failed password for root from 203.0.113.23 port 22 ssh2', '203.0.113.23', 'root', 'sshd-failed-password'],
  ['Tue 2024-11-19 10:00:01 UTC web1 sshd[1]: Failed password for root from 203.0.113.24 port 22 ssh2', '203.0.113.24', 'root', 'sshd-failed-password'],
  ['1732010401.123456 web1 sshd[1]: Failed password for root from 203.0.113.25 port 22 ssh2', '203.0.113.25', 'root', 'sshd-failed-password'],
  ['Nov 19 10:00:01.123456 web1 sshd[1]: Failed password for root from 203.0.113.26 port 22 ssh2', '203.0.113.26', 'root', 'sshd-failed-password'],
  ['[  123.456789] web1 sshd[1]: Failed password for root from 203.0.113.27 port 22 ssh2', '203.0.113.27', 'root', 'sshd-failed-password'],
  ['<86>Nov 19 10:00:01 web1 sshd[1]: Failed password for root from 203.0.113.28 port 22 ssh2', '203.0.113.28', 'root', 'sshd-failed-password'],
  ['Failed password for root from 203.0.113.29 port 22 ssh2', '203.0.113.29', 'root', 'sshd-failed-password'],
  ['Failed password for root from [2001:db8::29] port 22 ssh2\r', '2001:db8::29', 'root', 'sshd-failed-password'],
];

// Lines that only resemble a failure.
const NOT_MATCHING: string[] = [
  `${P} sshd[101]: Accepted password for root from 203.0.113.7 port 40000 ssh2`,
  `${P} sshd[101]: Accepted publickey for deploy from 10.0.0.5 port 51234 ssh2: RSA SHA256:abc`,
  `${P} sshd[101]: reverse mapping checking getaddrinfo for host.example [203.0.113.7] failed - POSSIBLE BREAK-IN ATTEMPT!`,
  `${P} sshd[101]: Address 203.0.113.7 maps to host.example, but this does not map back to the address - POSSIBLE BREAK-IN ATTEMPT!`,
  `${P} sshd[101]: pam_unix(sshd:session): session opened for user deploy(uid=1000) by (uid=0)`,
  `${P} sshd[101]: pam_unix(sshd:session): session closed for user deploy`,
  `${P} sshd[101]: Received disconnect from 203.0.113.7 port 40000:11: Bye Bye [preauth]`,
  `${P} sshd[101]: Connection closed by 203.0.113.7 port 40000 [preauth]`,
  `${P} sshd[101]: Disconnected from user deploy 203.0.113.7 port 40000`,
  `${P} sshd[101]: input_userauth_request: invalid user admin [preauth]`,
  `${P} sshd[101]: error: PAM: Authentication failure for root from host.example.com`,
  `${P} sshd[101]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=host.example.com  user=root`,
  `${P} sshd[101]: pam_unix(sshd:auth): check pass; user unknown`,
  `${P} sudo[101]: Failed password for root from 203.0.113.7 port 40000 ssh2`,
  `${P} sudo: pam_unix(sudo:auth): authentication failure; logname=deploy uid=1000 euid=0 tty=/dev/pts/0 ruser=deploy rhost=  user=deploy`,
  `${P} sudo:   deploy : TTY=pts/0 ; PWD=/home/deploy ; USER=root ; COMMAND=/bin/ls`,
  `${P} sshd[101]: Failed password for root from 999.1.1.1 port 22 ssh2`,
  `${P} sshd[101]: Failed password for root from admin port 22 ssh2`,
  `${P} kernel: [UFW BLOCK] IN=eth0 SRC=203.0.113.7 DST=10.0.0.2 PROTO=TCP DPT=22`,
  `${P} dovecot: imap-login: Login: user=<bob>, method=PLAIN, rip=198.51.100.8, lip=10.0.0.5, mpid=1, TLS`,
  `${P} postfix/smtpd[101]: connect from unknown[203.0.113.99]`,
  '2024/11/19 10:00:01 [error] 812#812: *41 open() "/var/www/x" failed (2: No such file or directory), client: 198.51.100.61, server: example.com',
  '[Tue Nov 19 10:00:01 2024] [error] [client 198.51.100.72] File does not exist: /var/www/favicon.ico',
  '',
  '\u0000\u0000\u0000 Failed \uFFFD\uFFFD',
];

describe('matchLine', () => {
  test.each(MATCHING)('%s', (line, ip, user, kind) => {
    expect(matchLine(line, { referenceMs: REF })).toMatchObject({ ip, user, kind });
  });

  test.each(NOT_MATCHING.map((l) => [l]))('does not match %j', (line) => {
    expect(matchLine(line, { referenceMs: REF })).toBeNull();
  });

  test.each(MATCHERS.map((m) => [m.kind, m.example]))('%s matches its documented example', (kind, example) => {
    expect(matchLine(example)?.kind).toBe(kind);
  });

  test('counts "message repeated N times" N times', () => {
    expect(matchLine(`${P} sshd[1]: message repeated 7 times: [ Failed password for root from 203.0.113.8 port 1 ssh2]`)?.count).toBe(7);
  });

  test('the README table documents every matcher: key, description, example', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const m of MATCHERS) {
      expect(readme).toContain(`| \`${m.kind}\` | ${m.description} | \`${m.example.replaceAll('|', '\\|')}\` |`);
    }
  });

  test('every matcher has a kind unique among matchers', () => {
    expect(new Set(MATCHERS.map((m) => m.kind)).size).toBe(MATCHERS.length);
  });
});
