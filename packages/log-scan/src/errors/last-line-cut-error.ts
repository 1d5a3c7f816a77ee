import { ExitCode, OpsError } from '@ops/core';

/**
 * A source's last line has no newline and ends inside its address (the file was cut while being
 * written or copied): the line is not counted, it is in `skippedLines`. Exit code 3.
 */
export class LastLineCutError extends OpsError<'LOG_SCAN_LAST_LINE_CUT'> {
  readonly source: string;
  /** The byte the uncounted line starts at. */
  readonly byteOffset: number;

  constructor(source: string, byteOffset: number, bytes: number) {
    super('LOG_SCAN_LAST_LINE_CUT', `${source}: the last line (${bytes} bytes at byte ${byteOffset}) has no newline and ends inside its address, which may be cut; it was not counted`, {
      hint: 'scan again once the line is complete (the writer may still be writing it)',
      context: { source, byteOffset, bytes },
      exitCode: ExitCode.ENVIRONMENT,
    });
    this.source = source;
    this.byteOffset = byteOffset;
  }
}
