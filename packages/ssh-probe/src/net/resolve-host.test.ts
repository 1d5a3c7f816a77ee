import { createHostResolver } from './resolve-host.js';

describe('createHostResolver', () => {
  test.each([
    ['10.0.0.1', '10.0.0.1'],
    ['::1', '::1'],
    ['[2001:db8::1]', '2001:db8::1'],
  ])('%s -> %s without a lookup', async (host, address) => {
    const resolver = createHostResolver({ lookup: () => Promise.reject(new Error('no lookup expected')) });
    await expect(resolver.resolve(host)).resolves.toBe(address);
  });

  test('localhost through the system resolver (getaddrinfo reads /etc/hosts)', async () => {
    await expect(createHostResolver().resolve('localhost')).resolves.toMatch(/^(127\.0\.0\.1|::1)$/);
  });

  test.each(['nothing-here.invalid', 'a.b.INVALID', 'invalid'])('%s fails as ENOTFOUND without a lookup (RFC 6761)', async (host) => {
    const resolver = createHostResolver({ lookup: () => Promise.reject(new Error('no lookup expected')) });
    await expect(resolver.resolve(host)).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  test('one lookup per name; temporary failures are asked again, NXDOMAIN is not', async () => {
    const asked: string[] = [];
    const resolver = createHostResolver({
      lookup: (host) => {
        asked.push(host);
        const code = host === 'flaky' ? 'EAI_AGAIN' : host === 'gone' ? 'ENOTFOUND' : undefined;
        return code ? Promise.reject(Object.assign(new Error(code), { code })) : Promise.resolve('10.1.1.1');
      },
    });
    await Promise.all([resolver.resolve('web1'), resolver.resolve('web1')]);
    for (const host of ['flaky', 'flaky', 'gone', 'gone']) await resolver.resolve(host).catch(() => undefined);
    expect(asked).toEqual(['web1', 'flaky', 'flaky', 'gone']);
  });

  test('an abort ends the wait with the signal reason', async () => {
    const resolver = createHostResolver({ lookup: () => new Promise(() => undefined) });
    const controller = new AbortController();
    const pending = resolver.resolve('hangs', controller.signal);
    controller.abort(new Error('deadline'));
    await expect(pending).rejects.toThrow('deadline');
  });
});
