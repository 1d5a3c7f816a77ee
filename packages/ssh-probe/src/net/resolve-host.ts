import { promises as dns } from 'node:dns';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import pLimit from 'p-limit';

/** Resolves host names to addresses without queueing behind libuv's four threads. */
export interface HostResolver {
  /** First address of `host` (IPv4 preferred); throws an error with `code` on failure. */
  resolve(host: string, signal?: AbortSignal): Promise<string>;
}

export interface HostResolverOptions {
  /** Timeout of one DNS query. Defaults to 5s. */
  readonly timeoutMs?: number;
  /** Most `getaddrinfo` fallbacks at once (names c-ares cannot answer, e.g. mDNS). Defaults to 4. */
  readonly fallbackConcurrency?: number;
  /** Hosts file read first. Defaults to /etc/hosts. */
  readonly hostsFile?: string;
}

const DEFAULTS = { timeoutMs: 5000, fallbackConcurrency: 4, hostsFile: '/etc/hosts' };
const NEGATIVE = new Set(['ENOTFOUND', 'ENODATA', 'ENONAME', 'NXDOMAIN']);

function readHosts(path: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return map;
  }
  for (const raw of text.split('\n')) {
    const [address, ...names] = raw.replace(/#.*/, '').trim().split(/\s+/);
    if (!address || !isIP(address)) continue;
    for (const name of names) map.set(name.toLowerCase(), [...(map.get(name.toLowerCase()) ?? []), address]);
  }
  return map;
}

/**
 * A resolver that reads /etc/hosts, then asks DNS with c-ares (`dns.Resolver`: sockets, not the
 * libuv thread pool, so thousands of names resolve at once), and only when DNS has no answer and
 * no negative answer either falls back to `getaddrinfo` with bounded concurrency.
 */
export function createHostResolver(options: HostResolverOptions = {}): HostResolver {
  const o = { ...DEFAULTS, ...options };
  const resolver = new dns.Resolver({ timeout: o.timeoutMs, tries: 2 });
  const limit = pLimit(o.fallbackConcurrency);
  let hosts: Map<string, string[]> | undefined;
  const cache = new Map<string, Promise<string>>();

  const query = async (host: string): Promise<string> => {
    // RFC 6761: `.invalid` never resolves, so answer NXDOMAIN without asking anyone.
    if (/(^|\.)invalid\.?$/i.test(host)) throw Object.assign(new Error(`queryA ENOTFOUND ${host}`), { code: 'ENOTFOUND', hostname: host });
    hosts ??= readHosts(o.hostsFile);
    const fromFile = hosts.get(host.toLowerCase());
    if (fromFile?.length) return fromFile.find((a) => isIP(a) === 4) ?? fromFile[0]!;
    const errors: NodeJS.ErrnoException[] = [];
    for (const family of [4, 6] as const) {
      try {
        const addresses = family === 4 ? await resolver.resolve4(host) : await resolver.resolve6(host);
        if (addresses[0]) return addresses[0];
      } catch (error) {
        errors.push(error as NodeJS.ErrnoException);
      }
    }
    if (errors.length === 2 && errors.every((e) => NEGATIVE.has(String(e.code)))) throw errors[0]!;
    // no DNS server answered: let the system resolver (nsswitch) try, a few at a time
    const { address } = await limit(() => dns.lookup(host));
    return address;
  };

  return {
    async resolve(host, signal) {
      const bare = host.replace(/^\[(.*)\]$/, '$1');
      if (isIP(bare)) return bare;
      let pending = cache.get(bare);
      if (!pending) {
        pending = query(bare);
        cache.set(bare, pending);
        pending.catch(() => cache.delete(bare));
      }
      if (!signal) return pending;
      return Promise.race([pending, new Promise<never>((_, reject) => {
        if (signal.aborted) reject(signal.reason);
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      })]);
    },
  };
}
