import { pattern, type Matcher } from './matcher.js';

const matcher: Matcher = {
  kind: 'nginx-basic-auth',
  description: 'nginx auth_basic: user not found in the htpasswd file, or password mismatch (the user name as the client sent it, quotes included)',
  example: '2024/11/19 10:00:01 [error] 812#812: *41 user "admin": password mismatch, client: 198.51.100.61, server: example.com, request: "GET /admin HTTP/1.1", host: "example.com"',
  anchors: [' was not found in ', 'assword mismatch'],
  // The user is greedy: a name holding `": password mismatch, client: ADDR, server: ` is read
  // whole and the address is nginx's, the last one.
  patterns: [pattern(String.raw`\*\d+ user "(?<user>.*)"(?: was not found in ".*"|: password mismatch), client: {IP}, server: [^\s,]*(?:,|\s*$)`)],
};
export default matcher;
