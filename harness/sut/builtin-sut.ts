import { fileURLToPath } from 'node:url';

/**
 * firedrill's own reference pipeline as a SUT file (`--sut builtin`, the default): a path, not an import — the
 * harness reaches the pipeline only through the SUT contract, as it reaches any other.
 */
export const BUILTIN_SUT_FILE = fileURLToPath(new URL('../../pipeline/firedrill.sut.yaml', import.meta.url));

/** `builtin` (or nothing) is firedrill's own pipeline; anything else is a SUT file's path. */
export function sutFileOf(sut: string | undefined): string {
  return sut === undefined || sut === '' || sut === 'builtin' ? BUILTIN_SUT_FILE : sut;
}
