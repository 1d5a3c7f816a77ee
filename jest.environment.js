// The Node test environment, plus the end of a test file as a moment to clean up: testkit's
// onCleanup() (temp dirs, daemons a test did not stop) registers here. A test file runs in a
// sandbox whose `process` is a copy that never emits 'exit', so an exit handler registered by a
// test never runs; teardown() does, after the file's own afterAll hooks, pass or fail.
import { TestEnvironment } from 'jest-environment-node';

/** The global a test file's testkit finds: `(task: () => void) => void`, run at the end of the file. */
export const AT_FILE_END = Symbol.for('ops.testkit.atTestFileEnd');

export default class OpsTestEnvironment extends TestEnvironment {
  #tasks = [];

  constructor(config, context) {
    super(config, context);
    this.global[AT_FILE_END] = (task) => this.#tasks.push(task);
  }

  async teardown() {
    for (const task of this.#tasks.splice(0).reverse()) {
      try {
        await task();
      } catch (error) {
        console.error(`testkit cleanup at the end of a test file failed: ${error?.stack ?? error}`);
      }
    }
    await super.teardown();
  }
}
