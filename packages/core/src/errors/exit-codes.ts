/** Exit codes shared by every ops CLI (see DESIGN.md). */
export const ExitCode = {
  /** The job ran and everything is fine. */
  OK: 0,
  /** The job ran and found a problem: unreachable hosts, invalid config, failed build. */
  PROBLEM: 1,
  /** Usage error: bad flags, bad or unreadable input file. */
  USAGE: 2,
  /** Environment or dependency failure: daemon, registry, broker or bucket unreachable. */
  ENVIRONMENT: 3,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
