import { CircuitOpenError } from '../http/http-errors.js';
import { createCircuitBreaker } from './circuit-breaker.js';

describe('createCircuitBreaker', () => {
  function setup() {
    let now = 0;
    const changes: string[] = [];
    const breaker = createCircuitBreaker({ failureThreshold: 3, cooldown: '1s', now: () => now, onStateChange: (o, f, t) => changes.push(`${o} ${f}->${t}`) });
    return { breaker, changes, advance: (ms: number) => (now += ms) };
  }

  test('opens after N consecutive failures; a success in between resets the count', () => {
    const { breaker, changes } = setup();
    for (const outcome of ['failure', 'failure', 'success', 'failure', 'failure', 'ignore'] as const) breaker.acquire('a')(outcome);
    expect(breaker.state('a')).toBe('closed');
    breaker.acquire('a')('failure');
    expect(breaker.state('a')).toBe('open');
    expect(() => breaker.acquire('a')).toThrow(CircuitOpenError);
    expect(breaker.state('b')).toBe('closed'); // per origin
    expect(changes).toEqual(['a closed->open']);
  });

  test('half-open: one trial at a time; failure reopens, success closes', () => {
    const { breaker, changes, advance } = setup();
    for (let i = 0; i < 3; i++) breaker.acquire('a')('failure', new Error(`e${i}`));
    const open = (() => {
      try {
        breaker.acquire('a');
      } catch (e) {
        return e as CircuitOpenError;
      }
    })();
    expect(open?.retryInMs).toBe(1000);
    expect((open?.cause as Error).message).toBe('e2');
    advance(1000);
    const trial = breaker.acquire('a');
    expect(() => breaker.acquire('a')).toThrow(/next trial in 0ms/);
    trial('failure');
    expect(breaker.state('a')).toBe('open');
    advance(999);
    expect(() => breaker.acquire('a')).toThrow(CircuitOpenError);
    advance(1);
    const second = breaker.acquire('a');
    second('success');
    second('failure'); // reported twice: ignored
    expect(breaker.state('a')).toBe('closed');
    expect(changes).toEqual(['a closed->open', 'a open->half-open', 'a half-open->open', 'a open->half-open', 'a half-open->closed']);
  });

  test('an ignored trial frees the slot without a verdict', () => {
    const { breaker, advance } = setup();
    for (let i = 0; i < 3; i++) breaker.acquire('a')('failure');
    advance(1000);
    breaker.acquire('a')('ignore');
    expect(breaker.state('a')).toBe('half-open');
    expect(() => breaker.acquire('a')).not.toThrow();
  });

  test.each([[{ failureThreshold: 0 }, /failureThreshold/], [{ cooldown: 'x' }, /breaker.cooldown/]])('rejects %o', (options, message) => {
    expect(() => createCircuitBreaker(options)).toThrow(message);
  });
});
