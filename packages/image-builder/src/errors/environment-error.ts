import { ExitCode, OpsError, type OpsErrorOptions } from '@ops/core';

/** The Docker Engine could not be reached (socket missing, connection refused, TLS failure). Exit code 3. */
export class EngineUnreachableError extends OpsError<'IMAGE_ENGINE_UNREACHABLE'> {
  constructor(message: string, options: OpsErrorOptions = {}) {
    super('IMAGE_ENGINE_UNREACHABLE', message, { exitCode: ExitCode.ENVIRONMENT, hint: 'start the Docker daemon or point DOCKER_HOST at it (DOCKER_TLS_VERIFY/DOCKER_CERT_PATH for TLS)', ...options });
  }
}

/** The registry could not be reached, after retries. Exit code 3. */
export class RegistryUnreachableError extends OpsError<'IMAGE_REGISTRY_UNREACHABLE'> {
  readonly registry: string;
  constructor(registry: string, message: string, options: OpsErrorOptions = {}) {
    super('IMAGE_REGISTRY_UNREACHABLE', message, { exitCode: ExitCode.ENVIRONMENT, hint: `check that ${registry} is up and reachable from the Docker daemon`, context: { registry }, ...options });
    this.registry = registry;
  }
}

/** Whether a daemon message says the registry itself could not be reached (retryable). */
export function isRegistryUnreachableMessage(message: string): boolean {
  return /connection refused|no such host|i\/o timeout|connection reset|\beof\b|tls handshake timeout|server misbehaving|network is unreachable|no route to host|timeout exceeded|503 service unavailable|502 bad gateway|504 gateway|received unexpected http status: 5\d\d/i.test(message);
}

/**
 * The Docker engine (or, through it, a registry) accepted the connection but did not answer in
 * time: `waitedFor` says what was waited for. Exit code 3.
 */
export class EngineTimeoutError extends OpsError<'IMAGE_ENGINE_TIMEOUT'> {
  constructor(message: string, options: OpsErrorOptions = {}) {
    super('IMAGE_ENGINE_TIMEOUT', message, { exitCode: ExitCode.ENVIRONMENT, hint: 'check that the Docker daemon (and the registry it talks to) is healthy, or raise --timeout', ...options });
  }
}

/** A push did not finish within the time allowed (`--timeout`); `waitedFor` says on what. Exit code 3. */
export class PushTimeoutError extends OpsError<'IMAGE_PUSH_TIMEOUT'> {
  readonly tag: string;
  constructor(tag: string, message: string, options: OpsErrorOptions = {}) {
    super('IMAGE_PUSH_TIMEOUT', message, { exitCode: ExitCode.ENVIRONMENT, hint: 'check that the registry is up and answers the Docker daemon, or raise --timeout', ...options });
    this.tag = tag;
  }
}
