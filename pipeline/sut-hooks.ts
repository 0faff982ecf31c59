import { PutSubscriptionFilterCommand, paginateDescribeSubscriptionFilters } from '@aws-sdk/client-cloudwatch-logs';
import { createAwsClients } from '../core/aws/index.ts';
import { ConfigError, type StoredCounts } from '../core/index.ts';
import { defaultTopology, type EstateDeclaration, type EstateIds, type Topology } from '../core/topology/index.ts';
import { deployPlaybooks } from './remediate/index.ts';
import { FeedbackStore, pruneConsumedRaw, pruneDetectedCurated, readStoredCounts, type CuratedPruneCursor, type PruneCursor } from './store/index.ts';
import type { FeedbackEntry } from './detect/index.ts';

/**
 * The hooks `firedrill.sut.yaml` names for the reference pipeline: what a deployment of it does besides creating
 * the resources its file declares (subscribe every log group of the estate to its Firehose stream, deploy the Step
 * Functions playbooks, store verdicts carried over from an earlier run), and the read back of what it took in, for
 * the delivery ledger. firedrill calls them through the SUT contract, by path, as it would any SUT's hooks. Both
 * follow the declared estate (the scenario's and the SUT file's `estate:`), never only the default names.
 */

/** What firedrill hands a SUT's hooks (harness/sut's SetupContext, as this side sees it). */
export interface HookContext {
  endpoint: string | undefined;
  region: string;
  account: string;
  prefix: string;
  estate: unknown;
  /** The estate declaration the run's topology was made from (absent: the defaults). */
  declaration?: EstateDeclaration;
  /** Identifiers of the resources firedrill created from the SUT file, by `<kind>:<name>`. */
  refs?: Readonly<Record<string, string>>;
  env?: Readonly<Record<string, string | undefined>>;
  /** Ledger hook: fingerprints of the delivery requests AWS accepted (a request stored twice is replayed). */
  requests?: readonly string[];
  /** Prune hook: what its last call returned. */
  state?: unknown;
}

/**
 * The topology the pipeline runs on: the declared estate (the context's `declaration`, or the `declaration` JSON a
 * drill puts beside the estate's ids), with the run's prefix and region.
 */
export function hookTopology(ctx: Pick<HookContext, 'prefix' | 'region' | 'declaration'> & { estate?: unknown }): Topology {
  const declared = (ctx.estate as { declaration?: unknown } | undefined)?.declaration;
  const fromEstate = typeof declared === 'string' && declared !== '' ? (JSON.parse(declared) as EstateDeclaration) : {};
  return defaultTopology({ ...fromEstate, ...ctx.declaration, prefix: ctx.prefix, region: ctx.region });
}

/**
 * The estate with the plumbing's identifiers filled in from what firedrill created for this SUT file (the harness
 * bootstraps the estate only: its queue URLs and topic ARN are empty until then).
 */
export function withPlumbing(estate: EstateIds, topology: Topology, refs: Readonly<Record<string, string>>): EstateIds {
  const p = topology.pipeline;
  const ref = (kind: string, name: string, current: string) => refs[`${kind}:${name}`] ?? current;
  return {
    ...estate,
    buckets: { ...estate.buckets, raw: p.rawBucket, curated: p.curatedBucket, state: p.stateBucket, accessLogs: p.accessLogBucket },
    queues: {
      rawEvents: ref('queue-url', p.rawEventsQueue, estate.queues.rawEvents),
      rawEventsDlq: ref('queue-url', p.rawEventsDlq, estate.queues.rawEventsDlq),
      alerts: ref('queue-url', p.alertsQueue, estate.queues.alerts),
      alertsDlq: ref('queue-url', p.alertsDlq, estate.queues.alertsDlq),
    },
    alertsTopicArn: ref('topic-arn', p.alertsTopic, estate.alertsTopicArn),
    findingsTable: p.findingsTable,
    auditTable: p.auditTable,
    deliveryStreams: { cwl: p.cwlDeliveryStream, waf: p.wafDeliveryStream },
  };
}

function estateOf(ctx: HookContext): EstateIds {
  const e = ctx.estate as Partial<EstateIds> | undefined;
  if (!e?.roles || !e.auditTable) {
    throw new ConfigError('the builtin pipeline needs the harness estate', { expected: "the estate's identifiers (bootstrap's EstateIds)", seen: e ? `keys ${Object.keys(e).join(', ')}` : 'none', fix: 'run it through firedrill run/detect, which bootstraps the estate first' });
  }
  return e as EstateIds;
}

/**
 * Every log group of the estate sends its events to the pipeline's Firehose stream, as the deployment's
 * subscription filters do (idempotent). Per group because the groups are the declared estate's, not a fixed list.
 */
async function subscribeLogGroups(clients: ReturnType<typeof createAwsClients>, topology: Topology, estate: EstateIds, refs: Readonly<Record<string, string>>): Promise<void> {
  const p = topology.pipeline;
  const destinationArn = refs[`delivery-stream-arn:${p.cwlDeliveryStream}`] ?? `arn:aws:firehose:${estate.region}:${estate.accountId}:deliverystream/${p.cwlDeliveryStream}`;
  const roleArn = estate.roles.cwlToFirehose;
  // The groups are independent: all at once, as a drill's setup waits on them (two calls each).
  await Promise.all(
    p.logGroups.map(async (g) => {
      let present = false;
      for await (const page of paginateDescribeSubscriptionFilters({ client: clients.logs }, { logGroupName: g.name })) {
        if (page.subscriptionFilters?.some((f) => f.filterName === p.subscriptionFilterName && f.destinationArn === destinationArn)) present = true;
      }
      // An empty pattern forwards every event.
      if (!present) await clients.logs.send(new PutSubscriptionFilterCommand({ logGroupName: g.name, filterName: p.subscriptionFilterName, filterPattern: '', destinationArn, ...(roleArn ? { roleArn } : {}) }));
    }),
  );
}

/** Verdicts of an earlier run (FIREDRILL_FEEDBACK, JSON), stored beside the detector state before it first runs. */
async function storeFeedback(clients: ReturnType<typeof createAwsClients>, topology: Topology, json: string | undefined): Promise<void> {
  if (!json) return;
  let entries: unknown;
  try {
    entries = JSON.parse(json);
  } catch (err) {
    throw new ConfigError('FIREDRILL_FEEDBACK is not JSON', { expected: 'a JSON array of verdicts (firedrill feedback)', seen: json.slice(0, 80), fix: 'pass the verdicts as runDrill({ feedback })', cause: err });
  }
  if (!Array.isArray(entries)) throw new ConfigError('FIREDRILL_FEEDBACK is not an array', { expected: 'a JSON array of verdicts', seen: typeof entries, fix: 'pass the verdicts as runDrill({ feedback })' });
  const store = new FeedbackStore(clients.s3, topology.pipeline.stateBucket);
  for (const e of entries as FeedbackEntry[]) await store.add(e);
}

/**
 * `resources.setup`: subscribes the estate's log groups to the Firehose stream and deploys the playbooks (one state
 * machine each). Returns what the dispatcher's environment needs: the state machines and the estate (JSON). The
 * handlers get the estate declaration as `${estate:declaration}`.
 */
export async function setup(ctx: HookContext): Promise<Record<string, string>> {
  const topology = hookTopology(ctx);
  const refs = ctx.refs ?? {};
  const estate = withPlumbing(estateOf(ctx), topology, refs);
  const clients = createAwsClients({ ...(ctx.endpoint ? { endpoint: ctx.endpoint } : {}), region: ctx.region });
  try {
    await subscribeLogGroups(clients, topology, estate, refs);
    const playbooks = await deployPlaybooks(clients, topology, estate);
    await storeFeedback(clients, topology, ctx.env?.FIREDRILL_FEEDBACK);
    return { stateMachines: JSON.stringify(playbooks.arns), estate: JSON.stringify(estate) };
  } finally {
    clients.destroy();
  }
}

/** `ledger`: what the pipeline took in, per source (landed raw, normalized, quarantined, duplicates), read back from S3. */
export async function storedCounts(ctx: HookContext): Promise<StoredCounts> {
  const clients = createAwsClients({ ...(ctx.endpoint ? { endpoint: ctx.endpoint } : {}), region: ctx.region });
  try {
    return await readStoredCounts(clients.s3, hookTopology(ctx), ctx.requests ? { requests: [...ctx.requests] } : {});
  } finally {
    clients.destroy();
  }
}

/** Where the prune hook's next call starts: in the normalizer's batch manifests, and in the detector's progress. */
export interface PruneState {
  raw?: PruneCursor;
  curated?: CuratedPruneCursor;
  /**
   * Raw objects this call found finished with and removed: what waited for it. firedrill holds its sending while
   * this is above the SUT file's `prune.maxBacklog`, so the raw objects waiting for this hook stay bounded by that.
   * Curated objects are not counted: they wait for the detector's next window, which the sending moves on.
   */
  backlog: number;
}

/**
 * `prune.hook` (firedrill calls it only on an emulator it started itself): removes the raw objects the normalizer has
 * finished with and the curated objects the detector has finished with (older than its state's last window end),
 * each after recording what they held where storedCounts reads it, so the ledger is unchanged. Its state is where
 * the next call starts.
 */
export async function pruneConsumed(ctx: HookContext): Promise<PruneState> {
  const clients = createAwsClients({ ...(ctx.endpoint ? { endpoint: ctx.endpoint } : {}), region: ctx.region });
  const state = (ctx.state ?? {}) as PruneState;
  const topology = hookTopology(ctx);
  try {
    const raw = await pruneConsumedRaw(clients.s3, topology, state.raw);
    const curated = (await pruneDetectedCurated(clients.s3, topology, state.curated)).cursor;
    return { raw: raw.cursor, curated, backlog: raw.removed };
  } finally {
    clients.destroy();
  }
}
