import { pattern, SSHD_PROGRAMS, type Matcher } from './matcher.js';

const matcher: Matcher = {
  kind: 'sshd-username-change',
  description: 'sshd dropped a client that changed user name or service between attempts (a user-name sprayer); the older wording names no address and takes the session\'s',
  example: 'Disconnecting invalid user admin 192.0.2.117 port 44004: Change of username or service not allowed: (admin,ssh-connection) -> (user,ssh-connection) [preauth]',
  anchors: ['Change of username or service'],
  programs: SSHD_PROGRAMS,
  patterns: [
    pattern(String.raw`(?:^|: )Disconnecting (?:authenticating |invalid )?user (?<user>\S*) {IP} port \d+: Change of username or service not allowed: .*$`),
  ],
  sessionPatterns: [/^Disconnecting: Change of username or service not allowed: \((?<user>[^,]*),.*$/],
};
export default matcher;
