import { sshdFailed, SSHD_PROGRAMS, type Matcher } from './matcher.js';

const matcher: Matcher = {
  kind: 'sshd-failed-keyboard-interactive',
  description: 'sshd rejected a keyboard-interactive (usually PAM) response',
  example: 'Failed keyboard-interactive/pam for invalid user oracle from 192.0.2.44 port 33012 ssh2',
  anchors: ['Failed '],
  programs: SSHD_PROGRAMS,
  patterns: [sshdFailed('keyboard-interactive(?:/pam)?')],
};
export default matcher;
