import { inject } from 'vitest';

/**
 * The emulator of the vitest worker running this file. test/global-setup.ts starts one emulator per e2e worker and
 * provides their endpoints in order; vitest numbers its workers 1..maxWorkers (VITEST_POOL_ID) and never gives one
 * number to two files that run at the same time, so a file has its emulator to itself and may reset() it. Call it
 * anywhere in an e2e file (top level or a hook).
 */
export function emulatorEndpoint(): string {
  const endpoints = inject('emulatorEndpoints');
  const poolId = Number(process.env.VITEST_POOL_ID);
  const endpoint = Number.isInteger(poolId) && poolId >= 1 ? endpoints?.[poolId - 1] : undefined;
  if (endpoint === undefined) {
    throw new Error(
      `no emulator for this vitest worker: expected VITEST_POOL_ID between 1 and ${endpoints?.length ?? 0} (one emulator per e2e worker), ` +
        `seen VITEST_POOL_ID=${process.env.VITEST_POOL_ID ?? '(unset)'}; fix: run e2e files through the e2e project of vitest.config.ts, whose maxWorkers ` +
        'says how many emulators test/global-setup.ts starts',
    );
  }
  return endpoint;
}
