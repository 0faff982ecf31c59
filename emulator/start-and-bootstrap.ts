import { defaultTopology } from '../core/topology/index.ts';
import type { EstateIds, Topology } from '../core/topology/index.ts';
import { createAwsClients, type AwsClients } from '../core/aws/index.ts';
import type { TargetCapabilities } from '../core/index.ts';
import { bootstrapInThread } from './run-in-thread.ts';
import { detectCapabilities } from './target-capabilities.ts';
import { assertEndpointAnswers, resetEmulatorAt, startEmulator, type EmulatorHandle, type StartEmulatorOptions } from './start-emulator.ts';

export interface LiveEstate extends AsyncDisposable {
  /** The emulator's URL; undefined on real AWS (target `aws` without an endpoint). */
  endpoint: string | undefined;
  /** The emulator this call started; undefined when it was handed an endpoint. */
  emulator: EmulatorHandle | undefined;
  clients: AwsClients;
  topology: Topology;
  ids: EstateIds;
  /** What the target has; bootstrap left out the estate resources of the services it lacks. */
  capabilities: TargetCapabilities;
  /** Closes the clients and stops the emulator if this call started it. */
  stop(): Promise<void>;
}

export interface StartAndBootstrapOptions {
  /** Use this running emulator (e.g. an e2e test's emulator) instead of starting one. */
  endpoint?: string;
  /**
   * `aws`: real AWS when no endpoint is given (the SDK's own endpoints and credential chain; nothing is started).
   * Default `emulator`: without an endpoint, an emulator is started.
   */
  target?: 'emulator' | 'aws';
  /** Wipe the emulator first (default false). Never applies to real AWS. */
  reset?: boolean;
  /** Default: defaultTopology() with FIREDRILL_PREFIX and AWS_REGION from the environment. */
  topology?: Topology;
  emulator?: StartEmulatorOptions;
  /** Default: asked of the target (LocalStack's health API; moto and AWS have every service). */
  capabilities?: TargetCapabilities;
  log?: (line: string) => void;
}

/** defaultTopology() honouring FIREDRILL_PREFIX and AWS_REGION. */
export function topologyFromEnv(env: NodeJS.ProcessEnv = process.env): Topology {
  return defaultTopology({ prefix: env.FIREDRILL_PREFIX || undefined, region: env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined });
}

/** An emulator (started, or the one given) with the topology's estate bootstrapped on it (no pipeline plumbing). Use with `await using`. */
export async function startAndBootstrap(opts: StartAndBootstrapOptions = {}): Promise<LiveEstate> {
  // A given endpoint is checked before anything else, so a dead one fails in seconds with the reason.
  if (opts.endpoint) await assertEndpointAnswers(opts.endpoint);
  const emulator = opts.endpoint || opts.target === 'aws' ? undefined : await startEmulator(opts.emulator);
  // undefined only on real AWS: createAwsClients then uses the SDK's endpoints.
  const endpoint = opts.endpoint ?? emulator?.endpoint;
  const topology = opts.topology ?? topologyFromEnv();
  const clients = createAwsClients({ endpoint, region: topology.region });
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      clients.destroy();
      await emulator?.stop();
    })());
  try {
    if (opts.reset && endpoint) await (emulator ? emulator.reset() : resetEmulatorAt(endpoint));
    const capabilities = opts.capabilities ?? (await detectCapabilities(endpoint, emulator?.flavor));
    // In a thread of its own: the estate's services' SDK packages go when it ends (see runInThread).
    const ids = await bootstrapInThread({ endpoint, region: topology.region }, topology, { capabilities, ...(opts.log ? { log: opts.log } : {}) });
    return { endpoint, emulator, clients, topology, ids, capabilities, stop, [Symbol.asyncDispose]: stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Runs `fn` against a bootstrapped emulator and always stops what it started. */
export async function withEmulator<T>(fn: (estate: LiveEstate) => Promise<T>, opts: StartAndBootstrapOptions = {}): Promise<T> {
  await using estate = await startAndBootstrap(opts);
  return fn(estate);
}
