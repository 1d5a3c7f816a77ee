import type { DockerfileInfo } from './parse-dockerfile.js';

/** One build stage: its `FROM` image and line. */
export interface Stage {
  /** `AS name`, lower-cased, if given. */
  readonly name: string | undefined;
  /** The image after ARG substitution (may name an earlier stage or `scratch`). */
  readonly from: string;
  /** 1-based line of the `FROM`. */
  readonly line: number;
  /** Whether `from` is a pulled image (not `scratch`, not an earlier stage). */
  readonly external: boolean;
}

/** A Dockerfile value without the quotes around it (`"alpine"` -> `alpine`). */
export function unquote(value: string): string {
  return value.replace(/^(["'])(.*)\1$/, '$2');
}

/** Replaces `$NAME`, `${NAME}` and `${NAME:-default}` the way FROM lines are expanded. */
function expand(text: string, values: ReadonlyMap<string, string>): string {
  return text.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_m, braced: string | undefined, fallback: string | undefined, bare: string | undefined) => {
    const value = values.get((braced ?? bare)!);
    return value !== undefined && value !== '' ? value : fallback ?? '';
  });
}

/**
 * The stages of a Dockerfile with their base images, `ARG`s declared before the first `FROM`
 * expanded from `buildArgs` or their defaults (as the builder does).
 */
export function listStages(info: DockerfileInfo, buildArgs: Readonly<Record<string, string>> = {}): Stage[] {
  const globals = new Map<string, string>();
  const stages: Stage[] = [];
  for (const ins of info.instructions) {
    if (ins.keyword === 'ARG' && stages.length === 0) {
      for (const decl of ins.args.split(/\s+/)) {
        const eq = decl.indexOf('=');
        const name = eq < 0 ? decl : decl.slice(0, eq);
        const given = buildArgs[name];
        const value = given ?? (eq < 0 ? undefined : unquote(decl.slice(eq + 1)));
        if (value !== undefined) globals.set(name, value);
      }
    }
    if (ins.keyword !== 'FROM') continue;
    const words = ins.args.split(/\s+/).filter((w) => !w.startsWith('--'));
    const from = expand(words[0] ?? '', globals);
    const name = words[1]?.toUpperCase() === 'AS' ? words[2]?.toLowerCase() : undefined;
    const external = from.toLowerCase() !== 'scratch' && !stages.some((s) => s.name === from.toLowerCase());
    stages.push({ name, from, line: ins.line, external });
  }
  return stages;
}
