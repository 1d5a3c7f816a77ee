import { pattern, type Matcher } from './matcher.js';
import { PAM_FAILURE_TAIL } from './pam-unix-auth-failure.js';

const matcher: Matcher = {
  kind: 'pam-auth-failure',
  description: 'another PAM module\'s authentication failure with an rhost address (pam_sss, pam_ldap, pam_winbind, ...), or the line without its module name (`vsftpd(pam_unix)[pid]: authentication failure; ...`)',
  example: 'pam_sss(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.51.100.12 user=alice',
  anchors: ['authentication failure;'],
  patterns: [pattern(String.raw`(?:^|: )(?:(?:pam_(?!unix\b)\w+(?:\([^)]*\))?:|\(pam_(?!unix\b)\w+\)) )?${PAM_FAILURE_TAIL}`)],
};
export default matcher;
