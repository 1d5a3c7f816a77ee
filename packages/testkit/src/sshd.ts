import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.js';
import { startServiceProcess } from './service-process.js';
import { makeTempDir } from './temp-dir.js';
import { canConnect, waitFor } from './wait-for.js';
import { requireCommand } from './which.js';
import type { Netns } from './netns.js';

const run = promisify(execFile);

export interface SshdOptions {
  /** Login user the generated key is authorized for. Defaults to the current user (root in CI). */
  readonly user?: string;
  /**
   * Enables PasswordAuthentication for a throwaway local user (`opsprobe-<hash of the password>`,
   * created with useradd when missing, reused after) whose password is this value; `user` then
   * defaults to that user.
   * Defaults to none: password authentication off.
   */
  readonly password?: string;
  /** sshd `MaxStartups`. Defaults to OpenSSH's `10:30:100`. */
  readonly maxStartups?: string;
  /** sshd `AllowUsers`. Defaults to none (everyone). */
  readonly allowUsers?: readonly string[];
  /** sshd `PermitRootLogin`. Defaults to `prohibit-password`. */
  readonly permitRootLogin?: string;
  /** Also listen on ::1. Defaults to false. */
  readonly ipv6?: boolean;
  /** Also generate an ed25519 user key encrypted with this passphrase (`encryptedKeyPath`). Defaults to none. */
  readonly passphrase?: string;
  /** Extra sshd_config lines. Defaults to none. */
  readonly extraConfig?: readonly string[];
  /** Run sshd inside this network namespace (on its loopback). Defaults to none: the test's own. */
  readonly netns?: Pick<Netns, 'exec'>;
}

export interface Sshd {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  /** Unencrypted ed25519 private key authorized for `user`. */
  readonly userKeyPath: string;
  readonly userPublicKey: string;
  /** Encrypted private key (with `passphrase`), when asked for. */
  readonly encryptedKeyPath: string | undefined;
  /** Host public keys as `type base64`, ed25519 first. */
  readonly hostKeys: readonly string[];
  /** Temp dir holding config, keys and authorized_keys. */
  readonly dir: string;
  /** known_hosts lines for this server, `[host]:port type key` (or `host` when port is 22). */
  knownHostsLine(host?: string): string;
  /** sshd's stderr so far (for debugging a failing test). */
  output(): string;
  stop(): Promise<void>;
}

/** The throwaway local user for a password: one per distinct password, so parallel tests do not overwrite each other's. */
export function passwordUser(password: string): string {
  return `opsprobe-${createHash('sha256').update(password).digest('hex').slice(0, 8)}`;
}

async function keygen(type: 'ed25519' | 'rsa', path: string, passphrase = ''): Promise<void> {
  await run('ssh-keygen', ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '2048'] : []), '-N', passphrase, '-C', 'ops-testkit', '-f', path]);
}

/** Creates (or reuses) the throwaway password user and sets its password. */
async function ensurePasswordUser(password: string): Promise<string> {
  const PASSWORD_USER = passwordUser(password);
  try {
    await run('id', [PASSWORD_USER]);
  } catch {
    try {
      await run('useradd', ['-M', '-d', '/', '-s', '/bin/sh', PASSWORD_USER]);
    } catch (error) {
      // another test worker may have created it meanwhile
      await run('id', [PASSWORD_USER]).catch(() => Promise.reject(error));
    }
  }
  const child = execFile('chpasswd');
  const done = new Promise<void>((resolve, reject) => child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`chpasswd exited ${code}`)))));
  child.stdin?.end(`${PASSWORD_USER}:${password}\n`);
  await done;
  return PASSWORD_USER;
}

/**
 * Starts OpenSSH `sshd -D -e` on 127.0.0.1 (and ::1) on a free port, as root, with generated host
 * keys (ed25519, rsa), a generated user key authorized through an AuthorizedKeysFile in a temp dir,
 * and the given MaxStartups / password / AllowUsers settings. Installs openssh-server if missing.
 */
export async function startSshd(options: SshdOptions = {}): Promise<Sshd> {
  const sshdPath = await requireCommand('sshd', 'openssh-server');
  await requireCommand('ssh-keygen', 'openssh-client');
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const passwordLogin = options.password !== undefined ? await ensurePasswordUser(options.password) : undefined;
  const user = options.user ?? passwordLogin ?? userInfo().username;
  const tmp = makeTempDir('ops-sshd-');
  const dir = tmp.path;
  chmodSync(dir, 0o755);
  const hostKeyPaths = [join(dir, 'ssh_host_ed25519_key'), join(dir, 'ssh_host_rsa_key')];
  const userKeyPath = join(dir, 'id_ed25519');
  const encryptedKeyPath = options.passphrase !== undefined ? join(dir, 'id_ed25519_enc') : undefined;
  await Promise.all([
    keygen('ed25519', hostKeyPaths[0]!),
    keygen('rsa', hostKeyPaths[1]!),
    keygen('ed25519', userKeyPath),
    ...(encryptedKeyPath ? [keygen('ed25519', encryptedKeyPath, options.passphrase)] : []),
  ]);
  const userPublicKey = readFileSync(`${userKeyPath}.pub`, 'utf8').trim();
  const authorized = [userPublicKey, ...(encryptedKeyPath ? [readFileSync(`${encryptedKeyPath}.pub`, 'utf8').trim()] : [])];
  const authorizedKeysPath = join(dir, 'authorized_keys');
  writeFileSync(authorizedKeysPath, authorized.join('\n') + '\n', { mode: 0o644 });
  const hostKeys = hostKeyPaths.map((p) => readFileSync(`${p}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' '));

  const port = await freePort();
  const config = [
    'ListenAddress 127.0.0.1',
    ...(options.ipv6 ? ['ListenAddress ::1'] : []),
    ...hostKeyPaths.map((p) => `HostKey ${p}`),
    `AuthorizedKeysFile ${authorizedKeysPath}`,
    `PasswordAuthentication ${options.password !== undefined ? 'yes' : 'no'}`,
    'KbdInteractiveAuthentication no',
    'PubkeyAuthentication yes',
    `PermitRootLogin ${options.permitRootLogin ?? 'prohibit-password'}`,
    ...(options.allowUsers?.length ? [`AllowUsers ${options.allowUsers.join(' ')}`] : []),
    `MaxStartups ${options.maxStartups ?? '10:30:100'}`,
    'StrictModes no',
    'UsePAM no',
    'UseDNS no',
    'PidFile none',
    'LogLevel INFO',
    'AllowTcpForwarding yes',
    'PermitOpen any',
    'Subsystem sftp internal-sftp',
    ...(options.extraConfig ?? []),
  ];
  const configPath = join(dir, 'sshd_config');
  writeFileSync(configPath, config.join('\n') + '\n');
  await run(sshdPath, ['-t', '-f', configPath]).catch((error: { stderr?: string }) => {
    throw new Error(`sshd rejected its config ${configPath}: ${error.stderr ?? String(error)}`);
  });

  const sshdArgs = ['-D', '-e', '-f', configPath, '-p', String(port)];
  const ns = options.netns?.exec;
  const proc = ns
    ? startServiceProcess({ name: 'sshd', command: ns[0]!, args: [...ns.slice(1), sshdPath, ...sshdArgs] })
    : startServiceProcess({ name: 'sshd', command: sshdPath, args: sshdArgs });
  // in a namespace, the test's own loopback cannot reach it: wait for sshd to say it listens
  const ready = ns ? () => proc.output().includes(`port ${port}`) : () => canConnect('127.0.0.1', port);
  try {
    await waitFor(`sshd on 127.0.0.1:${port}`, ready, { timeoutMs: 20_000, failIf: proc.exited });
  } catch (error) {
    await proc.stop();
    tmp.remove();
    throw error;
  }
  const host = '127.0.0.1';
  return {
    host,
    port,
    user,
    userKeyPath,
    userPublicKey,
    encryptedKeyPath,
    hostKeys,
    dir,
    knownHostsLine(name = host) {
      const pattern = port === 22 ? name : `[${name}]:${port}`;
      return hostKeys.map((k) => `${pattern} ${k}`).join('\n');
    },
    output: proc.output,
    async stop() {
      await proc.stop();
      tmp.remove();
    },
  };
}
