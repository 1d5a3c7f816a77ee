const tasks = new Set<() => void>();
let installed = false;

/**
 * Set by the repository's jest test environment (jest.environment.js): runs a task when the test
 * file's tests are done. A test file's `process` is a sandboxed copy that never emits 'exit'.
 */
const AT_FILE_END = Symbol.for('ops.testkit.atTestFileEnd');

/**
 * Registers a synchronous cleanup (kill a daemon, remove a directory) that runs when the test
 * file ends (under jest) or the process exits (a script, a benchmark), even when a test failed
 * or forgot to stop a service. Returns an unregister.
 */
export function onCleanup(task: () => void): () => void {
  if (!installed) {
    installed = true;
    const atFileEnd = (globalThis as { [AT_FILE_END]?: (task: () => void) => void })[AT_FILE_END];
    if (typeof atFileEnd === 'function') atFileEnd(runAll);
    else process.once('exit', runAll);
  }
  tasks.add(task);
  return () => tasks.delete(task);
}

function runAll(): void {
  for (const t of [...tasks].reverse()) {
    tasks.delete(t);
    try {
      t();
    } catch {
      // best effort: the file or the process is ending anyway
    }
  }
}
