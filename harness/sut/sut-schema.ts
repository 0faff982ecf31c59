import { z } from 'zod';
import { SOURCES } from '../../core/index.ts';
import { estateSchema } from '../../scenarios/index.ts';

/**
 * The SUT file (`firedrill.sut.yaml`): the system under test as firedrill sees it — where it delivers, what
 * it creates on a throwaway emulator, which handlers it runs as Lambda would, where the findings appear and how
 * to read them. Every object is strict (an unknown key is an error with a "did you mean"). String values may use
 * `${…}` references (harness/sut/interpolate.ts); they are checked here for syntax and resolved at bootstrap.
 * Rules across fields (exactly one trigger, handler syntax per runtime, names that must be declared) are in
 * sut-checks.ts; the JSON Schema cannot express them, `firedrill sut validate` checks them.
 */

const DURATION_RE = /^\d+(?:\.\d+)?(?:ms|s|m|h)$/;
const NAME_RE = /^[a-z0-9][a-z0-9-]{0,62}$/;
const HANDLER_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
export const RATE_RE = /^rate\(\s*\d+\s+(?:minute|minutes|hour|hours|day|days)\s*\)$/;
export const CRON_RE = /^cron\(\s*\S+(?:\s+\S+){5}\s*\)$/;

const duration = z
  .string({ error: 'a duration such as 500ms, 30s or 5m' })
  .regex(DURATION_RE, { error: 'a duration such as 500ms, 30s or 5m (a number followed by ms, s, m or h)' })
  .meta({ description: 'A duration: a number followed by ms, s, m or h.' });

/** A name of something on AWS (a queue, a table, a log group); may use `${…}` references. */
const awsName = (what: string) => z.string({ error: `the name of ${what}` }).min(1, { error: `the name of ${what} (not empty)` }).meta({ description: `The name of ${what}; may use \${…} references.` });
const names = (what: string) => z.array(awsName(what)).default([]);
/** An optional count (1 or more) with its description: the schema's bounds and backlogs. */
const optionalCount = (description: string) => z.int().min(1).optional().meta({ description });

const sourceName = z.enum(SOURCES, { error: 'a log source' });

const entry = z
  .strictObject({
    logGroups: z
      .partialRecord(sourceName, z.array(awsName('a log group')).min(1, { error: 'at least one log group' }))
      .optional()
      .meta({ description: 'Log source → CloudWatch Logs groups firedrill writes to (PutLogEvents). A source with several groups gets its streams split over them.' }),
    firehose: z.partialRecord(sourceName, awsName('a Firehose delivery stream')).optional().meta({ description: 'Sources delivered straight to a Firehose delivery stream (PutRecordBatch).' }),
    kinesis: z
      .partialRecord(sourceName, awsName('a Kinesis data stream'))
      .optional()
      .meta({ description: 'Sources put on a Kinesis data stream (PutRecords), each record the gzip CloudWatch Logs subscription envelope.' }),
    buckets: z
      .partialRecord(sourceName, z.strictObject({ bucket: awsName('a bucket'), prefix: z.string().default('') }))
      .optional()
      .meta({ description: 'File-shaped logs written as S3 objects under bucket/prefix.' }),
  })
  .meta({
    description:
      "Where firedrill delivers logs. Each key is optional; a source not named here goes where the estate sends it: its log groups, S3 access logs to the access-log bucket, WAF to the Firehose stream `aws-waf-logs-<prefix>` (refused as an unknown destination when the SUT has none).",
  });

const table = z.strictObject({
  name: awsName('a DynamoDB table'),
  hashKey: z.string().min(1).meta({ description: 'Partition key attribute (a string).' }),
  rangeKey: z.string().min(1).optional().meta({ description: 'Sort key attribute (a string).' }),
});

const queue = z.strictObject({
  name: awsName('an SQS queue'),
  dlq: awsName('a dead-letter queue').optional().meta({ description: 'Dead-letter queue (created when not declared); messages move there after maxReceiveCount receives.' }),
  maxReceiveCount: z.int().min(1).max(1000).default(3),
  visibilityTimeout: z.int().min(0).max(43_200).default(30).meta({ description: 'Seconds.' }),
});

const topic = z.strictObject({
  name: awsName('an SNS topic'),
  subscribe: z.array(awsName('a declared queue')).default([]).meta({ description: 'Queues (declared under resources.queues) subscribed to the topic (raw message delivery off, as SNS → SQS by default).' }),
});

const stream = z.strictObject({ name: awsName('a Kinesis data stream'), shards: z.int().min(1).max(16).default(1) });

const deliveryStream = z.strictObject({
  name: awsName('a Firehose delivery stream'),
  bucket: awsName('a declared bucket'),
  prefix: z.string().default(''),
});

const subscription = z.strictObject({
  logGroup: awsName('a log group'),
  destination: z
    .string({ error: '`kinesis:<stream>` or `firehose:<delivery stream>`' })
    .regex(/^(?:kinesis|firehose):.+$/, { error: '`kinesis:<stream>` or `firehose:<delivery stream>` (a handler fed by a log group uses trigger.logs instead)' }),
  filterPattern: z.string().default(''),
  name: z.string().min(1).optional().meta({ description: 'Subscription filter name (default firedrill-<destination name>).' }),
});

const notification = z.strictObject({
  bucket: awsName('a declared bucket'),
  prefix: z.string().default(''),
  suffix: z.string().optional(),
  queue: awsName('a declared queue'),
});

const resources = z
  .strictObject({
    buckets: names('an S3 bucket'),
    tables: z.array(table).default([]).meta({ description: 'String keys, PAY_PER_REQUEST.' }),
    queues: z.array(queue).default([]),
    topics: z.array(topic).default([]),
    streams: z.array(stream).default([]),
    deliveryStreams: z.array(deliveryStream).default([]).meta({ description: 'Firehose → S3 (DirectPut).' }),
    subscriptions: z.array(subscription).default([]).meta({ description: 'CloudWatch Logs subscription filters (the log group is created when missing).' }),
    notifications: z.array(notification).default([]).meta({ description: 'S3 ObjectCreated → SQS.' }),
    setup: z
      .string()
      .regex(/^.+#[A-Za-z_$][\w$]*$/, { error: '`<file>#<export>`, e.g. ./setup.ts#setup' })
      .optional()
      .meta({ description: 'A Node hook run once after the resources: `<file relative to this file>#<export>`, called with { endpoint, region, account, estate, refs, env }; what it returns is ${output:<name>}.' }),
  })
  .meta({ description: 'Created by firedrill in local mode before a drill (idempotent; tagged firedrill:managed=true). Nothing is created in deployed mode.' });

const schedule = z.union([
  z.string().meta({ description: 'rate(5 minutes) or cron(0/5 * * * ? *), as EventBridge writes them.' }),
  z.strictObject({
    expression: z.string(),
    coalesce: z.int().min(1).max(60).default(1).meta({ description: 'Fire once per N due times (the handler catches up on the windows itself).' }),
    drain: duration
      .optional()
      .meta({ description: "How long past the drill's last event the schedule keeps firing (event time), so the handler's last windows close (default one minute)." }),
    lateness: duration
      .optional()
      .meta({
        description:
          "How far behind an occurrence's time the handler reads (event time), e.g. a detector that closes a window a minute after it ends. Declared, and only where a drill prunes (prune, on a moto firedrill started), the schedule also fires while firedrill delivers, up to the delivery watermark: the oldest event not yet answered by the target, minus this (the schedules fire together: every one must declare a lateness, the longest applies); otherwise it fires after delivery only.",
      }),
  }),
]);

const trigger = z
  .strictObject({
    schedule: schedule.optional(),
    sqs: z
      .strictObject({
        queue: awsName('an SQS queue'),
        batchSize: z.int().min(1).max(10_000).default(10),
        batchWindow: duration.default('0s'),
        concurrency: z.int().min(1).max(64).default(1),
        reportBatchItemFailures: z.boolean().default(false),
        maxBacklog: optionalCount('Local runs: the drill holds its delivery while more than this many messages wait in the queue, so what the sinks outrun this handler by does not pile up on the target; every event is still delivered, in order, and the drill runs on event time.'),
      })
      .optional(),
    kinesis: z
      .strictObject({
        stream: awsName('a Kinesis data stream'),
        batchSize: z.int().min(1).max(10_000).default(100),
        startingPosition: z.enum(['TRIM_HORIZON', 'LATEST']).default('TRIM_HORIZON'),
        bisectOnError: z.boolean().default(false),
      })
      .optional(),
    logs: z
      .strictObject({ logGroup: awsName('a log group'), filterPattern: z.string().default('') })
      .optional()
      .meta({ description: 'A CloudWatch Logs subscription to this function (event: awslogs.data, base64 gzip of the DATA_MESSAGE envelope).' }),
    sns: z.strictObject({ topic: awsName('an SNS topic') }).optional(),
  })
  .meta({ description: 'Exactly one of schedule, sqs, kinesis, logs, sns.' });

const handler = z.strictObject({
  name: z.string().regex(HANDLER_NAME_RE, { error: 'a function name: letters, digits, - and _ (at most 64 characters)' }),
  runtime: z.enum(['python', 'node'], { error: 'a handler runtime' }),
  handler: z.string().min(1).meta({ description: 'python: module.function; node: <file relative to code>#<export> (ESM, or CommonJS).' }),
  code: z.string().min(1).default('.').meta({ description: 'Directory holding the code, relative to this file (python path root; node base directory).' }),
  requirements: z.string().min(1).optional().meta({ description: 'python: a requirements file, relative to this file; installed into a venv per SUT on first use.' }),
  environment: z.record(z.string(), z.string()).default({}).meta({ description: 'Environment variables (interpolated), on top of the AWS_* variables firedrill sets.' }),
  timeout: duration.default('3s').meta({ description: "As Lambda's: an invocation over it fails (and is retried per the trigger's rules)." }),
  memoryMb: z.int().min(128).max(10_240).default(128).meta({ description: 'Informative (REPORT lines).' }),
  provisionedConcurrency: z
    .int()
    .min(0)
    .default(0)
    .meta({
      description:
        "As Lambda's provisioned concurrency: environments initialized before the first event. 0 (default): the first invocation starts one, a cold start it waits for (Init Duration on its REPORT line). A Node handler runs in one environment, so any value above 0 starts it at once; a Python handler starts that many of its processes (at most its trigger's concurrency).",
    }),
  trigger,
});

/** JMESPath expressions over the tap's raw finding; each overrides the preset's. */
const map = z
  .strictObject({
    id: z.string().optional().meta({ description: "A stable id of the finding (default: the tap's own: item key, message id, object key and line …)." }),
    claimedTime: z.string().optional().meta({ description: 'The event time the SUT states for the finding (epoch ms, epoch seconds or ISO 8601).' }),
    firstSeen: z.string().optional().meta({ description: 'Start of the event-time span the finding covers, when it states one.' }),
    lastSeen: z.string().optional().meta({ description: 'End of the event-time span the finding covers, when it states one.' }),
    entities: z.string().optional().meta({ description: 'What the finding is about: a list of strings, or an object whose values are taken.' }),
    kind: z.string().optional().meta({ description: "The finding's kind; used for scoring when it is one of firedrill's finding kinds, never required." }),
    rootCause: z.string().optional().meta({ description: 'The root-cause chain, root first (a string or a list).' }),
    text: z.string().optional().meta({ description: 'A human summary (default: the raw finding as compact JSON).' }),
    explanation: z.string().optional().meta({ description: "The SUT's root-cause explanation of the finding, when it attaches one (scored: does it name the root entity?)." }),
    failureClass: z.string().optional().meta({ description: "The failure class the SUT names (scored against firedrill's failure classes for the incident kind)." }),
    observedAt: z
      .never({ error: 'no observedAt mapping: observedAt is the wall time firedrill first saw the finding, set by firedrill; map the time the SUT states to claimedTime' })
      .optional(),
  })
  .meta({ description: 'JMESPath expressions evaluated against the raw finding.' });

const tap = z
  .strictObject({
    name: z.string().min(1).optional().meta({ description: 'A label for reports (default `<tap>:<what it reads>`).' }),
    dynamodb: z.strictObject({ table: awsName('a DynamoDB table') }).optional().meta({ description: 'New and changed items (Scan, paginated), unmarshalled to plain JSON.' }),
    sns: z.strictObject({ topic: awsName('an SNS topic') }).optional().meta({ description: "Messages on the topic, through a queue of firedrill's own subscribed to it (the SUT's subscriptions are left untouched)." }),
    sqs: z
      .strictObject({ queue: awsName('an SQS queue') })
      .optional()
      .meta({ description: 'Messages on the queue, received and deleted: declare only queues nothing else consumes.' }),
    eventbridge: z
      .strictObject({
        bus: z.string().min(1).default('default'),
        pattern: z.record(z.string(), z.unknown()).default({ source: [{ prefix: '' }] }).meta({ description: 'An EventBridge event pattern (default: every event on the bus).' }),
      })
      .optional()
      .meta({ description: "Events on the bus, through a rule of firedrill's own targeting a queue of its own." }),
    s3: z
      .strictObject({
        bucket: awsName('an S3 bucket'),
        prefix: z.string().default(''),
        format: z.enum(['json', 'jsonl', 'csv']).default('json').meta({ description: 'json: one finding per object (a top-level list: one per element); jsonl: one per line; csv: one per row, keyed by the header.' }),
      })
      .optional(),
    logs: z
      .strictObject({ logGroup: awsName('a log group'), filterPattern: z.string().default('') })
      .optional()
      .meta({ description: "Lines of a log group (FilterLogEvents with the pattern): a finding is { message, timestamp, logStream }." }),
    securityhub: z
      .strictObject({ filters: z.record(z.string(), z.unknown()).optional().meta({ description: 'GetFindings Filters (AWS applies them; moto ignores them).' }) })
      .optional()
      .meta({ description: 'Security Hub findings (GetFindings), in ASFF; use preset asff.' }),
    returns: z.strictObject({ handler: z.string().min(1) }).optional().meta({ description: "A handler's return values (local mode only); a returned list gives one finding per element." }),
    preset: z.enum(['firedrill', 'asff', 'none']).default('none').meta({ description: "firedrill: firedrill's own Finding; asff: AWS Security Finding Format; none: map or raw only." }),
    map: map.default({}),
  })
  .meta({ description: 'Exactly one of dynamodb, sns, sqs, eventbridge, s3, logs, securityhub, returns; plus preset and map.' });

export const TAP_TYPES = ['dynamodb', 'sns', 'sqs', 'eventbridge', 's3', 'logs', 'securityhub', 'returns'] as const;
export type TapType = (typeof TAP_TYPES)[number];
export const TRIGGER_TYPES = ['schedule', 'sqs', 'kinesis', 'logs', 'sns'] as const;
export type TriggerType = (typeof TRIGGER_TYPES)[number];

/** The SUT file as written (strings unresolved), defaults applied. */
export const sutObjectSchema = z
  .strictObject({
    name: z.string({ error: 'a SUT name' }).regex(NAME_RE, { error: 'a name of lowercase letters, digits and dashes (at most 63 characters)' }),
    description: z.string().optional(),
    mode: z
      .enum(['local', 'deployed'])
      .default('local')
      .meta({ description: 'local: firedrill creates the resources and runs the handlers; deployed: it only delivers and observes.' }),
    estate: estateSchema
      .optional()
      .meta({ description: "The estate the SUT works on (a scenario's `estate:`, the same keys): names, log groups, source map, dependencies. Over the scenario's: the SUT says what its pipeline really has." }),
    entry: entry.default({}),
    resources: resources.default({ buckets: [], tables: [], queues: [], topics: [], streams: [], deliveryStreams: [], subscriptions: [], notifications: [] }),
    handlers: z.array(handler).default([]),
    findings: z.array(tap).min(1, { error: 'at least one finding tap (where the SUT’s findings appear)' }),
    ledger: z
      .string()
      .regex(/^.+#[A-Za-z_$][\w$]*$/, { error: '`<file>#<export>`, e.g. ./ledger.ts#storedCounts' })
      .optional()
      .meta({
        description:
          'A Node hook that reads back what the SUT took in, per source (landed, normalized, quarantined, duplicates), called like resources.setup after the drill; with it the delivery ledger balances end to end, without it the ledger covers delivery only.',
      }),
    prune: z
      .strictObject({
        hook: z
          .string()
          .regex(/^.+#[A-Za-z_$][\w$]*$/, { error: '`<file>#<export>`, e.g. ./hooks.ts#pruneConsumed' })
          .optional()
          .meta({
            description:
              'A Node hook that removes what the SUT has consumed (e.g. raw objects it has normalized) and records what it removed so its ledger hook still counts it; called every few seconds while firedrill delivers and once when the SUT has drained, with the context of resources.setup plus `state`, what its last call returned.',
          }),
        logStreamsAfter: optionalCount("Delete a log stream firedrill writes once it holds this many events (a new one takes its place): for a SUT that reads its log groups only through subscriptions, which have the events already."),
        maxBacklog: optionalCount("Hold the delivery while the hook's last call found more than this many things waiting to be removed (the `backlog` count it returns beside its state), so what waits for a hook slower than the SUT is bounded by this, not by the events; every event is still delivered, in order."),
      })
      .optional()
      .meta({
        description:
          "Only on an emulator firedrill started itself (never AWS, never an endpoint given to it): keep the emulator's memory from growing with the events, without changing what is measured.",
      }),
    remediation: z
      .strictObject({
        stateMachines: z.array(z.string().min(1)).default([]).meta({ description: 'Executions of these state machines (names, `*` matching any characters, or ARNs) count as "remediation executed".' }),
        functions: z.array(z.string().min(1)).default([]).meta({ description: 'Invocations of these handlers count likewise.' }),
      })
      .default({ stateMachines: [], functions: [] }),
    settle: duration
      .optional()
      .meta({
        description:
          "How long the taps keep being read after delivery ends (and the schedules, and firedrill's handlers are idle), for findings the SUT makes on its own time: default 0 in local mode (firedrill knows when its handlers are done), 60s in deployed mode (it cannot).",
      }),
    matching: z
      .strictObject({
        skew: duration.default('60s').meta({ description: 'How far before an incident a finding may be placed and still be its own.' }),
        grace: duration.default('5m').meta({ description: "How long after an incident's end its findings still count." }),
      })
      .default({ skew: '60s', grace: '5m' }),
  })
  .meta({ description: 'A system under test: entry points, resources, handlers, finding taps and mapping.' });

export type SutFileData = z.output<typeof sutObjectSchema>;
export type SutFileInput = z.input<typeof sutObjectSchema>;
export type TapData = SutFileData['findings'][number];
export type HandlerData = SutFileData['handlers'][number];
export type MapData = TapData['map'];
