import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError, registerSecret } from '@ops/core';

let envDir: string | undefined;

/**
 * Parses `--secret id=ID,src=FILE` (also `source=`, and `env=VAR`, whose value goes to a private
 * temporary file removed on exit) as docker build does.
 */
export function parseSecretFlag(flag: string, env: NodeJS.ProcessEnv): { id: string; src: string } {
  const fields = Object.fromEntries(flag.split(',').map((kv) => {
    const eq = kv.indexOf('=');
    return eq < 0 ? [kv, ''] : [kv.slice(0, eq), kv.slice(eq + 1)];
  }));
  const id = fields.id;
  if (!id) throw new UsageError(`Expected \`--secret\` like id=NAME,src=FILE, got "${flag}"`);
  const src = fields.src ?? fields.source;
  if (src) return { id, src };
  const name = fields.env ?? id;
  const value = env[name];
  if (value === undefined) throw new UsageError(`\`--secret ${flag}\`: give src=FILE, or set the environment variable ${name}`);
  registerSecret(value);
  if (!envDir) {
    const dir = mkdtempSync(join(tmpdir(), 'image-builder-secrets-'));
    envDir = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  const file = join(envDir, id);
  writeFileSync(file, value, { mode: 0o600 });
  return { id, src: file };
}
