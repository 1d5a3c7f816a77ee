import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ExitCode } from '@ops/core';
import { SshProbeError } from '../errors.js';
import { entryMatches, fingerprint, hashHostName, keyTypeOf, knownHostsName, parseKnownHosts, type KnownHostEntry } from './known-hosts-file.js';

/** How unknown and changed host keys are treated (OpenSSH `StrictHostKeyChecking`). */
export type StrictHostKey = 'yes' | 'accept-new' | 'no';

export type HostKeyVerdict =
  | { readonly ok: true; readonly recorded: boolean }
  | { readonly ok: false; readonly message: string };

/** A known_hosts file loaded once; new keys are appended one at a time. */
export interface KnownHostsStore {
  readonly path: string;
  /** Key types known for host:port, to prefer them in key exchange. */
  knownTypes(host: string, port: number): string[];
  /** Host keys this store appended to the file so far. */
  added(): number;
  /** Checks a server's key blob against the file under `policy`, recording a new key for `accept-new`. */
  verify(host: string, port: number, blob: Buffer, policy: StrictHostKey): Promise<HostKeyVerdict>;
}

/** The command that removes `name`'s old key: `-f FILE` unless FILE is ssh's default ~/.ssh/known_hosts. */
export function keygenRemoveHint(name: string, path: string): string {
  const custom = resolve(path) !== join(homedir(), '.ssh', 'known_hosts');
  return `ssh-keygen -R "${name}"${custom ? ` -f "${path}"` : ''}`;
}

/** Loads `path` (a missing file is empty; it is created when a key is recorded). */
export async function loadKnownHosts(path: string): Promise<KnownHostsStore> {
  let text = '';
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new SshProbeError('SSH_PROBE_KNOWN_HOSTS_INVALID', `cannot read known_hosts file ${path}: ${(error as Error).message}`, {
        cause: error, context: { path }, exitCode: ExitCode.USAGE, hint: 'check --known-hosts points at a readable file',
      });
    }
  }
  const entries: KnownHostEntry[] = parseKnownHosts(text);
  // a file whose names are all hashed (HashKnownHosts yes) gets hashed names from us too
  const hashNames = entries.length > 0 && entries.every((e) => e.hosts.startsWith('|1|'));
  let writes: Promise<void> = Promise.resolve();
  let added = 0;
  const matching = (name: string) => entries.filter((e) => e.marker !== '@cert-authority' && entryMatches(e.hosts, name));

  return {
    path,
    added: () => added,
    knownTypes(host, port) {
      return [...new Set(matching(knownHostsName(host, port)).filter((e) => !e.marker).map((e) => e.type))];
    },
    async verify(host, port, blob, policy) {
      if (policy === 'no') return { ok: true, recorded: false };
      const name = knownHostsName(host, port);
      const type = keyTypeOf(blob);
      const key = blob.toString('base64');
      const found = matching(name);
      if (found.some((e) => e.marker === '@revoked' && e.key === key)) {
        return { ok: false, message: `host key ${type} ${fingerprint(blob)} of ${name} is marked @revoked in ${path}` };
      }
      const sameType = found.filter((e) => !e.marker && e.type === type);
      if (sameType.some((e) => e.key === key)) return { ok: true, recorded: false };
      if (sameType.length > 0) {
        return { ok: false, message: `host key of ${name} changed: the server offers ${type} ${fingerprint(blob)}, ${path} has a different ${type} key (possible man-in-the-middle, or a reinstalled host: check, then remove the old line with ${keygenRemoveHint(name, path)})` };
      }
      if (policy === 'yes') return { ok: false, message: `host key ${type} ${fingerprint(blob)} of ${name} is not in ${path} (strict host key checking)` };
      const entry: KnownHostEntry = { marker: undefined, hosts: hashNames ? hashHostName(name) : name, type, key };
      entries.push(entry);
      const write = writes.then(async () => {
        await mkdir(dirname(path), { recursive: true, mode: 0o700 });
        await appendFile(path, `${entry.hosts} ${type} ${key}\n`, { mode: 0o600 });
      });
      writes = write.catch(() => undefined);
      try {
        await write;
        added++;
        return { ok: true, recorded: true };
      } catch {
        // an unwritable known_hosts must not make a healthy host unreachable
        return { ok: true, recorded: false };
      }
    },
  };
}
