import { apachePatterns } from './apache-client.js';
import type { Matcher } from './matcher.js';

const matcher: Matcher = {
  kind: 'apache-auth-failure',
  description: 'Apache httpd basic authentication (mod_auth_basic with mod_authn_file, _dbm, _dbd, ...): user not found or password mismatch (2.2 and 2.4 error logs)',
  example: '[Tue Nov 19 10:00:01.123456 2024] [auth_basic:error] [pid 1234:tid 5678] [client 198.51.100.70:51515] AH01617: user bob: authentication failure for "/private": Password Mismatch',
  anchors: [' not found', 'authentication failure for '],
  patterns: apachePatterns(String.raw`user (?!\x60)(?<user>.*?)(?: not found(?:: .*)?|: authentication failure for ".*": [Pp]assword [Mm]ismatch.*)$`),
};
export default matcher;
