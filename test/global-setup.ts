import type { TestProject } from 'vitest/node';
// Only the emulator runtime, not emulator/index.ts: the bootstrap pulls in every AWS SDK client, which
// costs seconds per project graph and is not needed to start a server.
import { startEmulator, type EmulatorHandle } from '../emulator/start-emulator.ts';

declare module 'vitest' {
  interface ProvidedContext {
    /**
     * One emulator per e2e worker, in worker order (moto servers unless FIREDRILL_ENDPOINT says otherwise). Files
     * take theirs with test/support/emulator-endpoint.ts: there is no single shared endpoint any more, since two
     * files on one emulator would wipe each other's state with reset().
     */
    emulatorEndpoints: string[];
    /** How they were obtained: 'endpoint' (given), 'moto' (started from .venv) or 'container'. */
    emulatorKind: string;
  }
}

/**
 * The e2e project's global setup: starts as many emulators as the project has workers, before any file runs, and
 * stops them after the last. Why here rather than lazily in each worker: vitest starts a fresh worker process per
 * file (isolate), so a worker's own emulator would cost a moto start per file and die with a killed worker; started
 * here, the cost is paid once (the starts overlap) and the teardown runs even when a worker crashes.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const count = Math.max(1, project.config.maxWorkers);
  const started = await Promise.allSettled(Array.from({ length: count }, () => startEmulator()));
  const emulators = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const stop = async () => void (await Promise.all(emulators.map((e: EmulatorHandle) => e.stop())));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  const endpoints = emulators.map((e) => e.endpoint);
  if (new Set(endpoints).size < endpoints.length) {
    await stop();
    throw new Error(`the ${count} e2e workers got the same emulator (${endpoints[0]}): expected one emulator each; seen an endpoint given from outside (FIREDRILL_ENDPOINT / AWS_ENDPOINT_URL) with maxWorkers ${count}; fix: vitest.config.ts runs e2e files one at a time when an endpoint is given — keep it so`);
  }
  project.provide('emulatorEndpoints', endpoints);
  project.provide('emulatorKind', emulators[0]!.kind);
  return stop;
}
