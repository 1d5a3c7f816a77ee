import { pattern, type Matcher } from './matcher.js';

const matcher: Matcher = {
  kind: 'dovecot-login-auth-failed',
  description: 'dovecot imap/pop3/submission/managesieve login ended after failed authentication, 1.x to 2.3 wordings ("Aborted login", "Disconnected", "Disconnected: Inactivity", "Login aborted", "proxy dest auth failed"); rip= is the remote address, lip= the local one',
  example: 'imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<bob>, method=PLAIN, rip=198.51.100.8, lip=10.0.0.5, TLS, session=<abc>',
  anchors: ['auth failed'],
  patterns: [pattern(String.raw`(?:-login: |^)(?:Info: )?.*\((?:auth failed, \d+ attempts?[^)]*|proxy dest auth failed)\)(?: \(\w+\))?: (?:user=<(?<user>[^>]*)>, )?(?:method=[\w-]+, )?rip={IP}(?:, .*)?\s*$`)],
};
export default matcher;
