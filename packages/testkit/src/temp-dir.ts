import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onCleanup } from './cleanup.js';

/**
 * A new temporary directory under TMPDIR, removed by the returned remover, or else at the end of
 * the test file (under jest) or when the process exits.
 */
export function makeTempDir(prefix = 'ops-test-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  const remove = () => {
    unregister();
    rmSync(path, { recursive: true, force: true, maxRetries: 3 });
  };
  const unregister = onCleanup(remove);
  return { path, remove };
}
