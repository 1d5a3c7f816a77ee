import { createChunkScanner } from './chunk-scanner.js';

const LOG = [
  'Nov 19 10:00:01 web1 sshd[1]: Accepted password for root from 10.0.0.1 port 1 ssh2',
  'Nov 19 10:00:02 web1 sshd[1]: Failed password for root from 203.0.113.1 port 1 ssh2',
  'Nov 19 10:00:03 web1 sshd[1]: Invalid user bob from 203.0.113.2 port 2\r',
  'garbage \u0000\u0001\u00ff Failed \u0000',
  'Nov 19 10:00:04 web1 sshd[1]: Failed password for ütf from 203.0.113.3 port 3 ssh2',
  '',
  'Failed password for root from 2001:db8::4 port 4 ssh2',
].join('\n');

function run(chunks: Buffer[], maxLineBytes = 1 << 16, simd = true) {
  const found: Array<{ line: number; ip: string; user: string | null }> = [];
  const scanner = createChunkScanner({ source: 's', onMatch: (m, line) => found.push({ line, ip: m.ip, user: m.user }), maxLineBytes, simd, referenceMs: Date.parse('2024-12-01T00:00:00Z') });
  for (const c of chunks) scanner.push(c);
  scanner.end();
  return { found: found.map((e) => `${e.line} ${e.ip} ${e.user}`), stats: scanner.stats };
}

describe('createChunkScanner', () => {
  const whole = run([Buffer.from(LOG)]);

  test('finds every failure with its line number', () => {
    expect(whole.found).toEqual(['2 203.0.113.1 root', '3 203.0.113.2 bob', '5 203.0.113.3 ütf', '7 2001:db8::4 root']);
    expect(whole.stats).toEqual({ bytes: Buffer.byteLength(LOG), lines: 7, skippedLines: 0 });
  });

  test('gives the same result whatever the chunk boundaries', () => {
    const bytes = Buffer.from(LOG);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(run([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(whole);
    }
    const single = [...bytes].map((b) => Buffer.from([b]));
    expect(run(single)).toEqual(whole);
  });

  test('skips an over-long line without buffering it and keeps counting after it', () => {
    const long = Buffer.alloc(1 << 20, 'x');
    const tail = Buffer.from('\nFailed password for root from 203.0.113.9 port 1 ssh2\n');
    const chunks = [Buffer.from('Failed password for a from 203.0.113.8 port 1 ssh2\n'), long, long, long, tail];
    const r = run(chunks, 4096);
    expect(r.found).toEqual(['1 203.0.113.8 a', '3 203.0.113.9 root']);
    expect(r.stats.skippedLines).toBe(1);
    expect(r.stats.lines).toBe(3);
  });

  test('the WebAssembly SIMD pass and the regular-expression pass agree', () => {
    const bytes = Buffer.from(LOG.repeat(50));
    for (const cut of [1, 17, 100, 1000, 4095]) {
      expect(run([bytes.subarray(0, cut), bytes.subarray(cut)], 1 << 16, true)).toEqual(run([bytes.subarray(0, cut), bytes.subarray(cut)], 1 << 16, false));
    }
  });

  test('an empty input has no line', () => {
    expect(run([])).toEqual({ found: [], stats: { bytes: 0, lines: 0, skippedLines: 0 } });
  });
});
