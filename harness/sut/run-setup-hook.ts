import { pathToFileURL } from 'node:url';
import { ConfigError, FiredrillError, errorMessage } from '../../core/index.ts';
import type { StoredCounts } from '../../core/index.ts';
import type { EstateDeclaration } from '../../core/topology/index.ts';
import type { ResourceRefs, ResourcesSpec } from './types.ts';

/** What the setup hook is called with: where the SUT lives and what firedrill made for it. */
export interface SetupContext {
  /** The emulator's endpoint (undefined: the real AWS endpoints). */
  endpoint: string | undefined;
  region: string;
  account: string;
  /** The harness estate's name prefix (`${prefix}`). */
  prefix: string;
  /** The harness estate (EstateIds). */
  estate: unknown;
  /**
   * The estate declaration the run's topology was made from (the scenario's `estate:` under the SUT file's), when
   * one was declared: names, log groups, source map, dependencies. A hook that rebuilds the topology starts from it.
   */
  declaration?: EstateDeclaration;
  /** Identifiers of the resources, by `<kind>:<name>`. */
  refs: Readonly<ResourceRefs>;
  /** The environment firedrill runs in. */
  env: Readonly<Record<string, string | undefined>>;
  /**
   * Ledger hook only: the fingerprints of the delivery requests AWS accepted (core/request-fingerprint.ts), so a SUT
   * can count a request stored twice (a retry after a lost answer) as replayed rather than as surplus events.
   */
  requests?: readonly string[];
  /** Prune hook only: what its last call returned (undefined the first time). */
  state?: unknown;
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
  const fn = await loadHook(sut, setup, 'setup hook', 'resources.setup');
  let result: unknown;
  try {
    result = await fn(ctx);
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

/** A hook's function: `export` of the module (ESM, or CommonJS through Node's interop). */
async function loadHook(sut: string, hook: { file: string; export: string }, what: string, key: string): Promise<(c: SetupContext) => unknown> {
  const where = `${hook.file}#${hook.export}`;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(hook.file).href)) as Record<string, unknown>;
  } catch (err) {
    throw new ConfigError(`SUT ${sut}: cannot load the ${what} ${where}`, { expected: 'a module that imports cleanly', seen: errorMessage(err).split('\n')[0], fix: `check ${key} (a path relative to the SUT file) and the module itself`, cause: err });
  }
  const fn = mod[hook.export] ?? (mod.default as Record<string, unknown> | undefined)?.[hook.export];
  if (typeof fn !== 'function') {
    throw new ConfigError(`SUT ${sut}: the ${what} ${where} is not a function`, { expected: `an exported function \`${hook.export}\``, seen: fn === undefined ? `exports: ${Object.keys(mod).join(', ') || 'none'}` : typeof fn, fix: 'export the function, or name the right export after #' });
  }
  return fn as (c: SetupContext) => unknown;
}

/**
 * Runs the SUT's `prune.hook` once (firedrill calls it only on an emulator it started): `state` is what its last call
 * returned (undefined the first time), and what this call returns is handed to the next.
 */
export async function runPruneHook(sut: string, hook: { file: string; export: string }, ctx: SetupContext, state: unknown): Promise<unknown> {
  const where = `${hook.file}#${hook.export}`;
  const fn = await loadHook(sut, hook, 'prune hook', 'prune.hook');
  try {
    return await fn({ ...ctx, state });
  } catch (err) {
    throw new SutSetupError(`SUT ${sut}: the prune hook ${where} failed`, { expected: 'the hook to return', seen: errorMessage(err), fix: 'see the cause; nothing is lost, the next call tries again', cause: err });
  }
}

/**
 * Runs the SUT's `ledger` hook after a drill: what the SUT took in, per source, as StoredCounts (landed,
 * normalized, quarantined, duplicates). Its shape is checked, so a wrong hook fails with what was expected.
 */
export async function runLedgerHook(sut: string, hook: { file: string; export: string }, ctx: SetupContext): Promise<StoredCounts> {
  const where = `${hook.file}#${hook.export}`;
  const fn = await loadHook(sut, hook, 'ledger hook', 'ledger');
  let result: unknown;
  try {
    result = await fn(ctx);
  } catch (err) {
    throw new SutSetupError(`SUT ${sut}: the ledger hook ${where} failed`, { expected: 'the hook to return its counts', seen: errorMessage(err), fix: 'see the cause; the hook runs against the target after the drill', cause: err });
  }
  const r = result as Partial<StoredCounts> | undefined;
  const maps = ['landed', 'normalized', 'quarantined', 'duplicates'] as const;
  if (!r || typeof r !== 'object' || maps.some((k) => typeof r[k] !== 'object' || r[k] === null)) {
    throw new ConfigError(`SUT ${sut}: the ledger hook ${where} returned no counts`, { expected: '{ landed, normalized, quarantined, duplicates } per source, rawObjects, unprocessed, notificationsQuarantined', seen: r && typeof r === 'object' ? `keys ${Object.keys(r).join(', ') || 'none'}` : typeof r, fix: 'return the counts per source (see docs/SUT.md, "ledger")' });
  }
  return { rawObjects: 0, unprocessed: [], notificationsQuarantined: 0, ...r } as StoredCounts;
}
