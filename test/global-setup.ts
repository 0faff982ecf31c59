import type { TestProject } from 'vitest/node';
import { startEmulator, type EmulatorHandle } from '../localstack/index.ts';

declare module 'vitest' {
  interface ProvidedContext {
    /** Base URL of the one emulator of this vitest run (moto server unless FIREDRILL_ENDPOINT says otherwise). */
    emulatorEndpoint: string;
    /** How it was obtained: 'endpoint' (given), 'moto' (started from .venv) or 'container'. */
    emulatorKind: string;
  }
}

let emulator: EmulatorHandle | undefined;

/**
 * One emulator for the whole run, shared by the unit and e2e projects (vitest runs a project's global setup
 * once per project, so the second call reuses the first emulator). e2e files run one at a time and reset() it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  emulator ??= await startEmulator();
  project.provide('emulatorEndpoint', emulator.endpoint);
  project.provide('emulatorKind', emulator.kind);
  return async () => {
    const e = emulator;
    emulator = undefined;
    await e?.stop();
  };
}
