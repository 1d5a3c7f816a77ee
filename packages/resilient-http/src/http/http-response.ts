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

/** A class rather than an object literal with a getter: it is made once per request, on the hot path. */
class Response implements HttpResponse {
  constructor(
    readonly status: number,
    readonly headers: ResponseHeaders,
    readonly body: Buffer,
    private readonly safeUrl: () => string,
    readonly attempts: number,
  ) {}

  get url(): string {
    return this.safeUrl();
  }

  text(): string {
    return this.body.toString('utf8');
  }

  json<T = unknown>(): T {
    try {
      return JSON.parse(this.body.toString('utf8')) as T;
    } catch (error) {
      throw new OpsError('HTTP_INVALID_JSON', `${this.url} answered ${this.status} with a body that is not JSON: ${messageOf(error)}`, {
        cause: error,
        context: { url: this.url, status: this.status, excerpt: this.body.subarray(0, 200).toString('utf8') },
        hint: 'check the URL points at the API and not at an HTML page or proxy',
      });
    }
  }
}

export function httpResponse(status: number, headers: ResponseHeaders, body: Buffer, safeUrl: () => string, attempts: number): HttpResponse {
  return new Response(status, headers, body, safeUrl, attempts);
}
