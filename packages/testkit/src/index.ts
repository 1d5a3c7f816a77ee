export { ensureDebianPackages, TEST_DEBIAN_PACKAGES } from './debian-packages.js';
export { freePort } from './free-port.js';
export { makeTempDir } from './temp-dir.js';
export { onCleanup } from './cleanup.js';
export { waitFor, canConnect, type WaitForOptions } from './wait-for.js';
export { startServiceProcess, type ServiceProcess, type ServiceProcessOptions } from './service-process.js';
export { which, requireCommand } from './which.js';
