import { serverName } from './plain-request.js';

describe('serverName', () => {
  test.each([
    ['https://registry.example.com/v2/', true, 'registry.example.com'],
    ['https://registry.example.com:5000/v2/', true, 'registry.example.com'],
    ['https://10.0.0.7:5000/v2/', true, ''],
    ['https://[::1]:5000/v2/', true, ''],
    ['http://registry.example.com/v2/', false, ''],
    ['http://127.0.0.1:5000/v2/', false, ''],
  ])('%s (TLS %s) -> %j, as node:http would derive it', (url, tls, expected) => {
    expect(serverName(new URL(url), tls)).toBe(expected);
  });
});
