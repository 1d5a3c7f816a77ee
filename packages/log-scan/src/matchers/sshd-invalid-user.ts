import { pattern, SSHD_PROGRAMS, type Matcher } from './matcher.js';

const matcher: Matcher = {
  kind: 'sshd-invalid-user',
  description: 'sshd: login attempt for a user that does not exist ("Illegal user" before OpenSSH 3.9-ish wording)',
  example: 'Invalid user ubnt from 203.0.113.50 port 41234',
  anchors: ['Invalid user ', 'Illegal user '],
  programs: SSHD_PROGRAMS,
  patterns: [pattern(String.raw`(?:^|: )(?:Invalid|Illegal) user (?<user>.*) from {IP}(?: port \d+)?\s*$`)],
};
export default matcher;
