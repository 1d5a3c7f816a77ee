// Runs once before the workers start (they inherit its environment):
// - installs the Debian packages of the integration suites, so two workers do not both run apt
//   (needs the testkit built: `pnpm test` builds first);
// - points TMPDIR at a fresh directory of this run, which jest.global-teardown.js checks is empty
//   at the end: a test (or a CLI it runs) that leaves a temporary file behind fails the run.
import { runTmpDir } from './jest.run-tmpdir.js';

export default async function globalSetup() {
  let testkit;
  try {
    testkit = await import('./packages/testkit/dist/debian-packages.js');
  } catch {
    throw new Error('packages/testkit is not built: run `pnpm build` first (pnpm test does)');
  }
  await testkit.ensureDebianPackages(testkit.TEST_DEBIAN_PACKAGES);
  runTmpDir.create();
}
