import { pattern, SSHD_PROGRAMS, type Matcher } from './matcher.js';

const matcher: Matcher = {
  kind: 'sshd-preauth-disconnect',
  description: 'suspicious, not a failure (counted only with `--suspicious`): an authenticating or invalid user closed or dropped the connection before authenticating, after no failure (OpenSSH 7.5+)',
  example: 'Connection closed by authenticating user root 203.0.113.7 port 40002 [preauth]',
  anchors: ['authenticating user ', 'invalid user '],
  programs: SSHD_PROGRAMS,
  class: 'suspicious',
  patterns: [pattern(String.raw`(?:^|: )(?:Connection closed by|Disconnected from|Connection reset by) (?:authenticating|invalid) user (?<user>.*) {IP} port \d+(?: \[preauth\])?\s*$`)],
};
export default matcher;
