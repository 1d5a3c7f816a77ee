import { readFileSync } from 'node:fs';
import { ExitCode } from '../errors/exit-codes.js';
import { OpsError } from '../errors/ops-error.js';

/**
 * The `version` field of a package.json, read synchronously: for a CLI's `--version`, as
 * `runCli(main, { version: () => readPackageVersion(new URL('../package.json', import.meta.url)) })`
 * (a function: the file is read only when `--version` is asked).
 * Throws `PACKAGE_VERSION_UNREADABLE` (exit code 3) when the file cannot be read or has no version.
 */
export function readPackageVersion(packageJson: URL | string): string {
  // No node:url (fileURLToPath) at start-up: readFileSync takes the URL, a message shows its path.
  const path = typeof packageJson === 'string' ? packageJson : decodeURIComponent(packageJson.pathname);
  let version: unknown;
  try {
    version = (JSON.parse(readFileSync(packageJson, 'utf8')) as { version?: unknown }).version;
  } catch (error) {
    throw unreadable(path, (error as Error).message, error);
  }
  if (typeof version !== 'string' || version === '') throw unreadable(path, 'it has no "version" string');
  return version;
}

function unreadable(path: string, why: string, cause?: unknown): OpsError {
  return new OpsError('PACKAGE_VERSION_UNREADABLE', `Could not read the version from ${path}: ${why}`, {
    cause, exitCode: ExitCode.ENVIRONMENT, context: { path }, hint: 'the installed package is damaged: reinstall it',
  });
}
