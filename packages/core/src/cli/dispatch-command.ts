import { UsageError } from '../errors/usage-error.js';
import type { CliContext } from './run-cli.js';

/** A subcommand's body: its own arguments and the shared CLI context. */
export type CommandHandler = (argv: string[], ctx: CliContext) => Promise<number | void> | number | void;

/**
 * Runs `program <command> ...` CLIs: the first argument picks the handler; none, `help`,
 * `-h` or `--help` prints `usage` (exit 2 when nothing was given, 0 when help was asked);
 * an unknown command is a usage error naming it.
 */
export async function dispatchCommand(ctx: CliContext, commands: Readonly<Record<string, CommandHandler>>, options: { readonly name: string; readonly usage: string }): Promise<number | void> {
  const [command, ...rest] = ctx.argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    ctx.stdout.write(options.usage);
    return command === undefined ? 2 : 0;
  }
  const handler = Object.hasOwn(commands, command) ? commands[command] : undefined;
  if (!handler) {
    throw new UsageError(`unknown command "${command}" (expected one of ${Object.keys(commands).join(', ')})`, { hint: `run ${options.name} --help for the commands` });
  }
  return handler(rest, ctx);
}
