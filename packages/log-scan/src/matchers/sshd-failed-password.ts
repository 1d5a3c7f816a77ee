import { sshdFailed, SSHD_PROGRAMS, type Matcher } from './matcher.js';

const matcher: Matcher = {
  kind: 'sshd-failed-password',
  description: 'sshd rejected a password, for an existing or an invalid (older: illegal) user',
  example: 'Failed password for invalid user admin from 203.0.113.7 port 40000 ssh2',
  anchors: ['Failed '],
  programs: SSHD_PROGRAMS,
  patterns: [sshdFailed('password')],
};
export default matcher;
