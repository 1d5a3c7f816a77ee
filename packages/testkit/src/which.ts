import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ensureDebianPackages } from './debian-packages.js';

/** Full path of `command` in PATH or the sbin directories, or undefined. */
export function which(command: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/local/sbin', '/usr/bin', '/bin'];
  for (const dir of dirs) {
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Path of `command`, installing Debian `pkg` when it is missing (as root). */
export async function requireCommand(command: string, pkg: string): Promise<string> {
  const found = which(command);
  if (found) return found;
  await ensureDebianPackages([pkg]);
  const installed = which(command);
  if (!installed) throw new Error(`${command} not found after installing ${pkg}`);
  return installed;
}
