import { inventoryError } from '../errors.js';
import type { Target } from '../types.js';
import { parseTargetSpec, TargetSpecError } from './parse-target.js';

/** One target per line (`[user@]host[:port]`, `[user@][v6]:port`); `#` comments and blank lines skipped. */
export function parseLines(text: string, source = 'inventory'): Target[] {
  const targets: Target[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) return;
    try {
      targets.push(parseTargetSpec(line));
    } catch (error) {
      if (!(error instanceof TargetSpecError)) throw error;
      throw inventoryError(`${source} line ${index + 1}: ${error.message}`, { source, line: index + 1 });
    }
  });
  return targets;
}
