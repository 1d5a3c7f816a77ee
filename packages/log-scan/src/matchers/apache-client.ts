import { pattern } from './matcher.js';

// Apache httpd error log: `[time] [module:level] [pid N:tid M] [client ADDR:PORT] AHnnnnn: message`
// (2.4; the address may be in brackets when IPv6, `remote` when a proxy stands between) or
// `[time] [error] [client ADDR] [Digest: ]message` (2.2), bare or behind a syslog prefix.
// The client is the first bracket after the leading ones: a `[client ...]` inside the message
// (a path the client asked for) is not read as the address.
const HEAD = String.raw`^(?:\[[^\[\]]*\] )*`;
const CLIENT_24 = String.raw`\[(?:client|remote) (?:\[(?<ip6>[0-9A-Fa-f:.]+(?:%[\w.-]+)?)\]|(?<ip>[0-9A-Fa-f:.]+(?:%[\w.-]+)?)):\d+\] AH\d+: `;
const CLIENT_22 = String.raw`\[client {IP}\] (?:Digest: )?`;

/** The 2.4 and 2.2 patterns of an Apache error message (a regular-expression source). */
export function apachePatterns(message: string): RegExp[] {
  return [new RegExp(HEAD + CLIENT_24 + message), pattern(HEAD + CLIENT_22 + message)];
}
