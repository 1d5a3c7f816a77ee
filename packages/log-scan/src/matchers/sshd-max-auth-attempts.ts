import { pattern, SSHD_PROGRAMS, type Matcher } from './matcher.js';

const matcher: Matcher = {
  kind: 'sshd-max-auth-attempts',
  description: 'sshd dropped a client after MaxAuthTries failures: the error, the "Too many authentication failures" disconnect, and (older versions) the same without an address, given the address of the session (host and pid) by an earlier line',
  example: 'error: maximum authentication attempts exceeded for root from 203.0.113.9 port 60022 ssh2 [preauth]',
  anchors: ['maximum authentication attempts', 'Too many authentication failures'],
  programs: SSHD_PROGRAMS,
  patterns: [
    pattern(String.raw`(?:^|: )maximum authentication attempts exceeded for (?:invalid user |illegal user )?(?<user>.*) from {IP}(?: port \d+)?(?: ssh2)?(?: \[preauth\])?\s*$`),
    pattern(String.raw`(?:^|: )Disconnecting (?:authenticating|invalid) user (?<user>.*) {IP} port \d+: Too many authentication failures(?: \[preauth\])?\s*$`),
  ],
  sessionPatterns: [
    /^Disconnecting: Too many authentication failures(?: for (?:invalid user |illegal user )?(?<user>.*?))?(?: \[preauth\])?\s*$/,
    /^(?:error: )?maximum authentication attempts exceeded for (?:invalid user |illegal user )?(?<user>.*?)(?: ssh2)?(?: \[preauth\])?\s*$/,
  ],
};
export default matcher;
