import { pattern, type Matcher } from './matcher.js';

/**
 * `authentication failure; logname= uid= euid= tty= ruser= rhost=ADDR[ user=USER]`: the address is
 * the first `rhost=` that PAM ends the line with or follows with ` user=` (an `rhost=` inside the
 * client-supplied ruser, or inside the user name after it, is not read as the address).
 */
export const PAM_FAILURE_TAIL = String.raw`authentication failure; (?:.*? )?rhost={IP}(?:\s+user=(?<user>.*?))?\s*$`;

const matcher: Matcher = {
  kind: 'pam-unix-auth-failure',
  description: 'pam_unix authentication failure with a remote host (rhost) that is an address, from any service (sshd, vsftpd, dovecot, pure-ftpd, proftpd, ...), in every Linux-PAM wording: pam_unix(svc:auth), pam_unix(auth), pam_unix:, (pam_unix)',
  example: 'pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.7  user=root',
  anchors: ['authentication failure;'],
  patterns: [pattern(String.raw`(?:^|: )(?:pam_unix(?:\([^)]*\))?:|\(pam_unix\)) ${PAM_FAILURE_TAIL}`)],
};
export default matcher;
