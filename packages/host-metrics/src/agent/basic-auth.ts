import { createHash } from 'node:crypto';

/**
 * Checks `Authorization: Basic` against bcrypt hashes. bcrypt costs tens of milliseconds by
 * design, and Prometheus sends the same credentials every scrape: a successful check is
 * remembered (as a SHA-256 of user, password and hash, never the password) so scrapes stay cheap.
 */
export function basicAuthChecker(users: Readonly<Record<string, string>>): (authorization: string | undefined) => Promise<boolean> {
  const verified = new Set<string>();
  return async (authorization) => {
    const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
    if (!m) return false;
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    const user = decoded.slice(0, colon);
    const hash = Object.hasOwn(users, user) ? users[user]! : undefined;
    if (hash === undefined) return false;
    const key = createHash('sha256').update(`${user}\0${decoded.slice(colon + 1)}\0${hash}`).digest('hex');
    if (verified.has(key)) return true;
    // Loaded on the first check: agents without basic auth never pay for it.
    const { default: bcrypt } = await import('bcryptjs');
    if (!(await bcrypt.compare(decoded.slice(colon + 1), hash))) return false;
    if (verified.size >= 64) verified.clear();
    verified.add(key);
    return true;
  };
}
