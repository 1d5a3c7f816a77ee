import { apachePatterns } from './apache-client.js';
import type { Matcher } from './matcher.js';

const matcher: Matcher = {
  kind: 'apache-digest-auth-failure',
  description: 'Apache httpd digest authentication (mod_auth_digest, AH01775-AH01795): user not found in the realm, password mismatch, realm mismatch, invalid nonce, unknown algorithm, invalid qop',
  example: '[Tue Nov 19 10:00:01.123456 2024] [auth_digest:error] [pid 1234:tid 5678] [client 198.51.100.74:51516] AH01790: user `bob\' in realm `private\' not found: /digest/',
  anchors: ['in realm ', 'assword mismatch', 'realm mismatch', 'invalid nonce', 'unknown algorithm', 'invalid qop'],
  patterns: apachePatterns(String.raw`(?:user \x60(?<user>.*?)' in realm \x60.*' not found|user (?<user2>.*?): password mismatch|realm mismatch - got \x60|invalid nonce .* received - |unknown algorithm \x60.*' received|invalid qop \x60.*' received).*$`),
};
export default matcher;
