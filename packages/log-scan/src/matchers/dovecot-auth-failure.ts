import { pattern, type Matcher } from './matcher.js';

const matcher: Matcher = {
  kind: 'dovecot-auth-failure',
  description: 'dovecot auth process: unknown user, password mismatch or PAM failure for user,address',
  example: 'auth: passwd-file(alice,203.0.113.15,<Kx8f2>): Password mismatch',
  anchors: ['unknown user', 'assword mismatch', 'pam_authenticate() failed'],
  patterns: [
    pattern(String.raw`auth(?:-worker\(\d+\))?: (?:Info: )?[\w-]+\((?<user>.*),{IP}(?:,<[^>]*>)?\): (?:unknown user|[Pp]assword mismatch|pam_authenticate\(\) failed: .*)(?: \(.*\))?\s*$`),
  ],
};
export default matcher;
