import { pattern, type Matcher } from './matcher.js';

const matcher: Matcher = {
  kind: 'pam-unix-auth-failure',
  description: 'pam_unix(<any service>:auth) authentication failure with a remote host (rhost) that is an address',
  example: 'pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.7  user=root',
  anchors: ['authentication failure;'],
  patterns: [pattern(String.raw`pam_unix\([^:)]+:auth\): authentication failure;.*? rhost={IP}(?:\s+user=(?<user>.*?))?\s*$`)],
};
export default matcher;
