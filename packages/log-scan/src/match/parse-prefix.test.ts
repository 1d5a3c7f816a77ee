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
    ['Jan  9 10:00:01 h sshd[1]: msg', new Date(2024, 0, 9, 10, 0, 1).getTime(), 'sshd', 'h', 1],
    ['Dec 31 23:59:59 h sshd[1]: msg', new Date(2023, 11, 31, 23, 59, 59).getTime(), 'sshd', 'h', 1], // year before the reference
    ['2024-01-09T10:00:01Z h postfix/smtpd[1]: msg', Date.parse('2024-01-09T10:00:01Z'), 'postfix/smtpd', 'h', 1],
    ['<38>1 2024-01-09T10:00:01.5Z h sshd 1 - - msg', Date.parse('2024-01-09T10:00:01.5Z'), 'sshd', 'h', 1],
    ['Tue 2024-01-09 10:00:01 UTC h sshd[1]: msg', Date.parse('2024-01-09T10:00:01Z'), 'sshd', 'h', 1],
    ['1704794401 h sshd[1]: msg', 1704794401000, 'sshd', 'h', 1],
    ['[ 12.5] h sshd[1]: msg', undefined, 'sshd', 'h', 1],
    ['Jan  9 10:00:01 h sshd: msg', new Date(2024, 0, 9, 10, 0, 1).getTime(), 'sshd', 'h', undefined],
    ['Jan  9 10:00:01 sshd[42]: msg', new Date(2024, 0, 9, 10, 0, 1).getTime(), 'sshd', undefined, 42], // no host
    ['Jan  9 10:00:01 h sshd[1234567890]: msg', new Date(2024, 0, 9, 10, 0, 1).getTime(), 'sshd', 'h', undefined], // not a pid the module reads
  ])('%s', (line, timeMs, program, host, pid) => {
    expect(parsePrefix(line, ref)).toEqual({ timeMs, program, message: 'msg', host, pid });
  });

  test('a line without prefix is all message', () => {
    expect(parsePrefix('Failed password', ref)).toEqual({ timeMs: undefined, program: undefined, message: 'Failed password' });
  });
});
