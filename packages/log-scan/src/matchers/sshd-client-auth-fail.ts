import { pattern, SSHD_PROGRAMS, type Matcher } from './matcher.js';

const matcher: Matcher = {
  kind: 'sshd-client-auth-fail',
  description: 'the client gave up, saying why: "Received disconnect ... 3: ...: Auth fail" (reason 3, SSH2_DISCONNECT_AUTH_CANCELLED_BY_USER, as JSch and others send it)',
  example: 'error: Received disconnect from 198.51.100.40 port 7736:3: com.jcraft.jsch.JSchException: Auth fail [preauth]',
  anchors: ['Auth fail'],
  programs: SSHD_PROGRAMS,
  patterns: [pattern(String.raw`(?:^|: )Received disconnect from {IP}(?: port \d+)?: ?3: .*: Auth fail(?: \[preauth\])?\s*$`)],
};
export default matcher;
