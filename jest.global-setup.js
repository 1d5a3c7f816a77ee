// Installs the Debian packages of the integration suites once, before the workers start, so two
// workers do not both run apt. Needs the testkit built (`pnpm test` builds first).
export default async function globalSetup() {
  let testkit;
  try {
    testkit = await import('./packages/testkit/dist/debian-packages.js');
  } catch {
    throw new Error('packages/testkit is not built: run `pnpm build` first (pnpm test does)');
  }
  await testkit.ensureDebianPackages(testkit.TEST_DEBIAN_PACKAGES);
}
