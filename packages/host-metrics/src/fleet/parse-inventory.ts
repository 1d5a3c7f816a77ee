import { MetricsError } from '../errors.js';

/** Default agent port, the same as node_exporter's. */
export const DEFAULT_AGENT_PORT = 9100;

/**
 * Parses an inventory: one `host[:port]` a line (IPv6 as `[::1]:9100`), `#` starts a comment,
 * blank lines skipped; the port defaults to 9100. Returns `host:port` targets in order, without
 * duplicates. `source` names the file in error messages.
 */
export function parseInventory(text: string, source = 'inventory'): string[] {
  const targets = new Set<string>();
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9_.-]+)(?::(\d{1,5}))?$/.exec(line);
    const port = match?.[2] === undefined ? DEFAULT_AGENT_PORT : Number(match[2]);
    if (!match || port < 1 || port > 65_535) {
      throw new MetricsError('METRICS_INVENTORY_INVALID', `${source} line ${i + 1}: expected host[:port], got "${line}"`, {
        context: { source, line: i + 1 },
        hint: 'write one host or host:port a line (IPv6 as [addr]:port); # starts a comment',
      });
    }
    targets.add(`${match[1]}:${port}`);
  });
  if (targets.size === 0) {
    throw new MetricsError('METRICS_INVENTORY_INVALID', `${source} lists no hosts`, { context: { source }, hint: 'add one host[:port] a line' });
  }
  return [...targets];
}
