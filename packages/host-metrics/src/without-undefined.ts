/** A copy without the keys whose value is undefined, so `{ ...DEFAULTS, ...options }` keeps the defaults. */
export function withoutUndefined<T extends object>(options: T): T {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as T;
}
