import { isIPv6 } from 'node:net';
import type { Target } from '../types.js';

/** Thrown by `parseTargetSpec`; callers add the line number. */
export class TargetSpecError extends Error {}

/** A port from text, or an error naming what is wrong. */
export function parsePort(text: string, what = 'port'): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 1 && port <= 65_535)) throw new TargetSpecError(`${what} must be 1-65535, got "${text}"`);
  return port;
}

/**
 * Reads `[user@]host[:port]`, `[user@][v6addr]:port`, `[v6addr]` or a bare IPv6 address
 * (`::1`, no port) into a target.
 */
export function parseTargetSpec(spec: string): Target {
  const text = spec.trim();
  if (!text || /\s/.test(text)) throw new TargetSpecError(`expected [user@]host[:port], got "${spec}"`);
  const at = text.lastIndexOf('@');
  const user = at >= 0 ? text.slice(0, at) : undefined;
  if (user === '') throw new TargetSpecError(`empty user in "${spec}"`);
  const rest = at >= 0 ? text.slice(at + 1) : text;
  let host: string;
  let port: number | undefined;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) throw new TargetSpecError(`missing "]" in "${spec}"`);
    host = rest.slice(1, close);
    const after = rest.slice(close + 1);
    if (after) {
      if (!after.startsWith(':')) throw new TargetSpecError(`expected ":port" after "]" in "${spec}"`);
      port = parsePort(after.slice(1));
    }
  } else if (isIPv6(rest)) {
    host = rest;
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon >= 0 && rest.indexOf(':') !== colon) throw new TargetSpecError(`an IPv6 address with a port must be in brackets: [addr]:port, got "${spec}"`);
    host = colon >= 0 ? rest.slice(0, colon) : rest;
    if (colon >= 0) port = parsePort(rest.slice(colon + 1));
  }
  if (!host) throw new TargetSpecError(`empty host in "${spec}"`);
  if (host.includes(':') && !isIPv6(host)) throw new TargetSpecError(`"${host}" is not a valid IPv6 address`);
  return { host, ...(port !== undefined ? { port } : {}), ...(user !== undefined ? { user } : {}) };
}

/** `user@host:port` for messages, with brackets around IPv6 addresses. */
export function formatTarget(host: string, port: number, user?: string): string {
  const h = host.includes(':') ? `[${host}]` : host;
  return `${user ? `${user}@` : ''}${h}:${port}`;
}
