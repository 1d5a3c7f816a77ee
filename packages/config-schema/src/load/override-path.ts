import { ConfigError } from '../errors.js';

/** One step of a `--set` path: a key, or a list index written in brackets. */
export interface PathSegment {
  readonly key: string;
  /** Written `[N]`: must address a list. A bare `0` addresses a list item or a key named "0". */
  readonly index: boolean;
}

/**
 * Parses a `--set` path: keys separated by dots (`\.` keeps a dot in a key), list indexes in
 * brackets (`a[0].b`), and quoted keys for anything else (`a["x.y"]`, `a['it''s']`, `"a b".c`).
 */
export function parseOverridePath(path: string, flag: string): PathSegment[] {
  const fail = (why: string): never => {
    throw new ConfigError('CONFIG_SET_INVALID', `\`--set ${flag}\`: ${why}`, { hint: 'write --set spec.replicas=3, --set \'containers[0].image=x\' or --set \'labels["app.kubernetes.io/name"]=web\'' });
  };
  const out: PathSegment[] = [];
  let i = 0;
  const quoted = (): string => {
    const quote = path[i]!;
    let text = '';
    for (i++; i < path.length; i++) {
      const c = path[i]!;
      if (quote === '"' && c === '\\' && i + 1 < path.length) text += path[++i];
      else if (c === quote && quote === "'" && path[i + 1] === "'") text += path[++i];
      else if (c === quote) {
        i++;
        return text;
      } else text += c;
    }
    return fail(`the quoted key starting at character ${path.length - text.length} is not closed`);
  };
  while (i < path.length) {
    if (path[i] === '[') {
      i++;
      if (path[i] === '"' || path[i] === "'") out.push({ key: quoted(), index: false });
      else {
        const digits = /^(0|[1-9][0-9]*)/.exec(path.slice(i))?.[0];
        if (!digits) fail(`expected a list index or a quoted key after "[" at character ${i + 1}`);
        out.push({ key: digits!, index: true });
        i += digits!.length;
      }
      if (path[i] !== ']') fail(`expected "]" at character ${i + 1}`);
      i++;
    } else if (path[i] === '"' || path[i] === "'") {
      out.push({ key: quoted(), index: false });
    } else {
      let key = '';
      for (; i < path.length && path[i] !== '.' && path[i] !== '['; i++) key += path[i] === '\\' && (path[i + 1] === '.' || path[i + 1] === '[') ? path[++i] : path[i];
      if (key === '') fail('has an empty path segment');
      out.push({ key, index: false });
    }
    if (i === path.length) break;
    if (path[i] === '.') {
      i++;
      if (i === path.length) fail('has an empty path segment');
    } else if (path[i] !== '[') fail(`unexpected "${path[i]}" at character ${i + 1}`);
  }
  if (out.length === 0) fail('has an empty path');
  return out;
}
