import { pattern, type Matcher } from './matcher.js';

const matcher: Matcher = {
  kind: 'apache-auth-failure',
  description: 'Apache httpd basic/digest authentication: user not found or password mismatch (2.2 and 2.4 error logs)',
  example: '[Tue Nov 19 10:00:01.123456 2024] [auth_basic:error] [pid 1234:tid 5678] [client 198.51.100.70:51515] AH01617: user bob: authentication failure for "/private": Password Mismatch',
  anchors: [' not found: ', 'authentication failure for "'],
  patterns: [
    // 2.4: the client is address:port and an AH code follows.
    pattern(String.raw`\[client (?<ip>[^\]\s]+):\d+\] AH\d+: user [\x60]?(?<user>.*?)'?(?: in realm [\x60].*')?(?: not found: .*|: authentication failure for ".*": [Pp]assword [Mm]ismatch.*)$`),
    // 2.2: the client is the bare address.
    pattern(String.raw`\[client {IP}\] user (?<user>.*?)(?: not found: .*|: authentication failure for ".*": [Pp]assword [Mm]ismatch.*)$`),
  ],
};
export default matcher;
