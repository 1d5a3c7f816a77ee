import { sshdFailed, SSHD_PROGRAMS, type Matcher } from './matcher.js';

const matcher: Matcher = {
  kind: 'sshd-failed-hostbased',
  description: 'sshd rejected host-based authentication (the client host key or its user)',
  example: 'Failed hostbased for dan from 192.0.2.31 port 45785 ssh2: RSA SHA256:Qm9ndXM, client user "dan", client host "ws1.example.com"',
  anchors: ['Failed '],
  programs: SSHD_PROGRAMS,
  patterns: [sshdFailed('hostbased')],
};
export default matcher;
