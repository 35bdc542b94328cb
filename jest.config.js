/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // Type checking is done once by `tsc --noEmit` in `npm test`; ts-jest only transpiles here.
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 60000,
  // Checks that need shellcheck or kubectl say so at the end when those are missing (test/support/tools.ts).
  globalSetup: '<rootDir>/test/support/not-run-setup.js',
  reporters: ['default', '<rootDir>/test/support/not-run-reporter.js'],
};
