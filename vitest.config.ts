import { defineConfig } from 'vitest/config';

/**
 * Two projects share one emulator per run: test/global-setup.ts starts it once and `provide`s its
 * endpoint; tests `inject('emulatorEndpoint')`. Unit tests of pure logic sit beside the code as
 * *.test.ts; anything that talks to the emulator is *.e2e.test.ts (beside the code or under test/).
 */
export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    reporters: ['default', ['json', { outputFile: 'reports/vitest.json' }]],
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
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // The emulator is one shared process: e2e files run one at a time so each can reset() it.
          fileParallelism: false,
        },
      },
    ],
  },
});
