import { resolveProbeOptions } from './probe-options.js';
import { preferredHostKeyAlgorithms } from './session.js';

describe('resolveProbeOptions', () => {
  test('defaults', () => {
    const o = resolveProbeOptions({ agent: '' });
    expect(o).toMatchObject({ check: 'auth', timeoutMs: 10_000, command: 'true', port: 22, strictHostKey: 'accept-new', retries: 2, throttleRetries: 8, perHostConcurrency: 8, concurrency: 50 });
    expect(o.knownHosts).toMatch(/\.ssh\/known_hosts$/);
  });

  test.each([
    [{ check: 'ping' }, /`check`/],
    [{ strictHostKey: 'maybe' }, /`strictHostKey`/],
    [{ timeout: 'soon' }, /`timeout`/],
    [{ timeout: 0 }, /`timeout`/],
    [{ retries: -1 }, /`retries`/],
    [{ throttleRetries: 1.5 }, /`throttleRetries`/],
    [{ concurrency: 0 }, /`concurrency`/],
    [{ perHostConcurrency: 1.5 }, /`perHostConcurrency`/],
    [{ port: 0 }, /`port`/],
  ])('rejects %j naming the option', (options, message) => {
    expect(() => resolveProbeOptions(options as never)).toThrow(message);
  });

  test('a bare number of seconds is a timeout', () => {
    expect(resolveProbeOptions({ timeout: '3' }).timeoutMs).toBe(3000);
  });
});

describe('preferredHostKeyAlgorithms', () => {
  test.each([
    [[], undefined],
    [['ssh-rsa'], ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa', 'ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521']],
    [['ecdsa-sha2-nistp256'], ['ecdsa-sha2-nistp256', 'ssh-ed25519', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']],
  ])('%j first', (known, expected) => {
    expect(preferredHostKeyAlgorithms(known)).toEqual(expected);
  });
});
