import { lookup as systemLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import pLimit from 'p-limit';
import { raceSignal } from '../util/race-signal.js';

/** Resolves host names to addresses the way `ssh` does (the system resolver, `getaddrinfo`). */
export interface HostResolver {
  /** First address of `host` in the system resolver's order; throws an error with `code` on failure. */
  resolve(host: string, signal?: AbortSignal): Promise<string>;
}

/** A `getaddrinfo`-like lookup: the first address of a name, or an error with `code` (`ENOTFOUND`...). */
export type LookupFunction = (host: string) => Promise<string>;

export interface HostResolverOptions {
  /** Names whose answers are kept (oldest dropped first), so memory does not grow with the inventory. Defaults to 1024. */
  readonly cacheSize?: number;
  /** Most lookups in flight at once (each holds one of libuv's threads while it waits). Defaults to 4. */
  readonly concurrency?: number;
  /** The lookup. Defaults to `dns.lookup` (getaddrinfo: /etc/hosts, search domains, ndots, nsswitch order). */
  readonly lookup?: LookupFunction;
}

const DEFAULTS = { concurrency: 4, cacheSize: 1024, lookup: lookupFirst };

/** `dns.lookup` (the system's `getaddrinfo`), first address in the order it returns them. */
export function lookupFirst(host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    systemLookup(host, { all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return reject(error);
      if (!addresses[0]) return reject(Object.assign(new Error(`getaddrinfo ENODATA ${host}`), { code: 'ENODATA', hostname: host }));
      resolve(addresses[0].address);
    });
  });
}

/**
 * A resolver with the system resolver's semantics, as `ssh` resolves: `getaddrinfo` reads
 * nsswitch.conf (files, dns, mdns... in its order), /etc/hosts, and resolv.conf's `search` and
 * `ndots`, so `web1` finds `web1.lab.test`. Lookups are bounded (`concurrency`), answers (and
 * NXDOMAIN) cached for the run, and `.invalid` names fail at once (RFC 6761).
 */
export function createHostResolver(options: HostResolverOptions = {}): HostResolver {
  const o = { ...DEFAULTS, ...options };
  const limit = pLimit(o.concurrency);
  const cache = new Map<string, Promise<string>>();

  const query = (host: string): Promise<string> => {
    if (/(^|\.)invalid\.?$/i.test(host)) return Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND', hostname: host }));
    return limit(() => o.lookup(host));
  };

  return {
    resolve(host, signal) {
      const bare = host.replace(/^\[(.*)\]$/, '$1');
      if (isIP(bare)) return Promise.resolve(bare);
      let pending = cache.get(bare);
      if (!pending) {
        pending = query(bare);
        cache.set(bare, pending);
        if (cache.size > o.cacheSize) cache.delete(cache.keys().next().value!);
        // a temporary failure (EAI_AGAIN, a timeout) is asked again by the next target
        pending.catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOTFOUND' && error.code !== 'ENODATA') cache.delete(bare);
        });
      }
      return raceSignal(pending, signal);
    },
  };
}
