import { Readable } from 'node:stream';
import { resumablePump, type BodyProgress, type BodyPump, type ResumeInput } from './resumable-body.js';

/**
 * The body of a 200 answer as a Readable that survives cuts (see `resumablePump`). The pump starts
 * at the first read, so nothing fails before the consumer listens.
 */
export function resumableBody(input: ResumeInput): { body: Readable; progress: () => BodyProgress; pump: BodyPump } {
  const pump = resumablePump(input);
  let started = false;
  let wake: (() => void) | undefined;
  const body = new Readable({
    highWaterMark: 64 * 1024,
    read() {
      if (!started) {
        started = true;
        pump
          .run((chunk) => {
            if (body.destroyed) throw new Error('the body was destroyed');
            // undici's chunks are fresh buffers, so they can be handed on as they are.
            if (!body.push(chunk)) return new Promise<void>((resolve) => (wake = resolve));
          })
          .then(
            () => body.push(null),
            (error: unknown) => body.destroy(error as Error),
          );
      }
      const w = wake;
      wake = undefined;
      w?.();
    },
    destroy(error, callback) {
      pump.stop(error ?? new Error('the body was destroyed'));
      wake?.();
      callback(error);
    },
  });
  return { body, progress: pump.progress, pump };
}
