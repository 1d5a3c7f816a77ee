import { pattern, type Matcher } from './matcher.js';

const matcher: Matcher = {
  kind: 'vsftpd-fail-login',
  description: 'vsftpd failed login, in its own log (vsftpd.log) or through syslog',
  example: 'Tue Nov 19 10:00:01 2024 [pid 4242] [ftpuser] FAIL LOGIN: Client "::ffff:198.51.100.4"',
  anchors: ['FAIL LOGIN'],
  patterns: [pattern(String.raw`(?:^|\[pid \d+\] )(?:\[(?<user>.*)\] )?FAIL LOGIN: Client "{IP}"(?:, ".*")?\s*$`)],
};
export default matcher;
