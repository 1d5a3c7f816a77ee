import type { Writable } from 'node:stream';
import { ExitCode } from '../errors/exit-codes.js';
import { formatErrorLine, stripCwd } from '../errors/error-message.js';
import { isOpsError } from '../errors/ops-error.js';
import { UsageError } from '../errors/usage-error.js';
import { createLogger, type Logger } from '../log/create-logger.js';
import { extractCommonFlags, type CommonFlags } from './common-flags.js';

export interface CliContext {
  /** Arguments after the common flags were taken out. */
  readonly argv: string[];
  readonly flags: CommonFlags;
  readonly logger: Logger;
  /** Aborted on SIGINT or SIGTERM: pass it to every I/O call. */
  readonly signal: AbortSignal;
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: Writable & { isTTY?: boolean };
}

/** A CLI's body: returns its exit code (undefined means 0) or throws. */
export type CliMain = (ctx: CliContext) => Promise<number | void> | number | void;

export interface RunCliOptions {
  /** Program name, added to every log line as `cli`. */
  readonly name: string;
  /** Defaults to `process.argv.slice(2)`. */
  readonly argv?: readonly string[];
  readonly stdout?: Writable & { isTTY?: boolean };
  readonly stderr?: Writable & { isTTY?: boolean };
  /** Install signal and unhandled-rejection handlers and exit the process. Defaults to true. */
  readonly exit?: boolean;
  /**
   * The program's version, printed on stdout by `--version` / `-V` (exit 0, `main` not run). A
   * function is called only then, so reading it (`readPackageVersion()`) costs other runs
   * nothing. Defaults to none: `--version` is then a usage error.
   */
  readonly version?: string | (() => string);
}

const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };
// The status SIGPIPE gives other tools (128 + 13) when their reader stops early (`| head`).
const BROKEN_PIPE_EXIT = 141;

/**
 * Runs a CLI body with the shared plumbing: common flags, a logger, SIGINT/SIGTERM as an
 * AbortSignal (a second signal exits at once), an `OpsError` mapped to its exit code with one
 * clear line on stderr, unexpected errors and unhandled rejections exiting non-zero, a closed
 * stdout (`| head`) ending the work quietly with 141.
 * Resolves to the exit code; with `exit` (the default) the process exits with it.
 */
export async function runCli(main: CliMain, options: RunCliOptions): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const manageProcess = options.exit ?? true;
  const controller = new AbortController();
  let signalled: string | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    if (signalled) process.exit(SIGNAL_EXIT[sig] ?? 1);
    signalled = sig;
    controller.abort(new Error(`received ${sig}`));
  };
  const onRejection = (reason: unknown) => {
    stderr.write(`${options.name}: ${formatErrorLine(reason)}\n`);
    process.exit(ExitCode.PROBLEM);
  };
  // The event loop emptied while main was still pending: its promise can never settle.
  const onBeforeExit = () => {
    stderr.write(`${options.name}: unexpected error: stopped with work unfinished (a promise that never settles; this is a bug)\n`);
    process.exit(ExitCode.PROBLEM);
  };
  // The reader of stdout went away (`| head`): stop the work and leave quietly, as SIGPIPE
  // stops other tools (an unhandled EPIPE would print a stack trace).
  let brokenPipe = false;
  stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    brokenPipe = true;
    controller.abort(new Error('stdout was closed by its reader'));
    if (manageProcess) process.exit(BROKEN_PIPE_EXIT);
  });
  if (manageProcess) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    process.on('unhandledRejection', onRejection);
    process.on('beforeExit', onBeforeExit);
  }

  let code: number;
  let logger: Logger | undefined;
  try {
    const { flags, rest } = extractCommonFlags(options.argv ?? process.argv.slice(2));
    if (flags.version) {
      stdout.write(`${versionOf(options)}\n`);
      code = ExitCode.OK;
    } else {
      logger = createLogger({ level: flags.logLevel, format: flags.logFormat, stream: stderr, context: { cli: options.name } });
      const result = await main({ argv: rest, flags, logger, signal: controller.signal, stdout, stderr });
      code = typeof result === 'number' ? result : ExitCode.OK;
    }
  } catch (error) {
    if (brokenPipe) return BROKEN_PIPE_EXIT;
    if (signalled && (!isOpsError(error) || error.code === 'ABORTED')) code = SIGNAL_EXIT[signalled] ?? 1;
    else code = isOpsError(error) ? error.exitCode : ExitCode.PROBLEM;
    // A library that rejects with the abort reason itself was interrupted, not broken.
    const interrupted = signalled !== undefined && !isOpsError(error) && error === controller.signal.reason;
    stderr.write(`${options.name}: ${interrupted ? `interrupted by ${signalled}: stopped before the work was done` : formatErrorLine(error)}\n`);
    if (!interrupted && !isOpsError(error) && error instanceof Error && error.stack) logger?.debug('stack', { stack: stripCwd(error.stack) });
  } finally {
    if (manageProcess) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.off('beforeExit', onBeforeExit);
    }
  }
  if (brokenPipe) code = BROKEN_PIPE_EXIT;
  if (manageProcess) {
    process.exitCode = code;
    // Let pending writes flush, then leave even if a library left a handle open.
    await new Promise<void>((resolve) => stdout.write('', () => resolve()));
    process.exit(code);
  }
  return code;
}

function versionOf(options: RunCliOptions): string {
  const { version } = options;
  if (version === undefined) throw new UsageError(`\`--version\`: ${options.name} does not declare its version`, { hint: 'its runCli() call needs a `version` option' });
  return typeof version === 'function' ? version() : version;
}
