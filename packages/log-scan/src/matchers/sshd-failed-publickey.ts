import { sshdFailed, SSHD_PROGRAMS, type Matcher } from './matcher.js';

const matcher: Matcher = {
  kind: 'sshd-failed-publickey',
  description: 'sshd rejected a public key (logged with LogLevel VERBOSE or when it was the last method)',
  example: 'Failed publickey for root from 198.51.100.23 port 52214 ssh2: RSA SHA256:Qm9ndXNLZXlGb3JUZXN0aW5nT25seQ',
  anchors: ['Failed '],
  programs: SSHD_PROGRAMS,
  patterns: [sshdFailed('publickey')],
};
export default matcher;
