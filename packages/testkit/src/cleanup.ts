const tasks = new Set<() => void>();
let installed = false;

/**
 * Registers a synchronous cleanup (kill a daemon, remove a directory) that runs when the test
 * process exits, even when a test failed or forgot to stop a service. Returns an unregister.
 */
export function onCleanup(task: () => void): () => void {
  if (!installed) {
    installed = true;
    process.once('exit', () => {
      for (const t of [...tasks].reverse()) {
        try {
          t();
        } catch {
          // best effort: the process is exiting anyway
        }
      }
    });
  }
  tasks.add(task);
  return () => tasks.delete(task);
}
