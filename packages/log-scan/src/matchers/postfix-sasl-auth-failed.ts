import { pattern, type Matcher } from './matcher.js';

const matcher: Matcher = {
  kind: 'postfix-sasl-auth-failed',
  description: 'postfix smtpd SASL authentication failure (client name[address], with or without :port, the reason possibly empty)',
  example: 'warning: unknown[203.0.113.99]: SASL LOGIN authentication failed: UGFzc3dvcmQ6',
  anchors: ['authentication failed'],
  programs: /^postfix(?:-[\w-]+)?\//,
  patterns: [
    pattern(String.raw`(?:^|: )warning: [^\s\[]*\[{IP}\](?::\d+)?: SASL [\w-]+ authentication failed(?::(?: (?:(?!, sasl_username=).)*)?)?(?:, sasl_username=(?<user>.*))?\s*$`),
  ],
};
export default matcher;
