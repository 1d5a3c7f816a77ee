/** How the CLI writes its log: plain text, GitHub Actions workflow commands, or JSON lines. */
export type LogMode = 'text' | 'github' | 'json';

/**
 * Takes `--log-format github` out of argv (the shared flag parser knows json, pretty and auto) and
 * resolves the mode: `json` only when asked; `github` when asked or, with `auto`, under GitHub
 * Actions (`GITHUB_ACTIONS=true`); plain text otherwise (`pretty` too).
 */
export function resolveLogMode(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): { mode: LogMode; argv: string[] } {
  const rest: string[] = [];
  let asked: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (arg === '--log-format' && argv[i + 1] !== undefined) {
      asked = argv[i + 1];
      if (asked === 'github') {
        i++;
        continue;
      }
    } else if (arg.startsWith('--log-format=')) {
      asked = arg.slice('--log-format='.length);
      if (asked === 'github') continue;
    }
    rest.push(arg);
  }
  const mode: LogMode = asked === 'json' ? 'json' : asked === 'github' || ((asked === undefined || asked === 'auto') && env.GITHUB_ACTIONS === 'true') ? 'github' : 'text';
  return { mode, argv: rest };
}
