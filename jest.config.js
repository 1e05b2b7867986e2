/** Jest in ESM mode (run with --experimental-vm-modules, see package.json "test"). */
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.test.json', diagnostics: { warnOnly: false } }],
  },
  setupFilesAfterEnv: ['<rootDir>/test/helpers/cleanup.ts'],
  testTimeout: 60000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/jest.summary-reporter.js'],
};
