import type { EventEmitter } from 'node:events';

/**
 * Resolves when a writable that refused a write (`write()` returned false) can take more: its
 * `drain`, or its `close` (nothing more will be taken; the writer sees it is destroyed).
 */
export function drained(writable: EventEmitter): Promise<void> {
  return new Promise((resume) => {
    const go = () => {
      writable.off('drain', go);
      writable.off('close', go);
      resume();
    };
    writable.on('drain', go);
    writable.on('close', go);
  });
}
