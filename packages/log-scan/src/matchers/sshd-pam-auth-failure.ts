import { pattern, SSHD_PROGRAMS, type Matcher } from './matcher.js';

const matcher: Matcher = {
  kind: 'sshd-pam-auth-failure',
  description: 'sshd reports a PAM authentication failure or error (UsePAM; the macOS/BSD wording adds "via" the local address)',
  example: 'error: PAM: Authentication failure for root from 198.51.100.77',
  anchors: ['PAM: '],
  programs: SSHD_PROGRAMS,
  patterns: [
    pattern(String.raw`(?:^|: )PAM: (?:[Aa]uthentication (?:failure|error)|User not known to the underlying authentication module|Authentication service cannot retrieve authentication info|Maximum number of tries exceeded) for (?:invalid user |illegal user )?(?<user>.*) from {IP}(?: via \S+)?(?: port \d+)?(?: ssh2)?(?: \[preauth\])?\s*$`),
  ],
};
export default matcher;
