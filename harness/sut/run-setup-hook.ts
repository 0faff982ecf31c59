import { pathToFileURL } from 'node:url';
import { ConfigError, FiredrillError, errorMessage } from '../../core/index.ts';
import type { ResourceRefs, ResourcesSpec } from './types.ts';

/** What the setup hook is called with: where the SUT lives and what firedrill made for it. */
export interface SetupContext {
  /** The emulator's endpoint (undefined: the real AWS endpoints). */
  endpoint: string | undefined;
  region: string;
  account: string;
  /** The harness estate (EstateIds). */
  estate: unknown;
  /** Identifiers of the resources, by `<kind>:<name>`. */
  refs: Readonly<ResourceRefs>;
  /** The environment firedrill runs in. */
  env: Readonly<Record<string, string | undefined>>;
}

/** The setup hook failed: the SUT could not be prepared. */
export class SutSetupError extends FiredrillError {}

/**
 * Runs the SUT's `resources.setup` hook once, after its resources exist: `export` of the module (ESM, or CommonJS
 * through Node's interop; TypeScript where a loader for it is registered, as the CLI does), called with the
 * context. What it returns (an object of strings, numbers or booleans; nothing is an empty one) becomes
 * `${output:<name>}` for the rest of the SUT file.
 */
export async function runSetupHook(sut: string, setup: NonNullable<ResourcesSpec['setup']>, ctx: SetupContext): Promise<Record<string, string>> {
  const where = `${setup.file}#${setup.export}`;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(setup.file).href)) as Record<string, unknown>;
  } catch (err) {
    throw new ConfigError(`SUT ${sut}: cannot load the setup hook ${where}`, { expected: 'a module that imports cleanly', seen: errorMessage(err).split('\n')[0], fix: 'check resources.setup (a path relative to the SUT file) and the module itself', cause: err });
  }
  const fn = mod[setup.export] ?? (mod.default as Record<string, unknown> | undefined)?.[setup.export];
  if (typeof fn !== 'function') {
    throw new ConfigError(`SUT ${sut}: the setup hook ${where} is not a function`, { expected: `an exported function \`${setup.export}\``, seen: fn === undefined ? `exports: ${Object.keys(mod).join(', ') || 'none'}` : typeof fn, fix: 'export the function, or name the right export after #' });
  }
  let result: unknown;
  try {
    result = await (fn as (c: SetupContext) => unknown)(ctx);
  } catch (err) {
    throw new SutSetupError(`SUT ${sut}: the setup hook ${where} failed`, { expected: 'the hook to return', seen: errorMessage(err), fix: 'see the cause; the hook runs against the target with the refs it is given', cause: err });
  }
  if (result === undefined || result === null) return {};
  if (typeof result !== 'object' || Array.isArray(result)) throw new ConfigError(`SUT ${sut}: the setup hook ${where} returned ${Array.isArray(result) ? 'a list' : typeof result}`, { expected: 'an object of outputs ({ name: value }) or nothing' });
  const outputs: Record<string, string> = {};
  for (const [k, v] of Object.entries(result)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') outputs[k] = String(v);
    else throw new ConfigError(`SUT ${sut}: the setup hook ${where} returned a non-scalar output \`${k}\``, { expected: 'strings, numbers or booleans (they are interpolated into strings)', seen: typeof v, fix: `return ${k} as a string (JSON.stringify it if it must be structured)` });
  }
  return outputs;
}
