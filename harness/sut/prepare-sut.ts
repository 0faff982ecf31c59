import { DescribeDeliveryStreamCommand } from '@aws-sdk/client-firehose';
import { DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { paginateListTopics } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsClients } from '../../core/aws/index.ts';
import type { EstateDeclaration } from '../../core/topology/index.ts';
import { ConfigError, errorMessage } from '../../core/index.ts';
import { createResources } from './create-resources.ts';
import { createResolver, hasReference, interpolate, type InterpolationValues, type Reference, type RefKind } from './interpolate.ts';
import { resolveSut, resolveSutResources, resolveSutTaps, type LoadedSut } from './load-sut.ts';
import type { TapSpec } from '../observe/index.ts';
import { runSetupHook } from './run-setup-hook.ts';
import type { ResourceRefs, SutSpec } from './types.ts';

export interface PrepareSutOptions {
  sut: LoadedSut;
  clients: AwsClients;
  /** The harness estate's prefix (`${prefix}`). */
  prefix: string;
  /** The harness estate (EstateIds), for `${estate:…}` and the setup hook. */
  estate?: unknown;
  /** The estate declaration of the run's topology (handed to the setup hook). */
  declaration?: EstateDeclaration;
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Create the resources and run the setup hook (default: when the SUT's mode is local). false: only look up the
   * identifiers the file refers to (a deployed SUT, or `firedrill score` reading a finished run's taps).
   */
  create?: boolean;
  log?: (line: string) => void;
}

export interface PreparedSut {
  spec: SutSpec;
  refs: ResourceRefs;
  outputs: Record<string, string>;
  account: string;
  /** What was created (empty when it all existed, or nothing was to be created). */
  created: string[];
}

/**
 * Every `${ref:<kind>:<name>}` the file uses (outside resources:, or only in the taps), with inner references
 * resolved from what is known beforehand; and the queues and topics handler triggers name.
 */
export function refsUsed(sut: LoadedSut, values: InterpolationValues, only: 'all' | 'taps' = 'all'): { kind: RefKind; name: string }[] {
  const found = new Map<string, { kind: RefKind; name: string }>();
  const known = createResolver(values);
  const record = (ref: Reference) => {
    if (ref.kind === 'ref') {
      found.set(`${ref.refKind}:${ref.name}`, { kind: ref.refKind, name: ref.name });
      return { ok: true as const, value: '' };
    }
    const r = known(ref);
    return r.ok ? r : { ok: true as const, value: '' };
  };
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      if (hasReference(v)) interpolate(v, record);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  const { resources: _r, ...rest } = sut.data;
  walk(only === 'taps' ? sut.data.findings : rest);
  // Triggers name queues and topics directly; the runtime needs their URL and ARN.
  for (const h of only === 'taps' ? [] : sut.data.handlers) {
    const q = h.trigger.sqs?.queue;
    const t = h.trigger.sns?.topic;
    const name = (s: string) => {
      const r = interpolate(s, known);
      return r.ok ? r.value : s;
    };
    if (q && !/^https?:\/\//.test(q)) found.set(`queue-url:${name(q)}`, { kind: 'queue-url', name: name(q) });
    if (t && !t.startsWith('arn:')) found.set(`topic-arn:${name(t)}`, { kind: 'topic-arn', name: name(t) });
  }
  return [...found.values()];
}

/** Looks up existing resources' identifiers by name (a deployed SUT: nothing is created). */
export async function lookupRefs(clients: AwsClients, account: string, wanted: readonly { kind: RefKind; name: string }[]): Promise<ResourceRefs> {
  const region = clients.target.region;
  const refs: ResourceRefs = {};
  let topics: string[] | undefined;
  for (const { kind, name } of wanted) {
    const key = `${kind}:${name}`;
    try {
      switch (kind) {
        case 'queue-url':
          refs[key] = (await clients.sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
          break;
        case 'queue-arn': {
          const url = (await clients.sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
          refs[key] = (await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
          break;
        }
        case 'topic-arn': {
          if (!topics) {
            topics = [];
            for await (const page of paginateListTopics({ client: clients.sns }, {})) for (const t of page.Topics ?? []) if (t.TopicArn) topics.push(t.TopicArn);
          }
          const found = topics.find((t) => t === `arn:aws:sns:${region}:${account}:${name}`) ?? topics.find((t) => t.endsWith(`:${name}`));
          if (!found) throw Object.assign(new Error(`no topic named ${name} among ${topics.length}`), { name: 'NotFound' });
          refs[key] = found;
          break;
        }
        case 'stream-arn':
          refs[key] = (await clients.kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary!.StreamARN!;
          break;
        case 'delivery-stream-arn':
          refs[key] = (await clients.firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }))).DeliveryStreamDescription!.DeliveryStreamARN!;
          break;
        case 'table':
        case 'bucket':
          refs[key] = name;
          break;
      }
    } catch (err) {
      throw new ConfigError(`the SUT refers to ${kind.replace(/-(url|arn)$/, '')} \`${name}\`, which the target does not have`, {
        expected: `\${ref:${key}} to name an existing resource (nothing is created for a deployed SUT)`,
        seen: `${(err as Error).name}: ${errorMessage(err)}`,
        fix: 'deploy the SUT first, or check the name (and the region)',
        cause: err,
      });
    }
  }
  return refs;
}

/**
 * Makes a SUT ready for a run, in the order the design gives: resolve `resources:` with what is known before
 * anything exists, create them (local mode) and run the setup hook, then resolve the whole file with the
 * identifiers and outputs learnt. A deployed SUT (or `create: false`) gets its identifiers looked up instead.
 */
export async function prepareSut(opts: PrepareSutOptions): Promise<PreparedSut> {
  const { sut, clients } = opts;
  const env = opts.env ?? process.env;
  const region = clients.target.region;
  const account = (await clients.sts.send(new GetCallerIdentityCommand({}))).Account!;
  const base = { prefix: opts.prefix, region, account, estate: opts.estate ?? {}, env };
  const create = opts.create ?? sut.data.mode === 'local';
  let refs: ResourceRefs;
  let outputs: Record<string, string> = {};
  let created: string[] = [];
  if (create) {
    const resources = resolveSutResources(sut, base);
    const made = await createResources({ clients, resources, sut: sut.data.name, account, prefix: opts.prefix, ...(opts.log ? { log: opts.log } : {}) });
    refs = made.refs;
    created = made.created;
    if (resources.setup) outputs = await runSetupHook(sut.data.name, resources.setup, { endpoint: clients.target.endpoint, region, account, prefix: opts.prefix, estate: base.estate, ...(opts.declaration ? { declaration: opts.declaration } : {}), refs, env });
  } else {
    refs = await lookupRefs(clients, account, refsUsed(sut, base));
  }
  const spec = resolveSut(sut, { ...base, refs, outputs });
  return { spec, refs, outputs, account, created };
}

/**
 * The taps of a SUT that already ran (its resources exist on the target): for reading its findings after the
 * fact (`firedrill score --findings <sut file>`). Nothing is created, no hook runs, handlers are not resolved.
 */
export async function prepareSutTaps(opts: Omit<PrepareSutOptions, 'create' | 'log'>): Promise<{ findings: TapSpec[]; matching: SutSpec['matching']; account: string }> {
  const { sut, clients } = opts;
  const account = (await clients.sts.send(new GetCallerIdentityCommand({}))).Account!;
  const base = { prefix: opts.prefix, region: clients.target.region, account, estate: opts.estate ?? {}, env: opts.env ?? process.env };
  const refs = await lookupRefs(clients, account, refsUsed(sut, base, 'taps'));
  return { ...resolveSutTaps(sut, { ...base, refs }), account };
}
