import { AbortError } from '@ops/core';
import { RetryError, retry } from '@ops/resilient-http';
import { ProbeFailure } from '../errors.js';
import { formatTarget } from '../inventory/parse-target.js';
import { fingerprint, keyTypeOf } from '../known-hosts/known-hosts-file.js';
import type { ProbeResult, Target } from '../types.js';
import type { ProbeContext } from './probe-context.js';
import { runSession, type AttemptState } from './session.js';
import { raceSignal } from '../util/race-signal.js';
import { startDeadline } from '../util/deadline.js';

function hostKeyText(blob: Buffer | undefined): string | null {
  return blob ? `${keyTypeOf(blob)} ${fingerprint(blob)}` : null;
}

/** Why getaddrinfo failed, in words. */
function resolveFailure(code: string | undefined, error: unknown): string {
  if (code === 'ENOTFOUND' || code === 'ENODATA') return `no such host (NXDOMAIN: ${code} from the system resolver)`;
  if (code === 'EAI_AGAIN') return 'temporary resolver failure (EAI_AGAIN: DNS server unreachable?)';
  return String(code ?? (error as Error).message);
}

/**
 * Probes one target with a shared context: resolve once, then attempts (each bounded by the
 * timeout, gated per endpoint) retried with backoff and jitter while the server resets the
 * connection before its banner or during key exchange.
 */
export async function probeTarget(ctx: ProbeContext, target: Target): Promise<ProbeResult> {
  const o = ctx.options;
  const started = performance.now();
  const port = target.port ?? o.port;
  const user = target.user ?? o.user;
  const name = target.hostName ?? target.host;
  const chain = target.proxyJump ?? o.jump;
  const state: AttemptState = { stage: 'resolve', banner: null, hostKey: undefined };
  let attempts = 1;
  const result = (failure?: ProbeFailure): ProbeResult => ({
    host: target.host,
    port,
    user,
    status: failure ? 'unreachable' : 'reachable',
    ...(failure ? { reason: failure.reason, stage: failure.stage } : {}),
    latencyMs: Math.round(performance.now() - started),
    banner: state.banner,
    hostKey: hostKeyText(state.hostKey),
    ...(failure ? { error: failure.message } : {}),
  });

  try {
    let address = name;
    if (!chain) {
      const deadline = startDeadline(o.timeoutMs, o.signal);
      const signal = deadline.signal;
      try {
        address = await ctx.resolver.resolve(name, signal);
      } catch (error) {
        if (o.signal?.aborted) throw error;
        const code = (error as NodeJS.ErrnoException).code;
        const why = signal.aborted ? `no answer from the system resolver within ${o.timeoutMs}ms` : resolveFailure(code, error);
        return result(new ProbeFailure(signal.aborted ? 'timeout' : 'dns', 'resolve', `cannot resolve ${name}: ${why}`, { cause: error }));
      } finally {
        deadline.done();
      }
    }
    const extraKeys = await ctx.keysFor(target);
    const endpoint = { host: name, address, port, user, extraKeys };
    const gateKey = chain ? `${chain}>${name}:${port}` : `${address}:${port}`;
    attempts = 0;
    await retry(() => ctx.gate.run(gateKey, async () => {
      attempts++;
      const deadline = startDeadline(o.timeoutMs, o.signal);
      const signal = deadline.signal;
      state.banner = null;
      state.hostKey = undefined;
      try {
        state.stage = 'connect';
        const via = chain ? await raceSignal(ctx.jumps.connect(chain), signal) : undefined;
        await runSession(ctx.session, endpoint, via, o.check, false, signal, state);
        if (o.check !== 'tcp') ctx.answered.add(gateKey);
      } catch (error) {
        if (o.signal?.aborted) throw new AbortError(`probe of ${target.host}`, o.signal.reason);
        const healthy = ctx.answered.has(gateKey);
        if (error instanceof ProbeFailure) {
          // refused by an endpoint that spoke SSH earlier in this run: turned away, not down
          if (error.reason === 'refused' && healthy) {
            throw new ProbeFailure('throttled', 'connect', `${error.message}, though it completed a key exchange earlier in this run (throttling: sshd MaxStartups / PerSourcePenalties or a connection limit)`, { cause: error, retryable: true });
          }
          throw error;
        }
        if (deadline.expired) {
          // a silent banner or key exchange of an endpoint known to work in this run is an overloaded
          // sshd: worth another try. A black hole never gets past connect, and an endpoint that never
          // completed a key exchange (a listener that stalls, whatever it said) would only cost
          // another full timeout: not retried.
          const retryable = healthy && (state.stage === 'banner' || state.stage === 'kex');
          throw new ProbeFailure('timeout', state.stage, `no answer from ${formatTarget(name, port)}${chain ? ` (through jump host ${chain})` : ''} within ${o.timeoutMs}ms (stage ${state.stage})`, { retryable });
        }
        throw new ProbeFailure('protocol', state.stage, `${formatTarget(name, port)}: ${(error as Error).message}`, { cause: error });
      } finally {
        deadline.done();
        if (o.check !== 'tcp' && (state.stage === 'auth' || state.stage === 'exec')) ctx.answered.add(gateKey);
      }
    }), {
      // two budgets: a throttling server's refusals (cheap, immediate) and an overloaded one's silences
      retries: Math.max(o.retries, o.throttleRetries),
      minDelay: o.retryMinDelay,
      maxDelay: o.retryMaxDelay,
      factor: 2,
      jitter: 'full',
      signal: o.signal,
      description: `probe of ${target.host}`,
      shouldRetry: (error, { attempt }) => error instanceof ProbeFailure && error.retryable && attempt <= (error.reason === 'throttled' ? o.throttleRetries : o.retries),
      onRetry: o.onRetry ? (info) => o.onRetry?.({ target, attempt: info.attempt, delayMs: info.delayMs, error: info.error }) : undefined,
    });
    return result();
  } catch (error) {
    if (error instanceof ProbeFailure) {
      return result(attempts > 1 ? new ProbeFailure(error.reason, error.stage, `${error.message} (${attempts} attempts)`, { cause: error }) : error);
    }
    if (error instanceof RetryError && error.cause instanceof ProbeFailure) {
      const last = error.cause;
      return result(new ProbeFailure(last.reason, last.stage, `${last.message} (${error.attempts.length} attempts)`, { cause: last }));
    }
    throw error;
  }
}
