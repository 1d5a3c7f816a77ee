/**
 * `pending`, or the signal's reason as soon as `signal` aborts (the work itself goes on: for
 * shared work such as one DNS lookup or one jump connection that other probes still wait for).
 */
export function raceSignal<T>(pending: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return pending;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
