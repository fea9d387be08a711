/**
 * The emulator's own tests: `npm test --workspace @tierlift/stripe-emulator` (the root `npm test`
 * runs them too). They need no database; jest and ts-jest come from the workspace root.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }] },
  testTimeout: 60000,
};
