import { redactString } from '@ops/core';

/**
 * The URL for messages and logs: user and password removed, secret-looking query values
 * (`token=`, `api_key=`...) and registered secrets replaced by `[REDACTED]`.
 */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return redactString(String(url));
  }
  parsed.username = '';
  parsed.password = '';
  return redactString(parsed.toString());
}
