import { describe, expect, test } from '@jest/globals';
import { checkConfigText } from '../check-config.js';
import { parseOverridePath } from './override-path.js';

const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('--set paths', () => {
  test.each([
    ['a.b.c', [['a', false], ['b', false], ['c', false]]],
    ['a[0].b', [['a', false], ['0', true], ['b', false]]],
    ['a[0][12]', [['a', false], ['0', true], ['12', true]]],
    ['labels["app.kubernetes.io/name"]', [['labels', false], ['app.kubernetes.io/name', false]]],
    ["a['it''s'].b", [['a', false], ["it's", false], ['b', false]]],
    ['"a b".c', [['a b', false], ['c', false]]],
    ['x\\.y.z', [['x.y', false], ['z', false]]],
    ['a.0', [['a', false], ['0', false]]],
  ])('%s', (path, expected) => {
    expect(parseOverridePath(path, `${path}=1`).map((s) => [s.key, s.index])).toEqual(expected);
  });

  test.each(['a..b', 'a.', 'a[x]', 'a[0', 'a["b]', '.a'])('%s is CONFIG_SET_INVALID', (path) => {
    expect(() => parseOverridePath(path, `${path}=1`)).toThrow(expect.objectContaining({ code: 'CONFIG_SET_INVALID' }) as never);
  });

  test('a[0].b sets inside the list; quoted keys keep their dots', () => {
    const check = checkConfigText('containers:\n  - image: old\n    name: web\nlabels: {}\n', { set: ['containers[0].image=new', 'labels["app.kubernetes.io/name"]=web', 'extra[0].x=1'] });
    expect(plain(check.documents[0])).toEqual({ containers: [{ image: 'new', name: 'web' }], labels: { 'app.kubernetes.io/name': 'web' }, extra: [{ x: 1 }] });
  });

  test('[0] on a mapping or past the end of a list is refused', () => {
    expect(() => checkConfigText('a: {b: 1}\n', { set: ['a[0]=1'] })).toThrow(/a is a mapping \(write the key without brackets\), cannot set \[0\]/);
    expect(() => checkConfigText('a: [1]\n', { set: ['a[3]=1'] })).toThrow(/a is a list of 1 items/);
  });
});

describe('--set replaces the expression it overrides', () => {
  test('an unset ${VAR} overridden by --set needs no variable', () => {
    const check = checkConfigText('db:\n  password: ${DB_PASSWORD}\n  host: ${DB_HOST:-localhost}\n', { env: {}, set: ['db.password=abc'] });
    expect(check.problems).toEqual([]);
    expect(plain(check.documents[0])).toEqual({ db: { password: 'abc', host: 'localhost' } });
  });

  test('a --set value is taken as written', () => {
    const check = checkConfigText('a: 1\n', { env: { X: 'filled' }, set: ['b=${X}'] });
    expect(plain(check.documents[0])).toEqual({ a: 1, b: '${X}' });
  });
});

describe('secrets from the environment', () => {
  const schema = { type: 'object', properties: { db: { type: 'object', properties: { pw: { type: 'string' }, port: { type: 'string' } } }, n: { type: 'string' } } };

  test.each([
    ['converted to a number', 'db:\n  pw: ${DB_PASSWORD}\n', { DB_PASSWORD: '0123' }, 'db.pw: must be a string, got an integer'],
    ['under a harmless key', 'n: ${API_TOKEN}\n', { API_TOKEN: '4711' }, 'n: must be a string, got an integer'],
    ['inside an alias copy', 'x: &x ${DB_PASSWORD}\nn: *x\n', { DB_PASSWORD: '4242' }, 'n: must be a string, got an integer'],
    ['that is a boolean', 'n: ${DB_PASSWORD}\n', { DB_PASSWORD: 'true' }, 'n: must be a string, got a boolean'],
  ])('a secret %s is not shown', (_name, text, env, expected) => {
    const check = checkConfigText(text, { schema, env, file: 's.yaml' });
    const messages = check.problems.map((p) => p.message);
    for (const value of Object.values(env)) for (const m of messages) expect(m).not.toContain(value === 'true' ? 'true' : String(Number(value)));
    expect(messages).toContain(expected);
  });
});

describe('anyOf / oneOf say why the closest form failed', () => {
  const schema = {
    type: 'object',
    properties: {
      port: { oneOf: [{ type: 'integer', minimum: 1, maximum: 65535 }, { type: 'string', pattern: '^[a-z]+$' }] },
      target: { anyOf: [{ type: 'object', required: ['host'], properties: { host: { type: 'string' } } }, { type: 'string' }] },
    },
  };
  test.each([
    ['port: 70000\n', 'port: must match one of the allowed forms, got the integer 70000; closest form (1 of 2): must be <= 65535, got the integer 70000'],
    ['port: HTTP\n', 'port: must match one of the allowed forms, got the string "HTTP"; closest form (2 of 2): must match the pattern ^[a-z]+$, got the string "HTTP"'],
    ['target: {hots: x}\n', 'target: must match one of the allowed forms, got a mapping; closest form (1 of 2): target.host: is required but missing from target'],
  ])('%p', (text, expected) => {
    expect(checkConfigText(text, { schema }).problems.map((p) => p.message)).toEqual([expected]);
  });
});
