/**
 * Browser tests: the real service in local mode (embedded PostgreSQL + Stripe emulator) driven by
 * Debian's Chromium through playwright-core. Separate from `npm test`, which needs no browser;
 * `.ci/run` installs Chromium and runs these with `npm run test:browser`.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/browser'],
  testMatch: ['**/*.browser.test.ts'],
  moduleNameMapper: { '^@tierlift/stripe-emulator$': '<rootDir>/packages/stripe-emulator/src/index.ts' },
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'test/browser/tsconfig.json' }] },
  globalSetup: '<rootDir>/test/browser/support/browser-global-setup.ts',
  setupFiles: ['reflect-metadata'],
  testTimeout: 240000,
  // NOTE: each file starts its own service with its own embedded PostgreSQL; two at once fill 2 cores.
  maxWorkers: 1,
};
