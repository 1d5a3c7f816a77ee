/** A signal that aborts when `parent` does or `ms` pass; `done()` frees its timer and listener at once. */
export interface Deadline {
  readonly signal: AbortSignal;
  /** True when the time ran out (not the parent). */
  readonly expired: boolean;
  done(): void;
}

/**
 * Like `AbortSignal.any([parent, AbortSignal.timeout(ms)])`, but released as soon as the work ends:
 * a probe that fails in a millisecond holds no timer, no signal and no listener on the run's signal
 * for the rest of its timeout, so memory and listeners stay bounded by the probes in flight.
 */
export function startDeadline(ms: number, parent: AbortSignal | undefined): Deadline {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new DOMException(`no answer within ${ms}ms`, 'TimeoutError'));
  }, ms);
  const onParent = () => controller.abort(parent!.reason);
  if (parent?.aborted) onParent();
  else parent?.addEventListener('abort', onParent, { once: true });
  return {
    signal: controller.signal,
    get expired() {
      return expired;
    },
    done() {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParent);
    },
  };
}
