import { pattern, type Matcher } from './matcher.js';

const matcher: Matcher = {
  kind: 'dovecot-login-auth-failed',
  description: 'dovecot imap/pop3/submission login ended after failed authentication (rip= is the remote address, lip= the local one)',
  example: 'imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<bob>, method=PLAIN, rip=198.51.100.8, lip=10.0.0.5, TLS, session=<abc>',
  anchors: ['auth failed'],
  patterns: [pattern(String.raw`-login: .*\(auth failed, \d+ attempts?[^)]*\).*?: user=<(?<user>.*)>, (?:method=[\w-]+, )?rip={IP}, lip=[0-9A-Fa-f:.]+(?:, .*)?\s*$`)],
};
export default matcher;
