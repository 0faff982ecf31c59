import type { AwsClients } from '../../core/aws/index.ts';
import { FiredrillError } from '../../core/index.ts';
import type { EstateIds, Topology } from '../../core/topology/index.ts';
import { bootstrap, startAndBootstrap, type BootstrapOptions, type LiveEstate, type StartAndBootstrapOptions } from '../../emulator/index.ts';
import { BUILTIN_SUT_FILE } from './builtin-sut.ts';
import { loadSutFile } from './load-sut.ts';
import { prepareSut, type PreparedSut } from './prepare-sut.ts';

export interface BuiltinPlumbingOptions {
  log?: (line: string) => void;
  /** The environment the setup hook sees (default process.env; e.g. FIREDRILL_FEEDBACK). */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The builtin pipeline's plumbing (queues, topic, tables, Firehose streams, bucket notifications, subscription
 * filters, playbooks) on an estate bootstrap already made, created from its SUT file exactly as a drill creates it:
 * one source for what the pipeline needs. Returns the estate with the plumbing's identifiers filled in (the setup
 * hook's `estate` output) and what the SUT file prepared.
 */
export async function addBuiltinPlumbing(clients: AwsClients, topology: Topology, estate: EstateIds, opts: BuiltinPlumbingOptions = {}): Promise<{ ids: EstateIds; prepared: PreparedSut }> {
  const sut = await loadSutFile(BUILTIN_SUT_FILE);
  const prepared = await prepareSut({
    sut,
    clients,
    prefix: topology.prefix,
    // `${estate:declaration}`, as a drill hands it over.
    estate: { ...estate, declaration: JSON.stringify(topology.declaration ?? {}) },
    ...(topology.declaration ? { declaration: topology.declaration } : {}),
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.log ? { log: opts.log } : {}),
    create: true,
  });
  const filled = prepared.outputs.estate;
  if (!filled) {
    throw new FiredrillError("the builtin SUT's setup hook returned no estate", {
      expected: 'an `estate` output (the estate with the plumbing identifiers filled in)',
      seen: `outputs ${Object.keys(prepared.outputs).join(', ') || 'none'}`,
      fix: "keep pipeline/firedrill.sut.yaml's setup hook returning `estate`",
    });
  }
  return { ids: JSON.parse(filled) as EstateIds, prepared };
}

/** bootstrap() of the estate, then the builtin pipeline's plumbing from its SUT file: for callers that drive its parts directly. */
export async function bootstrapWithBuiltin(clients: AwsClients, topology: Topology, opts: BootstrapOptions & BuiltinPlumbingOptions = {}): Promise<EstateIds> {
  const { env, ...bootstrapOpts } = opts;
  const estate = await bootstrap(clients, topology, bootstrapOpts);
  return (await addBuiltinPlumbing(clients, topology, estate, { ...(env ? { env } : {}), ...(opts.log ? { log: opts.log } : {}) })).ids;
}

/**
 * startAndBootstrap() with the builtin pipeline's plumbing added from its SUT file (`firedrill up`, `ingest` and
 * `load` without `--sut`, tests and benches that drive the pipeline's parts). Use with `await using`.
 */
export async function startWithBuiltin(opts: StartAndBootstrapOptions & BuiltinPlumbingOptions = {}): Promise<LiveEstate & { prepared: PreparedSut }> {
  const { env, ...startOpts } = opts;
  const live = await startAndBootstrap(startOpts);
  try {
    const { ids, prepared } = await addBuiltinPlumbing(live.clients, live.topology, live.ids, { ...(env ? { env } : {}), ...(opts.log ? { log: opts.log } : {}) });
    return { ...live, ids, prepared };
  } catch (err) {
    await live.stop();
    throw err;
  }
}
