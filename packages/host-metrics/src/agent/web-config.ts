import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { MetricsError } from '../errors.js';

/** node_exporter's `--web.config.file`, loaded: TLS material and bcrypt-hashed basic-auth users. */
export interface WebConfig {
  readonly tls?: {
    readonly cert: Buffer;
    readonly key: Buffer;
    /** CA for client certificates (`client_ca_file`). */
    readonly ca?: Buffer;
    /** `client_auth_type`: RequireAndVerifyClientCert makes a client certificate mandatory. */
    readonly requireClientCert: boolean;
    readonly minVersion?: 'TLSv1.2' | 'TLSv1.3';
  };
  /** User name -> bcrypt hash (`$2a$`, `$2b$` or `$2y$`). */
  readonly basicAuthUsers?: Readonly<Record<string, string>>;
}

const TLS_VERSIONS = { TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' } as const;
const CLIENT_AUTH = ['NoClientCert', 'RequestClientCert', 'RequireAnyClientCert', 'VerifyClientCertIfGiven', 'RequireAndVerifyClientCert'];

function invalid(file: string, what: string, cause?: unknown): MetricsError {
  return new MetricsError('METRICS_WEB_CONFIG_INVALID', `web config ${file}: ${what}`, { cause, context: { file }, hint: 'the format is node_exporter\'s web config: tls_server_config (cert_file, key_file) and basic_auth_users (name: bcrypt hash)' });
}

/**
 * Reads a web config file in node_exporter's format (exporter-toolkit): `tls_server_config`
 * with `cert_file`, `key_file`, optional `client_ca_file`, `client_auth_type`, `min_version`;
 * `basic_auth_users` mapping names to bcrypt hashes. Paths are relative to the file.
 */
export async function loadWebConfig(file: string): Promise<WebConfig> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw invalid(file, `cannot read it (${error.code ?? error.message})`, error);
  });
  let doc: unknown;
  try {
    // yaml is loaded here only: an agent without --web-config never holds it in memory.
    const { parse } = await import('yaml');
    doc = parse(text) ?? {};
  } catch (error) {
    throw invalid(file, `not valid YAML: ${(error as Error).message.split('\n')[0]}`, error);
  }
  if (typeof doc !== 'object' || Array.isArray(doc)) throw invalid(file, 'expected a mapping at the top');
  const { tls_server_config: tlsConfig, basic_auth_users: users, ...rest } = doc as Record<string, unknown>;
  const unknownKeys = Object.keys(rest).filter((k) => k !== 'http_server_config');
  if (unknownKeys.length) throw invalid(file, `unknown key(s) ${unknownKeys.join(', ')}`);
  const at = (p: unknown, key: string) => {
    if (typeof p !== 'string' || !p) throw invalid(file, `tls_server_config.${key} must be a file path`);
    const path = resolve(dirname(file), p);
    return readFile(path).catch((error: NodeJS.ErrnoException) => {
      throw invalid(file, `cannot read tls_server_config.${key} ${path} (${error.code ?? error.message})`, error);
    });
  };
  let tls: WebConfig['tls'];
  if (tlsConfig !== undefined && tlsConfig !== null) {
    const t = tlsConfig as Record<string, unknown>;
    const clientAuth = (t.client_auth_type as string | undefined) ?? 'NoClientCert';
    if (!CLIENT_AUTH.includes(clientAuth)) throw invalid(file, `client_auth_type must be one of ${CLIENT_AUTH.join(', ')}, got ${JSON.stringify(clientAuth)}`);
    const minVersion = t.min_version === undefined ? undefined : TLS_VERSIONS[t.min_version as keyof typeof TLS_VERSIONS];
    if (t.min_version !== undefined && !minVersion) throw invalid(file, `min_version must be TLS12 or TLS13, got ${JSON.stringify(t.min_version)}`);
    tls = {
      cert: await at(t.cert_file, 'cert_file'),
      key: await at(t.key_file, 'key_file'),
      ...(t.client_ca_file ? { ca: await at(t.client_ca_file, 'client_ca_file') } : {}),
      requireClientCert: clientAuth === 'RequireAndVerifyClientCert' || clientAuth === 'RequireAnyClientCert',
      ...(minVersion ? { minVersion } : {}),
    };
  }
  let basicAuthUsers: Record<string, string> | undefined;
  if (users !== undefined && users !== null) {
    if (typeof users !== 'object' || Array.isArray(users)) throw invalid(file, 'basic_auth_users must map user names to bcrypt hashes');
    basicAuthUsers = {};
    for (const [name, hash] of Object.entries(users as Record<string, unknown>)) {
      // Never echo the hash: it is a secret too.
      if (typeof hash !== 'string' || !/^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/.test(hash)) throw invalid(file, `basic_auth_users.${name} is not a bcrypt hash (make one with: htpasswd -nbBC 10 "" PASSWORD | tr -d ':\\n')`);
      basicAuthUsers[name] = hash;
    }
  }
  return { ...(tls ? { tls } : {}), ...(basicAuthUsers ? { basicAuthUsers } : {}) };
}
