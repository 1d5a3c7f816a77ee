// Jest runs the TypeScript sources as native ESM (so ESM-only dependencies such as p-limit 7
// load), transformed by SWC. Workspace imports resolve to the sources, so tests need no build.
const swc = ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'es6' } }];
const common = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^@ops/testkit/(.*)$': '<rootDir>/packages/testkit/src/$1.ts',
    '^@ops/resilient-http/http1$': '<rootDir>/packages/resilient-http/src/http1.ts',
    '^@ops/([a-z-]+)$': '<rootDir>/packages/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  // jest-environment-node, plus testkit's clean-up at the end of each test file.
  testEnvironment: '<rootDir>/jest.environment.js',
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};

/** @type {import('jest').Config} */
export default {
  // Two cores: integration suites start real daemons, so at most two files run at once.
  maxWorkers: 2,
  // A fresh TMPDIR per run, which the teardown requires empty: tests clean up after themselves.
  globalSetup: "<rootDir>/jest.global-setup.js",
  globalTeardown: "<rootDir>/jest.global-teardown.js",
  testTimeout: 60_000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/packages/*/src/**/*.test.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/packages/*/test/**/*.int.test.ts', '<rootDir>/examples/test/**/*.int.test.ts', '<rootDir>/test/**/*.int.test.ts'] },
  ],
};
