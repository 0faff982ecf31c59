import type { TestProject } from 'vitest/node';
// Only the emulator runtime, not emulator/index.ts: the bootstrap pulls in every AWS SDK client, which
// costs seconds per project graph and is not needed to start a server.
import { startEmulator, type EmulatorHandle } from '../emulator/start-emulator.ts';

declare module 'vitest' {
  interface ProvidedContext {
    /** Base URL of the one emulator of this vitest run (moto server unless FIREDRILL_ENDPOINT says otherwise). */
    emulatorEndpoint: string;
    /** How it was obtained: 'endpoint' (given), 'moto' (started from .venv) or 'container'. */
    emulatorKind: string;
  }
}

// vitest runs this file once per project (each in its own module graph), so the shared emulator lives on
// globalThis: the first project starts it, the others reuse it, the last teardown stops it.
const KEY = Symbol.for('firedrill.vitest.emulator');
interface Shared {
  handle: Promise<EmulatorHandle>;
  users: number;
}
const g = globalThis as typeof globalThis & { [KEY]?: Shared };

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const shared = (g[KEY] ??= { handle: startEmulator(), users: 0 });
  shared.users++;
  const emulator = await shared.handle;
  project.provide('emulatorEndpoint', emulator.endpoint);
  project.provide('emulatorKind', emulator.kind);
  return async () => {
    if (--shared.users > 0) return;
    delete g[KEY];
    await emulator.stop();
  };
}
