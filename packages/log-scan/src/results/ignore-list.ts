import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { UsageError } from '@ops/core';

/** Tells whether an address (canonical text, as in results) is in one of the networks. */
export type IgnoreList = (ip: string) => boolean;

/**
 * The networks of `--ignore` / the `ignore` option (an allowlist: your own networks): CIDRs
 * (`10.0.0.0/8`, `2001:db8::/32`) or single addresses, IPv4 and IPv6, as an array or one
 * comma-separated string. A bad entry fails naming `name` and the entry. An IPv4 network also
 * covers its IPv4-mapped IPv6 form (results report those as IPv4 anyway).
 */
export function parseIgnoreList(networks: string | readonly string[], name = 'ignore'): IgnoreList {
  const list = new BlockList();
  const entries = (typeof networks === 'string' ? networks.split(',') : networks).map((n) => n.trim()).filter((n) => n !== '');
  for (const entry of entries) {
    const [address = '', prefix, extra] = entry.split('/');
    const type = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined;
    const max = type === 'ipv4' ? 32 : 128;
    const bits = prefix === undefined ? max : /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
    if (!type || extra !== undefined || !(bits >= 0 && bits <= max)) {
      throw new UsageError(`Expected \`${name}\` to be CIDR networks or addresses (10.0.0.0/8,2001:db8::/32), got "${entry}"`);
    }
    list.addSubnet(address, bits, type);
  }
  if (entries.length === 0) return () => false;
  return (ip) => {
    const bare = ip.includes('%') ? ip.slice(0, ip.indexOf('%')) : ip;
    return isIPv4(bare) ? list.check(bare, 'ipv4') : isIPv6(bare) && list.check(bare, 'ipv6');
  };
}
