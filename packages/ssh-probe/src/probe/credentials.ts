import { createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ExitCode, UsageError, registerSecret } from '@ops/core';
import ssh2, { type AnyAuthMethod, type ParsedKey } from 'ssh2';
import { SshProbeError } from '../errors.js';

/** Keys, agent and password a probe may authenticate with; secrets are registered for redaction. */
export interface Credentials {
  readonly keys: readonly ParsedKey[];
  /** SSH agent socket path. */
  readonly agent: string | undefined;
  readonly password: string | undefined;
}

export interface CredentialOptions {
  /** Private key files; when empty, ~/.ssh/id_ed25519, id_ecdsa and id_rsa are tried if present. */
  readonly identityFiles?: readonly string[];
  readonly passphrase?: string;
  readonly agent?: string;
  readonly password?: string;
}

const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

/** Parses one private key file; `explicit` files that fail are errors, default ones are skipped. */
export async function loadKey(path: string, passphrase: string | undefined, explicit: boolean): Promise<ParsedKey | undefined> {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (error) {
    if (!explicit) return undefined;
    throw new UsageError(`cannot read identity file ${path}: ${(error as Error).message}`, { cause: error, hint: 'check the --identity path' });
  }
  const parsed = ssh2.utils.parseKey(data, passphrase);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (key instanceof Error || !key?.isPrivateKey()) {
    if (!explicit) return undefined;
    const encrypted = /encrypted|passphrase/i.test(key instanceof Error ? key.message : '');
    throw new SshProbeError('SSH_PROBE_IDENTITY_INVALID', `identity file ${path} cannot be used: ${key instanceof Error ? key.message : 'not a private key'}`, {
      context: { path },
      exitCode: ExitCode.ENVIRONMENT,
      hint: encrypted ? 'it is encrypted: put its passphrase in the env var named by --passphrase-env' : 'pass an OpenSSH or PEM private key',
    });
  }
  return withKeyObject(key);
}

/**
 * ssh2 keeps a parsed private key as PEM text and hands that text to `crypto.sign`, which decodes
 * the PEM and builds the key again for every signature (one per probe). The PEM is swapped for a
 * `KeyObject` built once, which `crypto.sign` takes as it is. Reaches into ssh2's key object: if
 * it has no such field, the key is left unchanged.
 */
function withKeyObject(key: ParsedKey): ParsedKey {
  const field = Object.getOwnPropertySymbols(key).find((s) => s.description === 'Private key PEM');
  const holder = key as unknown as Record<symbol, unknown>;
  if (field && typeof holder[field] === 'string') {
    try {
      holder[field] = createPrivateKey(holder[field]);
    } catch {
      // a PEM Node cannot read here is left for ssh2 to try, as before
    }
  }
  return key;
}

/** Loads every credential once (key parsing with bcrypt KDFs is slow: never per connection). */
export async function loadCredentials(options: CredentialOptions): Promise<Credentials> {
  registerSecret(options.password);
  registerSecret(options.passphrase);
  const explicit = (options.identityFiles?.length ?? 0) > 0;
  const paths = explicit ? options.identityFiles! : DEFAULT_KEYS.map((k) => join(homedir(), '.ssh', k));
  const keys = (await Promise.all(paths.map((p) => loadKey(p, options.passphrase, explicit)))).filter((k): k is ParsedKey => k !== undefined);
  return { keys, agent: options.agent || undefined, password: options.password };
}

/** True when there is anything to authenticate with. */
export function hasCredentials(c: Credentials): boolean {
  return c.keys.length > 0 || c.agent !== undefined || c.password !== undefined;
}

/** ssh2 auth methods in the order ssh tries them: agent, keys, password. */
export function authMethods(user: string, c: Credentials, extraKeys: readonly ParsedKey[] = []): AnyAuthMethod[] {
  const methods: AnyAuthMethod[] = [];
  if (c.agent) methods.push({ type: 'agent', username: user, agent: c.agent });
  for (const key of [...extraKeys, ...c.keys]) methods.push({ type: 'publickey', username: user, key });
  if (c.password !== undefined) methods.push({ type: 'password', username: user, password: c.password });
  return methods;
}
