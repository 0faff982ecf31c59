export * from './errors.ts';
export { ensureVenv, venvStatus, venvPaths, MOTO_VERSION, MOTO_REQUIREMENT, REPO_ROOT } from './venv.ts';
export type { VenvPaths, VenvStatus, EnsureVenvOptions } from './venv.ts';
export { startEmulator, EMULATOR_STRATEGIES } from './start-emulator.ts';
export type { EmulatorHandle, EmulatorStrategy, StartEmulatorOptions, StrategyFailure } from './start-emulator.ts';
export { MOTO_CONFIG, probeEndpoint, configureMoto, resetMoto } from './moto-api.ts';
export { freePort, isPortFree } from './moto-process.ts';
