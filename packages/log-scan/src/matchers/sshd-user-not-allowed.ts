import { pattern, SSHD_PROGRAMS, type Matcher } from './matcher.js';

const matcher: Matcher = {
  kind: 'sshd-user-not-allowed',
  description: 'sshd refused a user by AllowUsers/DenyUsers/AllowGroups/DenyGroups, a locked account or a missing shell',
  example: 'User backup from 192.0.2.10 not allowed because not listed in AllowUsers',
  anchors: ['not allowed because'],
  programs: SSHD_PROGRAMS,
  patterns: [pattern(String.raw`User (?<user>.*) from {IP} not allowed because .+$`)],
};
export default matcher;
