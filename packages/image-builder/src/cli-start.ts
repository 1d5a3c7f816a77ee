import { dockerHostOf, unixSocketOf } from './engine/docker-host.js';
import { openEarlyConnection } from './engine/early-connection.js';
import { requestHead } from './engine/request-head.js';

/** What the command opened before it had loaded (for the debug log). */
export interface EarlyStart {
  readonly socketPath: string;
  readonly requests: readonly string[];
}

/**
 * For `image-builder build` on a unix-socket engine: opens two connections to the engine, one
 * with the ping written on it (the build's first request, as the docker CLI's), one for the build
 * request, so that both are ready when the command has loaded (the socket's accept and the
 * ping's answer took ~5-10 ms after it, on a busy daemon); with `--builder classic`, whose build
 * request goes before the ping, only the latter. Anything else (`push`, `--help`, a TCP or SSH
 * engine) starts as before.
 */
export function startEarly(args: readonly string[], env: NodeJS.ProcessEnv): EarlyStart | undefined {
  if (args[0] !== 'build' || args.includes('--help') || args.includes('-h')) return undefined;
  const socketPath = unixSocketOf(dockerHostOf(env));
  if (!socketPath) return undefined;
  // The classic builder, asked for, sends its build request before the ping (buildImage): only
  // the request's connection then.
  const classic = args.includes('--builder=classic') || args.some((arg, i) => arg === '--builder' && args[i + 1] === 'classic');
  if (!classic) openEarlyConnection(socketPath, requestHead({ socketPath, method: 'HEAD', path: '/_ping', chunked: false }));
  openEarlyConnection(socketPath);
  return { socketPath, requests: [...(classic ? [] : ['HEAD /_ping']), '(a connection for the next request)'] };
}

/**
 * Evaluated first: cli.ts imports this module before any other, so the connections open before
 * the rest of the command (its modules, @ops/core) is evaluated.
 */
export const earlyStart = startEarly(process.argv.slice(2), process.env);
