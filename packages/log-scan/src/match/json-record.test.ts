import { Readable } from 'node:stream';
import { events } from '../events.js';
import { scan } from '../scan.js';
import { streamSource } from '../sources/stdin-source.js';
import { matchLine } from './match-line.js';

const SSHD = 'Failed password for invalid user admin from 203.0.113.7 port 40000 ssh2';
const AT = '2024-11-19T10:00:01.250Z';
const MS = Date.parse(AT);

// One record per shape, as each collector writes it (the fields they document).
const SHAPES: Array<[string, string, string]> = [
  ['journald JSON export (journalctl -o json)', JSON.stringify({ __REALTIME_TIMESTAMP: String(MS * 1000 + 123), _HOSTNAME: 'web1', SYSLOG_IDENTIFIER: 'sshd', _PID: '4242', PRIORITY: '6', MESSAGE: SSHD }), '203.0.113.7'],
  ['Filebeat / Elastic ECS', JSON.stringify({ '@timestamp': AT, message: SSHD, host: { name: 'web1' }, process: { name: 'sshd', pid: 4242 }, log: { file: { path: '/var/log/auth.log' } } }), '203.0.113.7'],
  ['Docker json-file', JSON.stringify({ log: `Nov 19 09:59:59 web1 sshd[4242]: ${SSHD}\n`, stream: 'stdout', time: '2024-11-19T10:00:01.250123456Z' }), '203.0.113.7'],
  ['Fluent Bit (date in epoch seconds, log)', JSON.stringify({ date: MS / 1000, log: `web1 sshd[4242]: ${SSHD}` }), '203.0.113.7'],
  ['Vector (message, timestamp, appname)', JSON.stringify({ timestamp: AT, hostname: 'web1', appname: 'sshd', procid: 4242, message: SSHD, source_type: 'syslog' }), '203.0.113.7'],
];

describe('JSON-wrapped records', () => {
  test.each(SHAPES)('%s: the inner message is matched, the time is the record\'s', (_shape, line, ip) => {
    expect(matchLine(line, { referenceMs: MS })).toEqual({ ip, user: 'admin', kind: 'sshd-failed-password', time: AT, count: 1 });
  });

  test('a whole syslog line inside the record keeps its program, pid and (without a record time) its own time', () => {
    const line = JSON.stringify({ message: `2024-11-19T10:00:05Z web1 postfix/smtpd[9]: warning: unknown[198.51.100.9]: SASL LOGIN authentication failed: UGFzc3dvcmQ6` });
    expect(matchLine(line)).toMatchObject({ ip: '198.51.100.9', kind: 'postfix-sasl-auth-failed', time: '2024-11-19T10:00:05.000Z' });
  });

  test('the program of the record is checked as a syslog tag is (sshd wording from another program does not count)', () => {
    expect(matchLine(JSON.stringify({ SYSLOG_IDENTIFIER: 'sudo', MESSAGE: SSHD }))).toBeNull();
  });

  test.each([['{"log": 3}'], ['{"MESSAGE": "Failed password for root from 203.0.113.7 port 1 ssh2" '], ['[1, 2]'], ['{"other":"Failed password for root from 203.0.113.7 port 1 ssh2"}']])('%s is not a record (and not a failure)', (line) => {
    expect(matchLine(line)).toBeNull();
  });

  test('records mixed with plain lines, read per line by scan() and events(): times from the records drive since/until, sessions by host and pid', async () => {
    const lines = [
      ...SHAPES.map(([, line]) => line),
      JSON.stringify({ __REALTIME_TIMESTAMP: String((MS + 1000) * 1000), _HOSTNAME: 'web1', SYSLOG_IDENTIFIER: 'sshd', _PID: '4242', MESSAGE: 'Disconnecting: Too many authentication failures [preauth]' }),
      JSON.stringify({ '@timestamp': '2024-11-18T10:00:00Z', message: SSHD.replace('203.0.113.7', '203.0.113.8'), process: { name: 'sshd' } }),
      `Nov 19 10:00:01 web1 sshd[1]: ${SSHD.replace('203.0.113.7', '203.0.113.9')}`,
    ];
    const source = () => streamSource(Readable.from([Buffer.from(lines.join('\n'))]), 'records');
    const found = [];
    for await (const e of events(source(), { since: '2024-11-19T00:00:00Z', referenceMs: Date.parse('2024-11-20T00:00:00Z') })) found.push([e.line, e.ip, e.kind, e.time]);
    expect(found).toEqual([
      ...SHAPES.map((_, i) => [i + 1, '203.0.113.7', 'sshd-failed-password', AT]),
      [6, '203.0.113.7', 'sshd-max-auth-attempts', new Date(MS + 1000).toISOString()],
      [8, '203.0.113.9', 'sshd-failed-password', new Date(2024, 10, 19, 10, 0, 1).toISOString()],
    ]);
    const result = await scan([source()], { since: '2024-11-19T00:00:00Z', referenceMs: Date.parse('2024-11-20T00:00:00Z') });
    expect(result.ips.map((r) => [r.ip, r.count, r.firstSeen])).toEqual([['203.0.113.7', 6, AT], ['203.0.113.9', 1, new Date(2024, 10, 19, 10, 0, 1).toISOString()]]);
  });
});
