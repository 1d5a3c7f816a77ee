/** The outcome of one tag of a push. */
export interface TagResult {
  readonly tag: string;
  readonly status: 'pushed' | 'failed';
  /** The manifest digest, when pushed. */
  readonly digest?: string;
  /** Whether the registry confirmed the digest. */
  readonly verified?: boolean;
  /** Why it was not pushed: the error's code and message (secrets redacted). */
  readonly error?: { readonly code: string; readonly message: string };
}

/** What `pushImage` returns (and attaches to its error when a tag failed). */
export interface PushResult {
  readonly tags: readonly string[];
  /** The manifest digest of every pushed tag. */
  readonly digests: Readonly<Record<string, string>>;
  /** Tags whose digest the registry confirmed. */
  readonly verified: readonly string[];
  /** Every tag, in order, pushed or failed. */
  readonly results: readonly TagResult[];
  readonly durationMs: number;
}

const KEY = Symbol.for('@ops/image-builder.pushResult');

/** Attaches the partial result to a push error (not enumerable: logging the error does not dump it). */
export function attachPushResult<E>(error: E, result: PushResult): E {
  if (error && typeof error === 'object') Object.defineProperty(error, KEY, { value: result, enumerable: false, configurable: true });
  return error;
}

/** The result of every tag of a push that threw `error`, when it got that far. */
export function pushResultOf(error: unknown): PushResult | undefined {
  return error && typeof error === 'object' ? ((error as Record<symbol, PushResult | undefined>)[KEY]) : undefined;
}
