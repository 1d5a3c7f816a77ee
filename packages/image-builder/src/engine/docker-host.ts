/** The engine's address from the environment: `DOCKER_HOST`, else the default unix socket. */
export function dockerHostOf(env: NodeJS.ProcessEnv): string {
  return env.DOCKER_HOST || 'unix:///var/run/docker.sock';
}

/** The socket path of a unix-socket address (`unix:///path` or `/path`); undefined for others. */
export function unixSocketOf(host: string): string | undefined {
  if (host.startsWith('unix://')) return host.slice('unix://'.length);
  if (host.startsWith('/')) return host;
  return undefined;
}
