import { sshdFailed, SSHD_PROGRAMS, type Matcher } from './matcher.js';

const matcher: Matcher = {
  kind: 'sshd-failed-other-method',
  description: 'sshd rejected another method: "unknown" (an unknown or disabled one), gssapi-with-mic, and SSH-1\'s rsa, rhosts-rsa, tis, challenge-response',
  example: 'Failed unknown for invalid user oracle from 192.0.2.32 port 51234 ssh2',
  anchors: ['Failed '],
  programs: SSHD_PROGRAMS,
  patterns: [sshdFailed(String.raw`(?!(?:password|publickey|keyboard-interactive|none|hostbased)[ /])[\w@.-]+(?:/[\w@.-]+)?`)],
};
export default matcher;
