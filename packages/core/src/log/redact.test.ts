import { redact, redactString, registerSecret, REDACTED, isSecretName } from './redact.js';

describe('redactString', () => {
  test.each([
    ['https://alice:s3cr3t@registry.example/v2/', `https://alice:${REDACTED}@registry.example/v2/`],
    ['Authorization: Bearer abc.def.ghi', `Authorization: Bearer ${REDACTED}`],
    ['authorization=Basic dXNlcjpwYXNz', `authorization=Basic ${REDACTED}`],
    ['X-Registry-Auth: eyJ1c2VybmFtZSI6ImEifQ==', `X-Registry-Auth: ${REDACTED}`],
    ['login with password=hunter22 failed', `login with password=${REDACTED} failed`],
    ['{"password":"hunter22","user":"bob"}', `{"password":"${REDACTED}","user":"bob"}`],
    ['GET /x?token=abcdef&page=2', `GET /x?token=${REDACTED}&page=2`],
    ['-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----', `-----BEGIN PRIVATE KEY----- ${REDACTED}`],
    ['Failed password for root from 10.0.0.1 port 22 ssh2', 'Failed password for root from 10.0.0.1 port 22 ssh2'],
    ['plain text stays', 'plain text stays'],
    ['kafka://b:9092/auth: cannot reach the brokers', 'kafka://b:9092/auth: cannot reach the brokers'],
    ['s3://logs/token: not found', 's3://logs/token: not found'],
  ])('%s', (input, expected) => {
    expect(redactString(input)).toBe(expected);
  });

  test('registered secrets are removed wherever they appear', () => {
    registerSecret('correct-horse-battery');
    expect(redactString('stderr: bad creds correct-horse-battery!')).toBe(`stderr: bad creds ${REDACTED}!`);
  });

  test('short registered values are ignored', () => {
    registerSecret('ab');
    expect(redactString('cab')).toBe('cab');
  });
});

describe('redact', () => {
  test('secret-named fields at any depth', () => {
    const input = { host: 'h', auth: { username: 'u', password: 'p' }, headers: { Authorization: 'Bearer x', accept: '*/*' }, list: [{ token: 't' }] };
    expect(redact(input)).toEqual({ host: 'h', auth: REDACTED, headers: { Authorization: REDACTED, accept: '*/*' }, list: [{ token: REDACTED }] });
  });

  test('counts under secret-looking names stay', () => {
    expect(redact({ kinds: { 'failed-password': 3 } })).toEqual({ kinds: { 'failed-password': 3 } });
  });

  test('cycles, errors and buffers', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    const e = Object.assign(new Error('connect to https://u:pw@h failed'), { code: 'ECONNREFUSED' });
    expect(redact({ a, e, b: Buffer.from('xyz') })).toEqual({
      a: { name: 'a', self: '[Circular]' },
      e: { name: 'Error', message: `connect to https://u:${REDACTED}@h failed`, code: 'ECONNREFUSED' },
      b: '[Buffer 3 bytes]',
    });
  });

  test.each([['password', true], ['REGISTRY_PASSWORD', true], ['registryAuth', true], ['auth', true], ['author', false], ['user', false], ['passive', false]])(
    'isSecretName(%s) = %s', (name, expected) => expect(isSecretName(name)).toBe(expected));
});
