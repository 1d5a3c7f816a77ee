import { pattern, type Matcher } from './matcher.js';

const matcher: Matcher = {
  kind: 'dovecot-plaintext-auth-refused',
  description: 'dovecot refused a plaintext login before TLS (disable_plaintext_auth): a client sending passwords in clear, as password sprayers do',
  example: 'pop3-login: Aborted login (tried to use disallowed plaintext auth): user=<ann>, rip=192.0.2.21, lip=10.0.0.5, session=<Lg>',
  anchors: ['plaintext auth)'],
  patterns: [pattern(String.raw`(?:-login: |^)(?:Info: )?.*\(tried to use (?:disabled|disallowed) plaintext auth\): (?:user=<(?<user>[^>]*)>, )?(?:method=[\w-]+, )?rip={IP}(?:, .*)?\s*$`)],
};
export default matcher;
