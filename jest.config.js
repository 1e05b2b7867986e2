/**
 * Jest in ESM mode (run with --experimental-vm-modules, see package.json "test").
 *
 * `npm test` runs every test file. `npm run test:unit` (ATMOS_ACTION_TEST_SCOPE=unit) runs the
 * fast ones alone: it leaves out the integration tests listed here, those that run terraform, the
 * bundle in dist/, a git server, moto's AWS emulator, or child processes racing on locks (compiled from src/ first). In
 * that scope each of those fails at once, naming this list (test/helpers/unit-scope.ts and the
 * helpers that start them), so a test cannot land in the wrong set unnoticed.
 */
import process from 'node:process';

const INTEGRATION_TESTS = [
  'test/action-start.test.ts',
  'test/action.test.ts',
  'test/app/describe-affected.test.ts',
  'test/app/grouped-logs.test.ts',
  'test/app/project.test.ts',
  'test/cli-errors.test.ts',
  'test/cli-first-contact.test.ts',
  'test/cli-lazy-sdks.test.ts',
  'test/cli.test.ts',
  'test/e2e/',
  'test/lock/lock.test.ts',
  'test/pipeline/matrix-credentials.test.ts',
  'test/providers/cli-config.test.ts',
  'test/providers/provider-cache.test.ts',
  'test/providers/shared-cache-race.test.ts',
  'test/providers/store-field.test.ts',
  'test/providers/store-run.test.ts',
  'test/providers/store.test.ts',
  'test/providers/testprov-terraform.test.ts',
  'test/run/',
  'test/semantics/include-hcl.test.ts',
  'test/stores/',
  'test/terraform/generate.test.ts',
  'test/terraform/plan-result.test.ts',
  'test/terraform/run-instance.test.ts',
  'test/workdir/clean-locks.test.ts',
  'test/workdir/concurrency.test.ts',
  'test/workdir/git-deadline.test.ts',
  'test/workdir/hostile-source.test.ts',
  'test/workdir/local-source.test.ts',
  'test/workdir/remote.test.ts',
  'test/workdir/vendor-hint.test.ts',
];
const unitOnly = process.env.ATMOS_ACTION_TEST_SCOPE === 'unit';

export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', ...(unitOnly ? INTEGRATION_TESTS.map((p) => `<rootDir>/${p}`) : [])],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.test.json', diagnostics: { warnOnly: false } }],
  },
  setupFiles: unitOnly ? ['<rootDir>/test/helpers/unit-scope.ts'] : [],
  setupFilesAfterEnv: ['<rootDir>/test/helpers/cleanup.ts'],
  testTimeout: 60000,
  // One more worker than the 2 cores CI has: the integration tests spend much of their time waiting
  // on child processes (terraform, the bundle, git), and with 2 workers the cores sat idle for a
  // sixth of the run. Measured on 2 cores: 2 workers 2m46, 3 workers 2m17, 4 workers 2m25.
  maxWorkers: 3,
  reporters: ['default', '<rootDir>/jest.summary-reporter.js'],
};
