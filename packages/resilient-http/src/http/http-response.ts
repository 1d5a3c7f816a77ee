import { OpsError, messageOf } from '@ops/core';

export type ResponseHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** A final response (status below 400), body read in full. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: ResponseHeaders;
  readonly body: Buffer;
  /** The URL requested, credentials stripped. */
  readonly url: string;
  /** Attempts it took (1 when the first one worked). */
  readonly attempts: number;
  text(): string;
  /** Parses the body as JSON; throws `HTTP_INVALID_JSON` when it is not. */
  json<T = unknown>(): T;
}

export function httpResponse(status: number, headers: ResponseHeaders, body: Buffer, safeUrl: () => string, attempts: number): HttpResponse {
  return {
    status,
    headers,
    body,
    get url() {
      return safeUrl();
    },
    attempts,
    text: () => body.toString('utf8'),
    json<T>(): T {
      try {
        return JSON.parse(body.toString('utf8')) as T;
      } catch (error) {
        throw new OpsError('HTTP_INVALID_JSON', `${safeUrl()} answered ${status} with a body that is not JSON: ${messageOf(error)}`, {
          cause: error,
          context: { url: safeUrl(), status, excerpt: body.subarray(0, 200).toString('utf8') },
          hint: 'check the URL points at the API and not at an HTML page or proxy',
        });
      }
    },
  };
}
