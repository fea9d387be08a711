/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // NOTE: the Stripe emulator is an npm workspace (packages/stripe-emulator) with its own tests;
  // `@tierlift/stripe-emulator` resolves to its TypeScript sources here, as tsconfig.json's `paths`
  // does for typecheck and tsx, so tests never need the package built first.
  roots: ['<rootDir>/test', '<rootDir>/packages/stripe-emulator/test'],
  moduleNameMapper: {
    '^@tierlift/stripe-emulator$': '<rootDir>/packages/stripe-emulator/src/index.ts',
    '^@tierlift/node-client$': '<rootDir>/packages/node-client/src/index.ts',
  },
  testMatch: ['**/*.test.ts'],
  // NOTE: browser tests need Chromium and run apart: `npm run test:browser` (jest.browser.config.js).
  testPathIgnorePatterns: ['/node_modules/', '\\.browser\\.test\\.ts$'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFiles: ['reflect-metadata'],
  testTimeout: 60000,
  maxWorkers: 2,
};
