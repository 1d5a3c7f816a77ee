/** One instruction of a Dockerfile, with where it is. */
export interface Instruction {
  /** Upper-case keyword: `FROM`, `RUN`, ... */
  readonly keyword: string;
  /** Everything after the keyword, continuation lines joined. */
  readonly args: string;
  /** 1-based line of the keyword. */
  readonly line: number;
  /** 1-based last line (continuations, heredoc bodies). */
  readonly endLine: number;
  /** Whether the instruction carries a heredoc (`<<EOF`). */
  readonly heredoc: boolean;
}

/** What a Dockerfile says, as far as the client needs it. */
export interface DockerfileInfo {
  readonly instructions: readonly Instruction[];
  /** The `# syntax=` parser directive, if any. */
  readonly syntax: string | undefined;
  /** The escape character (`# escape=`). Defaults to a backslash. */
  readonly escape: string;
}

const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;
const HEREDOC = /<<-?\s*(["']?)([a-zA-Z_][a-zA-Z0-9_]*)\1/g;
const HEREDOC_KEYWORDS = new Set(['RUN', 'COPY', 'ADD']);

/**
 * Splits a Dockerfile into instructions the way the docker parser does: parser directives at the
 * top, comments and blank lines skipped (also inside continuations), lines joined on the escape
 * character, heredoc bodies (`RUN <<EOF ... EOF`) kept with their instruction.
 */
export function parseDockerfile(text: string): DockerfileInfo {
  const lines = text.split(/\r?\n/);
  let syntax: string | undefined;
  let escape = '\\';
  let i = 0;
  for (; i < lines.length; i++) {
    const m = DIRECTIVE.exec(lines[i]!);
    if (!m) break;
    const name = m[1]!.toLowerCase();
    if (name === 'syntax') syntax = m[2];
    else if (name === 'escape') escape = m[2]!;
  }
  const instructions: Instruction[] = [];
  while (i < lines.length) {
    const raw = lines[i]!;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      i++;
      continue;
    }
    const start = i;
    let joined = '';
    for (;;) {
      const current = lines[i]!.replace(/\s+$/, '');
      i++;
      if (current.endsWith(escape) && i < lines.length) {
        joined += current.slice(0, -escape.length);
        while (i < lines.length && (lines[i]!.trim() === '' || lines[i]!.trim().startsWith('#'))) i++;
        continue;
      }
      joined += current;
      break;
    }
    const match = /^\s*(\S+)\s*(.*)$/s.exec(joined);
    const keyword = match![1]!.toUpperCase();
    const args = match![2]!.trim();
    const ends = HEREDOC_KEYWORDS.has(keyword) ? [...args.matchAll(HEREDOC)].map((h) => h[2]!) : [];
    for (const word of ends) {
      while (i < lines.length && lines[i]!.replace(/^\t+/, '').trim() !== word) i++;
      i++;
    }
    instructions.push({ keyword, args, line: start + 1, endLine: Math.min(i, lines.length), heredoc: ends.length > 0 });
  }
  return { instructions, syntax, escape };
}
