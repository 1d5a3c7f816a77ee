import { pattern, SSHD_PROGRAMS, type Matcher } from './matcher.js';

const matcher: Matcher = {
  kind: 'sshd-failed-keyboard-interactive',
  description: 'sshd rejected a keyboard-interactive (usually PAM) response',
  example: 'Failed keyboard-interactive/pam for invalid user oracle from 192.0.2.44 port 33012 ssh2',
  anchors: ['Failed '],
  programs: SSHD_PROGRAMS,
  patterns: [pattern(String.raw`Failed keyboard-interactive(?:/pam)? for (?:invalid user |illegal user )?(?<user>.*) from {IP}(?: port \d+)?(?: ssh[12])?(?: \[preauth\])?\s*$`)],
};
export default matcher;
