import type { JsonLine } from './json-lines.js';

/** Progress of a push, as a script can follow it. */
export type PushEvent =
  | { readonly type: 'push-status'; readonly tag: string; readonly layer: string | undefined; readonly status: string }
  | { readonly type: 'pushed'; readonly tag: string; readonly digest: string; readonly size: number | undefined }
  | { readonly type: 'retry'; readonly tag: string; readonly attempt: number; readonly delayMs: number; readonly message: string }
  | { readonly type: 'verified'; readonly tag: string; readonly digest: string; readonly registryDigest: string | undefined };

/** What a push stream said, once it ended. */
export interface PushOutcome {
  readonly digest: string | undefined;
  readonly size: number | undefined;
  readonly error: string | undefined;
  readonly malformedLines: number;
}

export interface PushProgress {
  accept(line: JsonLine): void;
  outcome(): PushOutcome;
}

const DIGEST_LINE = /^(\S+): digest: (sha256:[a-f0-9]{64}) size: (\d+)/;

/**
 * Follows the Engine's push stream for one tag: layer statuses, the digest (from `aux.Digest` or
 * the `<tag>: digest: sha256:... size: N` status), and the first `error`/`errorDetail`.
 */
export function createPushProgress(tag: string, emit: (event: PushEvent) => void = () => undefined): PushProgress {
  let digest: string | undefined;
  let size: number | undefined;
  let error: string | undefined;
  let malformedLines = 0;
  const found = (d: string, s: number | undefined) => {
    if (digest === d) return;
    digest = d;
    size = s;
    emit({ type: 'pushed', tag, digest: d, size: s });
  };
  return {
    accept(line) {
      if (line.kind === 'malformed') {
        malformedLines++;
        return;
      }
      const m = line.message;
      if ((m.error !== undefined || m.errorDetail !== undefined) && error === undefined) {
        const text = m.errorDetail?.message ?? m.error;
        error = typeof text === 'string' && text ? text : 'the push failed (no message)';
      }
      const aux = typeof m.aux === 'object' ? m.aux : undefined;
      const auxDigest = aux?.Digest;
      if (typeof auxDigest === 'string' && /^sha256:[a-f0-9]{64}$/.test(auxDigest)) found(auxDigest, typeof aux?.Size === 'number' ? aux.Size : undefined);
      if (typeof m.status === 'string') {
        const d = DIGEST_LINE.exec(m.status);
        if (d) found(d[2]!, Number(d[3]));
        else emit({ type: 'push-status', tag, layer: typeof m.id === 'string' ? m.id : undefined, status: m.status });
      }
    },
    outcome: () => ({ digest, size, error, malformedLines }),
  };
}
