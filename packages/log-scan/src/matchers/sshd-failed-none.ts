import { sshdFailed, SSHD_PROGRAMS, type Matcher } from './matcher.js';

const matcher: Matcher = {
  kind: 'sshd-failed-none',
  description: 'sshd rejected the "none" method (a scanner probing for accounts without a password)',
  example: 'Failed none for invalid user test from 2001:db8::7 port 50412 ssh2',
  anchors: ['Failed '],
  programs: SSHD_PROGRAMS,
  patterns: [sshdFailed('none')],
};
export default matcher;
