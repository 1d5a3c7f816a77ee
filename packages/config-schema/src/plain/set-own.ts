/**
 * Sets an own, enumerable property. Objects the loader builds have the normal prototype, so a
 * key named `__proto__` is defined (not assigned): it stays an ordinary key and never becomes
 * the prototype. `constructor` and `prototype` are ordinary assignments already.
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}

/** A deep copy of JSON-like data (objects with the normal prototype), walked without recursion. */
export function plainCopy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const root = { value: undefined as unknown };
  const stack: [unknown, (v: unknown) => void][] = [[value, (v) => (root.value = v)]];
  while (stack.length) {
    const [from, assign] = stack.pop()!;
    if (from === null || typeof from !== 'object' || ArrayBuffer.isView(from)) {
      assign(ArrayBuffer.isView(from) ? Buffer.from(from as Uint8Array) : from);
    } else if (Array.isArray(from)) {
      const out: unknown[] = new Array(from.length);
      assign(out);
      for (let i = 0; i < from.length; i++) stack.push([from[i], (v) => (out[i] = v)]);
    } else {
      const out: Record<string, unknown> = {};
      assign(out);
      for (const key of Object.keys(from)) stack.push([(from as Record<string, unknown>)[key], (v) => setOwn(out, key, v)]);
    }
  }
  return root.value;
}
