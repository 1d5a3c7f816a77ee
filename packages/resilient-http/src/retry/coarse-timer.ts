/** Timers of this length or more are checked by one shared ticker instead of a `setTimeout` each. */
export const COARSE_MIN_MS = 1000;
/** How often the shared ticker checks its deadlines. */
export const COARSE_TICK_MS = 100;

interface Entry {
  readonly at: number;
  readonly fire: () => void;
}

const entries = new Set<Entry>();
let ticker: ReturnType<typeof setInterval> | undefined;

function tick(): void {
  const now = performance.now();
  for (const entry of entries) {
    if (entry.at <= now) {
      entries.delete(entry);
      entry.fire();
    }
  }
  if (entries.size === 0 && ticker) {
    clearInterval(ticker);
    ticker = undefined;
  }
}

/**
 * Calls `fire` after `ms`; returns the cancel function. Timeouts of 1s or more share one
 * unref'd 100ms ticker (up to 100ms late): a `setTimeout` per request attempt costs more than
 * the rest of the attempt's bookkeeping, and a 30s attempt timeout needs no finer precision.
 */
export function startTimer(ms: number, fire: () => void): () => void {
  if (ms < COARSE_MIN_MS) {
    const timer = setTimeout(fire, ms);
    return () => clearTimeout(timer);
  }
  const entry: Entry = { at: performance.now() + ms, fire };
  entries.add(entry);
  if (!ticker) {
    ticker = setInterval(tick, COARSE_TICK_MS);
    ticker.unref();
  }
  return () => {
    entries.delete(entry);
  };
}
