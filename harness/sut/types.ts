import type { SourceName } from '../../core/index.ts';
import type { EstateDeclaration } from '../../core/topology/index.ts';
import type { TapSpec } from '../observe/index.ts';

/**
 * A SUT file resolved for one run: every `${…}` reference replaced, paths absolute, durations in ms. This is
 * what the harness hands the runtime (handlers), the deliver side (entry points) and the taps (findings).
 */
export interface SutSpec {
  name: string;
  description?: string;
  mode: 'local' | 'deployed';
  /** The SUT file, absolute; relative paths in it were resolved against its directory. */
  file: string;
  /** The estate the SUT declares (names, log groups, source map, dependencies), resolved; see topologyOf(scenario, sut.estate). */
  estate?: EstateDeclaration;
  entry: EntrySpec;
  resources: ResourcesSpec;
  /** The handlers firedrill runs (local mode; none in deployed mode, where the SUT runs its own). */
  handlers: HandlerDecl[];
  findings: TapSpec[];
  remediation: { stateMachines: string[]; functions: string[] };
  matching: MatchingSpec;
  /** How long the taps keep being read after delivery and the handlers' idle (ms): the SUT's own time to finish. */
  settleMs: number;
  /** The ledger hook (absolute module path and export): what the SUT took in, read back after a drill. */
  ledger?: { file: string; export: string };
  /** What may be removed from a throwaway emulator once the SUT has consumed it (never on AWS). */
  prune?: { hook?: { file: string; export: string }; logStreamsAfter?: number; maxBacklog?: number };
}

/** Where firedrill delivers; a source not named goes where the builtin topology sends it. */
export interface EntrySpec {
  logGroups: Partial<Record<SourceName, string[]>>;
  firehose: Partial<Record<SourceName, string>>;
  kinesis: Partial<Record<SourceName, string>>;
  buckets: Partial<Record<SourceName, { bucket: string; prefix: string }>>;
}

export interface MatchingSpec {
  /** How far before an incident's onset a finding may be placed and still be its own (ms). */
  skewMs: number;
  /** How long after an incident's end its findings still count (ms). */
  graceMs: number;
}

export interface ResourcesSpec {
  buckets: string[];
  tables: { name: string; hashKey: string; rangeKey?: string }[];
  queues: { name: string; dlq?: string; maxReceiveCount: number; visibilityTimeout: number }[];
  topics: { name: string; subscribe: string[] }[];
  streams: { name: string; shards: number }[];
  deliveryStreams: { name: string; bucket: string; prefix: string }[];
  subscriptions: { logGroup: string; destination: { type: 'kinesis' | 'firehose'; name: string }; filterPattern: string; name?: string }[];
  notifications: { bucket: string; prefix: string; suffix?: string; queue: string }[];
  /** The setup hook: an absolute module path and the export to call. */
  setup?: { file: string; export: string };
}

/**
 * A function the target cannot run itself, in the shape the local runtime takes (runtime/'s HandlerSpec: the
 * runtime is SUT-agnostic and gets these with every identifier resolved, never a SUT file).
 */
export type HandlerDecl = NodeHandlerDecl | PythonHandlerDecl;

interface HandlerDeclBase {
  /** The Lambda function name (unique). */
  name: string;
  /** The SUT's own variables (resolved); the runtime adds AWS_* and AWS_LAMBDA_* itself. */
  environment: Record<string, string>;
  timeoutMs: number;
  memoryMb: number;
  /** Environments started before the first event (0: on the first invocation, a cold start). */
  provisionedConcurrency: number;
  trigger: TriggerDecl;
}

/** `export` of the module `file` (absolute; ESM or CommonJS). */
export interface NodeHandlerDecl extends HandlerDeclBase {
  runtime: 'node';
  entry: { file: string; export: string };
}

/** `module.function` with `codeDir` (absolute) on the path, in a venv made from `requirements`, named after `owner` (the SUT). */
export interface PythonHandlerDecl extends HandlerDeclBase {
  runtime: 'python';
  entry: { codeDir: string; handler: string };
  python: { requirements?: string; owner: string };
}

/** Triggers with identifiers resolved: a queue's URL, a topic's ARN. */
export type TriggerDecl =
  /** EventBridge syntax: rate(…) or cron(…); fired on the event-time ticker (wall time with `load`). */
  | { type: 'schedule'; expression: string; coalesce: number; drainMs?: number; latenessMs?: number }
  | { type: 'sqs'; queueUrl: string; batchSize: number; batchWindowMs: number; concurrency: number; reportBatchItemFailures: boolean; maxBacklog?: number }
  | { type: 'kinesis'; streamName?: string; streamArn?: string; batchSize: number; startingPosition: 'TRIM_HORIZON' | 'LATEST'; bisectOnError: boolean }
  | { type: 'logs'; logGroupName: string; filterPattern: string }
  | { type: 'sns'; topicArn: string };

/** Identifiers learnt when creating (or looking up) resources, by `<kind>:<name>` (e.g. `queue-url:work`). */
export type ResourceRefs = Record<string, string>;
