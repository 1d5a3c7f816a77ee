import { UsageError } from '@ops/core';
import { MATCHERS } from '../matchers/all.js';

/** Which kinds a scan counts: see `ScanOptions.kinds`, `excludeKinds` and `suspicious`. */
export interface KindSelection {
  /** Only these kinds (suspicious ones included when listed). Defaults to every failure kind. */
  readonly kinds?: readonly string[];
  /** Not these kinds. Defaults to none. */
  readonly excludeKinds?: readonly string[];
  /** Also the suspicious kinds (pre-auth disconnects that follow no failure). Defaults to false. */
  readonly suspicious?: boolean;
}

/** Every kind, in matcher order. */
export const KINDS: readonly string[] = MATCHERS.map((m) => m.kind);

/** The kinds of class `suspicious` (not counted by default). */
export const SUSPICIOUS_KINDS: readonly string[] = MATCHERS.filter((m) => m.class === 'suspicious').map((m) => m.kind);

/**
 * The kinds a scan counts, in matcher order. An unknown kind fails with a usage error naming
 * it, the option, and the valid kinds.
 */
export function selectKinds(selection: KindSelection = {}, names: { kinds: string; excludeKinds: string } = { kinds: 'kinds', excludeKinds: 'excludeKinds' }): readonly string[] {
  check(selection.kinds, names.kinds);
  check(selection.excludeKinds, names.excludeKinds);
  const wanted = new Set(selection.kinds ?? KINDS.filter((k) => selection.suspicious || !SUSPICIOUS_KINDS.includes(k)));
  for (const kind of selection.excludeKinds ?? []) wanted.delete(kind);
  return KINDS.filter((k) => wanted.has(k));
}

function check(list: readonly string[] | undefined, option: string): void {
  if (list === undefined) return;
  if (!Array.isArray(list)) throw new UsageError(`Expected \`${option}\` to be a list of kinds, got ${typeof list}`);
  const unknown = list.filter((k) => !KINDS.includes(k));
  if (unknown.length > 0) {
    throw new UsageError(`unknown kind ${unknown.map((k) => `"${k}"`).join(', ')} in \`${option}\``, {
      hint: `valid kinds: ${KINDS.join(', ')}`,
    });
  }
}
