import type winston from 'winston';

/** Numeric rank of each level: a line is written when its rank is at most the logger's. */
export const LEVEL_RANKS = { error: 0, warn: 1, info: 2, debug: 3 } as const;
type Level = keyof typeof LEVEL_RANKS;

const rankOf = (level: unknown): number => (typeof level === 'string' && level in LEVEL_RANKS ? LEVEL_RANKS[level as Level] : -1);

interface LazyState {
  /** Rank of the lowest level written; -1 when silent. */
  rank: number;
  level: string;
}

/**
 * A logger that answers `error`/`warn`/`info`/`debug`/`log`/`child`/`isLevelEnabled`/`level`
 * itself and makes the winston logger (`materialize`) only when a line is written at an enabled
 * level, or when a property it does not know is used (transports, `add`, `profile`, ...): a CLI
 * run or a library call that logs nothing below its level never loads winston (~85 modules,
 * tens of ms before a CLI's first request). Children share the parent's level, as in winston.
 */
export function lazyLogger(materialize: () => winston.Logger, level: string, silent: boolean): winston.Logger {
  return wrap(materialize, { rank: silent ? -1 : rankOf(level), level });
}

function wrap(materialize: () => winston.Logger, state: LazyState): winston.Logger {
  let real: winston.Logger | undefined;
  const get = (): winston.Logger => (real ??= materialize());
  const write = (level: Level) =>
    function (this: unknown, ...args: unknown[]): unknown {
      if (LEVEL_RANKS[level] <= state.rank) (get()[level] as (...a: unknown[]) => unknown)(...args);
      return proxy;
    };
  const own: Record<string | symbol, unknown> = {
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: write('debug'),
    log(level: unknown, ...args: unknown[]): unknown {
      // `log({ level, message })` as well as `log(level, message, meta)`.
      const name = typeof level === 'object' && level !== null ? (level as { level?: unknown }).level : level;
      if (rankOf(name) <= state.rank && rankOf(name) >= 0) (get().log as (...a: unknown[]) => unknown)(level, ...args);
      return proxy;
    },
    isLevelEnabled: (level: string): boolean => rankOf(level) >= 0 && rankOf(level) <= state.rank,
    child: (meta: Record<string, unknown>): winston.Logger => wrap(() => get().child(meta), state),
  };
  const proxy: winston.Logger = new Proxy(own, {
    get(target, prop) {
      if (prop === 'level') return state.level;
      if (prop in target) return target[prop];
      const value = (get() as unknown as Record<string | symbol, unknown>)[prop];
      return typeof value === 'function' ? value.bind(get()) : value;
    },
    set(_, prop, value) {
      if (prop === 'level') {
        state.level = String(value);
        state.rank = rankOf(value);
      }
      (get() as unknown as Record<string | symbol, unknown>)[prop] = value;
      return true;
    },
    has: (target, prop) => prop in target || prop in get(),
  }) as unknown as winston.Logger;
  return proxy;
}
