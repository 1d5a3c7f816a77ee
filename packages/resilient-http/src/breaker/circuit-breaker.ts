import { checkIntegerOption, parseDuration } from '@ops/core';
import { CircuitOpenError } from '../http/http-errors.js';

export type CircuitState = 'closed' | 'open' | 'half-open';

/** How a call let through by the breaker ended. `ignore`: no verdict (cancelled, a 4xx). */
export type CircuitOutcome = 'success' | 'failure' | 'ignore';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit of an origin. Defaults to 5. */
  readonly failureThreshold?: number;
  /** How long an open circuit fails fast before one half-open trial. Defaults to 30s. */
  readonly cooldown?: number | string;
  /** Called on every state change of an origin's circuit. Defaults to none. */
  readonly onStateChange?: (origin: string, from: CircuitState, to: CircuitState) => void;
  /** Time source in ms. Defaults to `Date.now`. */
  readonly now?: () => number;
}

export interface CircuitBreaker {
  /**
   * Lets a call to `origin` through and returns the function to report how it ended, or throws
   * `CircuitOpenError` while the circuit is open (or its one half-open trial is in flight).
   */
  acquire(origin: string): (outcome: CircuitOutcome, error?: unknown) => void;
  state(origin: string): CircuitState;
}

export const BREAKER_DEFAULTS = { failureThreshold: 5, cooldown: 30_000 as number | string, now: Date.now };

interface Circuit {
  state: CircuitState;
  failures: number;
  openedAt: number;
  trial: boolean;
  lastError?: unknown;
  /** The reporter of calls let through while closed (no per-call state, so made once). */
  report?: (outcome: CircuitOutcome, error?: unknown) => void;
}

/**
 * A circuit breaker keyed by origin: `failureThreshold` consecutive failures open it for
 * `cooldown`; then one half-open trial is let through: success closes it, failure reopens it.
 */
export function createCircuitBreaker(options: CircuitBreakerOptions = {}): CircuitBreaker {
  const o = { ...BREAKER_DEFAULTS, ...options };
  checkIntegerOption(o.failureThreshold, 'breaker.failureThreshold', { min: 1 });
  const cooldownMs = parseDuration(o.cooldown, { name: 'breaker.cooldown', defaultUnit: 'ms' });
  const circuits = new Map<string, Circuit>();
  const move = (origin: string, c: Circuit, to: CircuitState): void => {
    if (c.state === to) return;
    const from = c.state;
    c.state = to;
    o.onStateChange?.(origin, from, to);
  };
  const circuitOf = (origin: string): Circuit => {
    let c = circuits.get(origin);
    if (!c) circuits.set(origin, (c = { state: 'closed', failures: 0, openedAt: 0, trial: false }));
    return c;
  };
  const settle = (origin: string, c: Circuit, trial: boolean, outcome: CircuitOutcome, error: unknown): void => {
    if (trial) c.trial = false;
    if (outcome === 'success') {
      c.failures = 0;
      move(origin, c, 'closed');
    } else if (outcome === 'failure') {
      c.failures += 1;
      c.lastError = error;
      if (trial || (c.state === 'closed' && c.failures >= o.failureThreshold)) {
        c.openedAt = o.now();
        move(origin, c, 'open');
      }
    }
  };
  return {
    state: (origin) => {
      const c = circuits.get(origin);
      if (c?.state === 'open' && o.now() - c.openedAt >= cooldownMs) return 'half-open';
      return c?.state ?? 'closed';
    },
    acquire(origin) {
      const c = circuitOf(origin);
      let trial = false;
      if (c.state === 'open') {
        const waited = o.now() - c.openedAt;
        if (waited < cooldownMs) throw new CircuitOpenError(origin, cooldownMs - waited, c.lastError);
        move(origin, c, 'half-open');
      }
      if (c.state === 'half-open') {
        if (c.trial) throw new CircuitOpenError(origin, 0, c.lastError);
        c.trial = trial = true;
      }
      if (!trial) return (c.report ??= (outcome, error) => settle(origin, c, false, outcome, error));
      let reported = false;
      return (outcome, error) => {
        if (reported) return;
        reported = true;
        settle(origin, c, true, outcome, error);
      };
    },
  };
}
