// Runs once after every test file: fails the run when the run's TMPDIR (jest.global-setup.js) is
// not empty, naming what was left there, and removes it either way.
import { runTmpDir } from './jest.run-tmpdir.js';

export default async function globalTeardown() {
  const left = runTmpDir.remove();
  if (left.length > 0) {
    throw new Error(`The tests left ${left.length} item(s) in their temporary directory (TMPDIR): every test must remove what it creates (testkit's makeTempDir() is removed at the end of its test file; mkdtemp() needs an afterAll or a finally):\n${left.map((name) => `  ${name}`).join('\n')}`);
  }
}
