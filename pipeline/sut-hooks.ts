import { GetBucketNotificationConfigurationCommand, PutBucketNotificationConfigurationCommand } from '@aws-sdk/client-s3';
import { createAwsClients } from '../core/aws/index.ts';
import { ConfigError, type StoredCounts } from '../core/index.ts';
import { defaultTopology, type EstateDeclaration, type EstateIds, type Topology } from '../core/topology/index.ts';
import { deployPlaybooks } from './remediate/index.ts';
import { FeedbackStore, pruneConsumedRaw, readStoredCounts, type PruneCursor } from './store/index.ts';
import type { FeedbackEntry } from './detect/index.ts';

/**
 * The hooks `firedrill.sut.yaml` names for the reference pipeline: what a deployment of it does besides creating
 * resources (deploy the Step Functions playbooks, wire the access-log bucket to the raw-events queue, store verdicts carried over
 * from an earlier run), and the read
 * back of what it took in, for the delivery ledger. firedrill calls them through the SUT contract, by path, as it
 * would any SUT's hooks.
 */

/** What firedrill hands a SUT's hooks (harness/sut's SetupContext, as this side sees it). */
export interface HookContext {
  endpoint: string | undefined;
  region: string;
  account: string;
  prefix: string;
  estate: unknown;
  env?: Readonly<Record<string, string | undefined>>;
  /** Ledger hook: fingerprints of the delivery requests AWS accepted (a request stored twice is replayed). */
  requests?: readonly string[];
  /** Prune hook: what its last call returned. */
  state?: unknown;
}

/** The builtin topology on the drill's declared estate (`declaration`, JSON, beside the estate's ids), when it has one. */
function topologyOf(ctx: HookContext): Topology {
  const declared = (ctx.estate as { declaration?: unknown } | undefined)?.declaration;
  const decl = typeof declared === 'string' && declared !== '' ? (JSON.parse(declared) as EstateDeclaration) : {};
  return defaultTopology({ prefix: ctx.prefix, region: ctx.region, ...decl });
}

function estateOf(ctx: HookContext): EstateIds {
  const e = ctx.estate as Partial<EstateIds> | undefined;
  if (!e?.roles || !e.auditTable) {
    throw new ConfigError('the builtin pipeline needs the harness estate', { expected: "the estate's identifiers (bootstrap's EstateIds)", seen: e ? `keys ${Object.keys(e).join(', ')}` : 'none', fix: 'run it through firedrill run/detect, which bootstraps the estate first' });
  }
  return e as EstateIds;
}

/**
 * S3 server access logs land in their own bucket, as AWS log delivery writes them; the normalizer learns of them
 * through the raw-events queue like of every raw object (idempotent: an existing configuration is kept).
 */
async function wireAccessLogs(clients: ReturnType<typeof createAwsClients>, topology: Topology, estate: EstateIds): Promise<void> {
  const bucket = topology.pipeline.accessLogBucket;
  const queueArn = `arn:aws:sqs:${estate.region}:${estate.accountId}:${topology.pipeline.rawEventsQueue}`;
  const current = await clients.s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
  if ((current.QueueConfigurations ?? []).some((q) => q.QueueArn === queueArn)) return;
  const { $metadata: _m, ...config } = current;
  await clients.s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: bucket,
      NotificationConfiguration: { ...config, QueueConfigurations: [...(current.QueueConfigurations ?? []), { Id: `${topology.prefix}-access-logs-created`, QueueArn: queueArn, Events: ['s3:ObjectCreated:*'] }] },
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
 * `resources.setup`: deploys the playbooks (one state machine each) and wires the access-log bucket. Returns what
 * the dispatcher's environment needs: the state machines and the estate, as JSON.
 */
export async function setup(ctx: HookContext): Promise<Record<string, string>> {
  const topology = topologyOf(ctx);
  const estate = estateOf(ctx);
  const clients = createAwsClients({ ...(ctx.endpoint ? { endpoint: ctx.endpoint } : {}), region: ctx.region });
  try {
    await wireAccessLogs(clients, topology, estate);
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
    return await readStoredCounts(clients.s3, topologyOf(ctx), ctx.requests ? { requests: [...ctx.requests] } : {});
  } finally {
    clients.destroy();
  }
}

/**
 * `prune.hook` (firedrill calls it only on an emulator it started itself): removes the raw objects the normalizer has
 * finished with, after recording what they held where storedCounts reads it, so the ledger is unchanged. Its state
 * is where the next call starts in the normalizer's batch manifests.
 */
export async function pruneConsumed(ctx: HookContext): Promise<PruneCursor> {
  const clients = createAwsClients({ ...(ctx.endpoint ? { endpoint: ctx.endpoint } : {}), region: ctx.region });
  try {
    return (await pruneConsumedRaw(clients.s3, topologyOf(ctx), ctx.state as PruneCursor | undefined)).cursor;
  } finally {
    clients.destroy();
  }
}
