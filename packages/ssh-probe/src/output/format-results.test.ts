import type { ProbeResult } from '../types.js';
import { formatCsv, formatJson, formatJsonLine, formatText } from './format-results.js';
import { summarize } from './tally.js';

const OK: ProbeResult = { host: 'web1', port: 22, user: 'ops', status: 'reachable', latencyMs: 41, banner: 'SSH-2.0-OpenSSH_9.2p1', hostKey: 'ssh-ed25519 SHA256:abc' };
const DOWN: ProbeResult = { host: 'db1', port: 2222, user: 'ops', status: 'unreachable', reason: 'timeout', stage: 'connect', latencyMs: 5000, banner: null, hostKey: null, error: 'no answer, "x", y' };
const REFUSED: ProbeResult = { ...DOWN, host: 'db2', reason: 'refused', error: 'refused' };

describe('output formats', () => {
  test('json: an array with the contract fields, in the given order', () => {
    const parsed = JSON.parse(formatJson([OK, DOWN])) as Array<Record<string, unknown>>;
    expect(parsed.map((r) => Object.keys(r))).toEqual([
      ['host', 'port', 'user', 'status', 'latencyMs', 'banner', 'hostKey'],
      ['host', 'port', 'user', 'status', 'reason', 'stage', 'latencyMs', 'banner', 'hostKey', 'error'],
    ]);
  });

  test('jsonl: one compact line per result', () => {
    expect(formatJsonLine(DOWN)).toBe(JSON.stringify(DOWN) + '\n');
    expect(formatJsonLine(OK).split('\n')).toHaveLength(2);
  });

  test('csv: header of every field, quoting as RFC 4180', () => {
    expect(formatCsv([OK, DOWN]).split('\n')).toEqual([
      'host,port,user,status,reason,stage,latencyMs,banner,hostKey,error',
      'web1,22,ops,reachable,,,41,SSH-2.0-OpenSSH_9.2p1,ssh-ed25519 SHA256:abc,',
      'db1,2222,ops,unreachable,timeout,connect,5000,,,"no answer, ""x"", y"',
      '',
    ]);
  });

  test('summary counts unreachable hosts by reason, timeouts by stage', () => {
    expect(summarize([OK, DOWN, REFUSED, DOWN])).toEqual({ reachable: 1, unreachable: 3, byReason: [['timeout (connect)', 2], ['refused', 1]] });
  });

  test('text: a table and the summary', () => {
    const text = formatText([OK, DOWN]);
    expect(text).toMatch(/^HOST\s+PORT\s+USER\s+STATUS/);
    expect(text).toContain('web1');
    expect(text).toContain('2 hosts: 1 reachable, 1 unreachable\nunreachable by reason:\n  timeout (connect): 1\n');
    expect(formatText([OK])).toContain('1 host: 1 reachable, 0 unreachable\n');
  });
});
