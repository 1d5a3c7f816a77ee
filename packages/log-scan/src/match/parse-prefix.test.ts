import { normalizeIp } from './normalize-ip.js';
import { parsePrefix } from './parse-prefix.js';

describe('normalizeIp', () => {
  test.each([
    ['1.2.3.4', '1.2.3.4'], ['::ffff:1.2.3.4', '1.2.3.4'], ['::FFFF:102:304', '1.2.3.4'], ['[2001:db8::1]', '2001:db8::1'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'], ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'], ['fe80::1%eth0', 'fe80::1%eth0'], ['::1', '::1'],
    ['999.1.1.1', null], ['1.2.3', null], ['admin', null], ['1:2:3', null], ['fe80::1%', null],
  ])('%s -> %s', (input, expected) => expect(normalizeIp(input)).toBe(expected));
});

describe('parsePrefix', () => {
  const ref = new Date(2024, 0, 10, 12).getTime(); // 10 January 2024, local time
  test.each([
    ['Jan  9 10:00:01 h sshd[1]: msg', new Date(2024, 0, 9, 10, 0, 1).getTime(), 'sshd'],
    ['Dec 31 23:59:59 h sshd[1]: msg', new Date(2023, 11, 31, 23, 59, 59).getTime(), 'sshd'], // year before the reference
    ['2024-01-09T10:00:01Z h postfix/smtpd[1]: msg', Date.parse('2024-01-09T10:00:01Z'), 'postfix/smtpd'],
    ['<38>1 2024-01-09T10:00:01.5Z h sshd 1 - - msg', Date.parse('2024-01-09T10:00:01.5Z'), 'sshd'],
    ['Tue 2024-01-09 10:00:01 UTC h sshd[1]: msg', Date.parse('2024-01-09T10:00:01Z'), 'sshd'],
    ['1704794401 h sshd[1]: msg', 1704794401000, 'sshd'],
    ['[ 12.5] h sshd[1]: msg', undefined, 'sshd'],
  ])('%s', (line, timeMs, program) => {
    expect(parsePrefix(line, ref)).toEqual({ timeMs, program, message: 'msg' });
  });

  test('a line without prefix is all message', () => {
    expect(parsePrefix('Failed password', ref)).toEqual({ timeMs: undefined, program: undefined, message: 'Failed password' });
  });
});
