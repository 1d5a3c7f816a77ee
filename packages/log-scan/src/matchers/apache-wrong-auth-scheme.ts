import { apachePatterns } from './apache-client.js';
import type { Matcher } from './matcher.js';

const matcher: Matcher = {
  kind: 'apache-wrong-auth-scheme',
  description: 'Apache httpd: the client answered a basic or digest challenge with another scheme (AH01614, digest\'s AH01781)',
  example: '[Tue Nov 19 10:00:01.123456 2024] [auth_basic:error] [pid 1234:tid 5678] [client 198.51.100.75:51517] AH01614: client used wrong authentication scheme: /private',
  anchors: ['wrong authentication scheme'],
  patterns: apachePatterns(String.raw`client used wrong authentication scheme(?: \x60[^']*')?(?:: .*)?$`),
};
export default matcher;
