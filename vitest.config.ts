import { defineConfig } from 'vitest/config';

/**
 * Unit tests of pure logic sit beside the code as *.test.ts; anything that talks to the emulator is *.e2e.test.ts
 * (beside the code or under test/). The e2e project's global setup (test/global-setup.ts) starts one emulator per
 * e2e worker; a file takes its worker's with emulatorEndpoint() (test/support/emulator-endpoint.ts), so two files
 * run at once, each on an emulator of its own that it may reset(). Most of an e2e file's time is waiting (the
 * emulator's I/O, polls for the pipeline to drain), which is why two at a time pay on a 2-core machine.
 *
 * An endpoint given from outside (FIREDRILL_ENDPOINT, AWS_ENDPOINT_URL: e.g. one LocalStack) is a single emulator:
 * then the e2e files run one at a time on it, as they must for reset().
 */
const WORKERS = 2;
const givenEndpoint = Boolean(process.env.FIREDRILL_ENDPOINT || process.env.AWS_ENDPOINT_URL);

export default defineConfig({
  test: {
    reporters: ['default', ['json', { outputFile: 'reports/vitest.json' }]],
    // Units and e2e files share one pool of this many workers (vitest 4 runs projects of equal maxWorkers as one
    // group; it runs the e2e files first, longest first when it has timings), so the units fill a worker as soon as
    // the e2e files leave one free instead of running in a phase of their own.
    maxWorkers: WORKERS,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{core,formats,generators,scenarios,harness,emulator,runtime,pipeline,examples,infra,cli,test}/**/*.test.ts'],
          exclude: ['**/*.e2e.test.ts', 'node_modules/**', '.venv/**'],
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['**/*.e2e.test.ts'],
          exclude: ['node_modules/**', '.venv/**'],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          maxWorkers: givenEndpoint ? 1 : WORKERS,
        },
      },
    ],
  },
});
