/** How a computed backoff is randomised. */
export type Jitter = 'full' | 'equal' | 'decorrelated' | 'none';

export interface BackoffInput {
  /** 1-based number of the attempt that just failed. */
  readonly attempt: number;
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  readonly factor: number;
  readonly jitter: Jitter;
  /** The previous delay (decorrelated jitter); `minDelayMs` before the first retry. */
  readonly previousDelayMs: number;
  /** Uniform in [0, 1). */
  readonly random: () => number;
}

/**
 * The wait after failed attempt `attempt`, in whole ms, with `base = min(maxDelay, minDelay *
 * factor^(attempt-1))`:
 * - `none`: `base`
 * - `full`: `random * base` (AWS "full jitter")
 * - `equal`: `base/2 + random * base/2`
 * - `decorrelated`: `min(maxDelay, minDelay + random * (3 * previous - minDelay))` (AWS)
 */
export function backoffDelay(input: BackoffInput): number {
  const { attempt, minDelayMs, maxDelayMs, factor, jitter, random } = input;
  const base = Math.min(maxDelayMs, minDelayMs * factor ** (attempt - 1));
  switch (jitter) {
    case 'none':
      return Math.round(base);
    case 'full':
      return Math.round(random() * base);
    case 'equal':
      return Math.round(base / 2 + (random() * base) / 2);
    case 'decorrelated': {
      const upper = Math.max(minDelayMs, input.previousDelayMs * 3);
      return Math.round(Math.min(maxDelayMs, minDelayMs + random() * (upper - minDelayMs)));
    }
  }
}
