import { ExitCode, OpsError, type OpsErrorOptions } from '@ops/core';

export type PushErrorCode = 'IMAGE_PUSH_UNAUTHORIZED' | 'IMAGE_PUSH_DENIED' | 'IMAGE_PUSH_NOT_FOUND' | 'IMAGE_PUSH_FAILED' | 'IMAGE_DIGEST_MISMATCH';

const HINTS: Record<PushErrorCode, string> = {
  IMAGE_PUSH_UNAUTHORIZED: 'log in (docker login, DOCKER_CONFIG) or set REGISTRY_USERNAME and REGISTRY_PASSWORD',
  IMAGE_PUSH_DENIED: 'the credentials are valid but may not push to this repository: check its permissions or the tag name',
  IMAGE_PUSH_NOT_FOUND: 'check the repository name and that the image was built with this tag',
  IMAGE_PUSH_FAILED: 'read the registry message above; rerun when the registry is healthy',
  IMAGE_DIGEST_MISMATCH: 'another push may have raced this one; rerun the push and compare digests',
};

/**
 * A push failed inside the Engine's JSON stream, told apart by `code`: unauthorized (no or bad
 * credentials), denied (no permission), not found (unknown repository or local tag), other
 * failures, or a digest that differs from the registry's. Exit code 1.
 */
export class PushError extends OpsError<PushErrorCode> {
  /** The tag being pushed. */
  readonly tag: string;
  /** The daemon's or registry's own message. */
  readonly registryMessage: string;

  constructor(code: PushErrorCode, tag: string, registryMessage: string, options: OpsErrorOptions = {}) {
    super(code, `push of ${tag} failed: ${registryMessage}`, { exitCode: ExitCode.PROBLEM, hint: HINTS[code], context: { tag }, ...options });
    this.tag = tag;
    this.registryMessage = registryMessage;
  }
}

/**
 * An HTTP status in a message ("status: 403", "status code 401"), not any digits: the message
 * names the image, whose registry port (`127.0.0.1:44031/app`) may hold the same digits.
 */
const status = (code: number) => new RegExp(`status(?: code)?:? ${code}\\b`);
const UNAUTHORIZED = /unauthorized|authentication required|no basic auth credentials|incorrect username or password/;
const DENIED = /denied|forbidden/;
const NOT_FOUND = /not found|name unknown|manifest unknown|does not exist/;

/** Classifies a push error message from the daemon or the registry. */
export function pushErrorCode(message: string): PushErrorCode {
  const m = message.toLowerCase();
  if (UNAUTHORIZED.test(m) || status(401).test(m)) return 'IMAGE_PUSH_UNAUTHORIZED';
  if (DENIED.test(m) || status(403).test(m)) return 'IMAGE_PUSH_DENIED';
  if (NOT_FOUND.test(m) || status(404).test(m)) return 'IMAGE_PUSH_NOT_FOUND';
  return 'IMAGE_PUSH_FAILED';
}
