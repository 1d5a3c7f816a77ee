import { expect, test } from '@jest/globals';
import { negativeNumbersAsValues, parseListen } from './serve.js';

test.each([
  [undefined, undefined, { host: '0.0.0.0', port: 9100 }],
  ['127.0.0.1', undefined, { host: '127.0.0.1', port: 9100 }],
  ['127.0.0.1:9200', undefined, { host: '127.0.0.1', port: 9200 }],
  ['127.0.0.1:9200', '9300', { host: '127.0.0.1', port: 9300 }],
  ['localhost', '0', { host: 'localhost', port: 0 }],
  ['::1', undefined, { host: '::1', port: 9100 }],
  ['[::1]:9101', undefined, { host: '::1', port: 9101 }],
  ['[::]', undefined, { host: '::', port: 9100 }],
])('--listen %s --port %s', (listen, port, expected) => {
  expect(parseListen(listen, port)).toEqual(expected);
});

test.each([
  ['a b', undefined, /--listen/],
  [undefined, 'abc', /--port/],
  [undefined, '-1', /Expected `--port` to be a number from 0 to 65535, got "-1"/],
  [undefined, '70000', /0 to 65535/],
  ['host:99999', undefined, /0 to 65535/],
])('rejects --listen %s --port %s', (listen, port, message) => {
  expect(() => parseListen(listen, port)).toThrow(message);
});

test.each([
  [['--port', '-1'], ['--port=-1']],
  [['--port', '9100', '--disk'], ['--port', '9100', '--disk']],
  [['--listen', '-1', '--port'], ['--listen', '-1', '--port']],
])('negativeNumbersAsValues(%j)', (argv, expected) => {
  expect(negativeNumbersAsValues(argv, ['--port'])).toEqual(expected);
});
