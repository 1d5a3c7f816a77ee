import { pattern, SSHD_PROGRAMS, type Matcher } from './matcher.js';

const matcher: Matcher = {
  kind: 'sshd-pam-auth-failure',
  description: 'sshd reports a PAM authentication failure (UsePAM with password authentication)',
  example: 'error: PAM: Authentication failure for root from 198.51.100.77',
  anchors: ['PAM: '],
  programs: SSHD_PROGRAMS,
  patterns: [
    pattern(String.raw`PAM: (?:[Aa]uthentication failure|User not known to the underlying authentication module|Authentication service cannot retrieve authentication info|Maximum number of tries exceeded) for (?:invalid user |illegal user )?(?<user>.*) from {IP}(?: port \d+)?(?: ssh2)?\s*$`),
  ],
};
export default matcher;
