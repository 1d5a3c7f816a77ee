import { pattern, type Matcher } from './matcher.js';

const OUTCOME = String.raw`(?:unknown user|[Pp]assword mismatch|pam_authenticate\(\) failed|invalid credentials)\b.*$`;

const matcher: Matcher = {
  kind: 'dovecot-auth-failure',
  description: 'dovecot auth process (auth, auth-worker): unknown user, password mismatch, PAM failure or invalid LDAP credentials for user,address (passdb pam, sql, ldap, passwd-file, ...; 1.x to 2.3)',
  example: 'auth: passwd-file(alice,203.0.113.15,<Kx8f2>): Password mismatch',
  anchors: ['unknown user', 'assword mismatch', 'pam_authenticate() failed', 'invalid credentials'],
  patterns: [
    // 2.x: auth[-worker(N)]: [Info: ][conn ...: auth-worker<N>: ]passdb(user,ADDR[,<session>]): outcome
    pattern(String.raw`(?:^|: )(?:Info: )?(?:[\w-]+\((?<user>[^()]*?),{IP}(?:,[^)]*)?\)): (?:Info: )?${OUTCOME}`),
    // 2.3+: auth(user,ADDR,mech)<session>: Info: passdb: outcome
    pattern(String.raw`(?:^|[: ])auth(?:-worker)?\((?<user>[^()]*?),{IP}(?:,[^)]*)?\)(?:<[^>]*>)?: (?:Info: )?[\w-]+(?:\([^)]*\))?: ${OUTCOME}`),
  ],
};
export default matcher;
