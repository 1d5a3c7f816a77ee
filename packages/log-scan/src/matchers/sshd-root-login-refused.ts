import { pattern, SSHD_PROGRAMS, type Matcher } from './matcher.js';

const matcher: Matcher = {
  kind: 'sshd-root-login-refused',
  description: 'sshd (old versions, PermitRootLogin no) refused a root login',
  example: 'ROOT LOGIN REFUSED FROM 192.0.2.200',
  anchors: ['ROOT LOGIN REFUSED'],
  programs: SSHD_PROGRAMS,
  user: 'root',
  patterns: [pattern(String.raw`(?:^|: |\] )ROOT LOGIN REFUSED FROM {IP}(?: port \d+)?(?: \[preauth\])?\s*$`)],
};
export default matcher;
