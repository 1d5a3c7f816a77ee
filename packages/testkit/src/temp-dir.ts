import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onCleanup } from './cleanup.js';

/** A new temporary directory, removed when the test process exits (or by the returned remover). */
export function makeTempDir(prefix = 'ops-test-'): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  const remove = () => rmSync(path, { recursive: true, force: true });
  onCleanup(remove);
  return { path, remove };
}
