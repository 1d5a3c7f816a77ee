import { redact, redactString, registerSecret, REDACTED, isSecretName } from './redact.js';
import { REDACTION_RULES } from './redaction-rules.js';

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

// Examples per rule of the table: [input, expected]. Every rule has some, and each rule's
// examples are checked through `redactString` (all rules), so rules cannot undo each other.
const EXAMPLES: Record<string, ReadonlyArray<readonly [string, string]>> = {
  'url-userinfo': [['https://alice:s3cr3t@registry.example/v2/', `https://alice:${REDACTED}@registry.example/v2/`]],
  'pem-private-key': [['-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----', `-----BEGIN PRIVATE KEY----- ${REDACTED}`]],
  'authorization-header': [
    ['Proxy-Authorization: Basic dXNlcjpwYXNz', `Proxy-Authorization: Basic ${REDACTED}`],
    ['{"authorization":"Bearer abc"}', `{"authorization":"Bearer ${REDACTED}"}`],
  ],
  'bearer-token': [['sent bearer eyJhbGciOi.x.y to the API', `sent bearer ${REDACTED} to the API`]],
  'credential-header': [
    ['X-Amz-Security-Token: IQoJb3JpZ2luX2Vj', `X-Amz-Security-Token: ${REDACTED}`],
    ['Cookie: session=abc; theme=dark', `Cookie: ${REDACTED}`],
    ['set-cookie: sid=1; HttpOnly', `set-cookie: ${REDACTED}`],
    ['{"x-functions-key":"k3y","accept":"*/*"}', `{"x-functions-key":"${REDACTED}","accept":"*/*"}`],
    ['PRIVATE-TOKEN: glpat-abcdef', `PRIVATE-TOKEN: ${REDACTED}`],
    ['Idempotency-Key: deploy-42', 'Idempotency-Key: deploy-42'],
    ['error: connection reset', 'error: connection reset'],
  ],
  'signed-url-query': [
    [
      'PUT https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20250101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Security-Token=IQoJb3J%2F%2Fx&X-Amz-Signature=0a1b2c3d failed',
      `PUT https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20250101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Security-Token=${REDACTED}&X-Amz-Signature=${REDACTED} failed`,
    ],
    ['https://acct.blob.core.windows.net/c/b?sv=2022-11-02&se=2025&sp=r&sig=AbC%2Bd%3D', `https://acct.blob.core.windows.net/c/b?sv=2022-11-02&se=2025&sp=r&sig=${REDACTED}`],
    ['https://storage.googleapis.com/b/o?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Signature=8f9e', `https://storage.googleapis.com/b/o?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Signature=${REDACTED}`],
    ['https://gitlab.example/api/v4/projects?private_token=glpat-xyz&page=2', `https://gitlab.example/api/v4/projects?private_token=${REDACTED}&page=2`],
    ['/config?signature_version=4', '/config?signature_version=4'],
  ],
  'oauth-callback-code': [
    ['GET https://app.example/oauth/callback?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz', `GET https://app.example/oauth/callback?code=${REDACTED}&state=xyz`],
    ['/login?state=af0ifjsldkj&code=4/P7q7W91', `/login?state=af0ifjsldkj&code=${REDACTED}`],
    ['https://api.example/countries?code=US', 'https://api.example/countries?code=US'],
  ],
  'secret-key-value': [
    ['client_secret=abc123&grant_type=client_credentials', `client_secret=${REDACTED}&grant_type=client_credentials`],
    ['{"api_key": "k-123"}', `{"api_key": "${REDACTED}"}`],
  ],
};

describe('REDACTION_RULES', () => {
  test('every rule has examples', () => {
    expect(REDACTION_RULES.map((r) => r.key).sort()).toEqual(Object.keys(EXAMPLES).sort());
  });

  test.each(Object.entries(EXAMPLES).flatMap(([key, cases]) => cases.map(([input, expected]) => [key, input, expected] as const)))('%s: %s', (_key, input, expected) => {
    expect(redactString(input)).toBe(expected);
  });

  test.each([['X-Api-Key', true], ['Ocp-Apim-Subscription-Key', true], ['x-amz-security-token', true], ['Set-Cookie', true], ['Proxy-Authorization', true], ['sig', true], ['Idempotency-Key', false], ['monkey', false], ['content-type', false]])(
    'isSecretName(%s) = %s (header names)', (name, expected) => expect(isSecretName(name)).toBe(expected));

  test('secret headers in a logged object and in an error toJSON', () => {
    expect(redact({ headers: { 'x-gitlab-token': 't', 'set-cookie': ['a=1'], 'idempotency-key': 'k1' } })).toEqual({ headers: { 'x-gitlab-token': REDACTED, 'set-cookie': REDACTED, 'idempotency-key': 'k1' } });
  });
});
