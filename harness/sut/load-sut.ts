import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseDuration } from '../../core/index.ts';
import { ConfigError } from '../../core/index.ts';
import { checkSchema, formatIssue, issueAt, parseYaml, sortIssues, type ConfigIssue, type PathSegment, type YamlSource } from '../../core/config-file/index.ts';
import type { TapSource, TapSpec } from '../observe/index.ts';
import type { HandlerSpec } from '../../runtime/index.ts';
import { createResolver, hasReference, interpolate, type InterpolationValues } from './interpolate.ts';
import { defaultTapName, sutProblems } from './sut-checks.ts';
import { sutObjectSchema, type HandlerData, type SutFileData, type TapData } from './sut-schema.ts';
import type { EntrySpec, HandlerDecl, ResourcesSpec, SutSpec, TriggerDecl } from './types.ts';

/** A SUT file that passed validation: its data as written (references unresolved) and where each value came from. */
export interface LoadedSut {
  /** The path as given (messages use it, so they stay clickable). */
  file: string;
  /** Absolute directory the file's relative paths are resolved against. */
  dir: string;
  data: SutFileData;
  source: YamlSource;
}

/** A SUT file is not valid, or a reference in it cannot be resolved; carries every problem found. */
export class SutValidationError extends ConfigError {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[], stage: 'validate' | 'resolve' = 'validate') {
    const files = [...new Set(issues.map((i) => i.file))];
    const n = issues.length;
    super(`${files.join(', ')}: ${n} problem${n === 1 ? '' : 's'} in the SUT file${stage === 'resolve' ? ' (resolving its references)' : ''}\n${issues.map(formatIssue).join('\n')}`, {
      expected: 'a SUT file matching harness/sut/sut.schema.json, every reference resolvable',
      seen: `${n} problem${n === 1 ? '' : 's'} (listed above)`,
      fix: 'correct each located problem; `firedrill sut validate <file>` re-checks without running anything',
    });
    this.issues = issues;
  }
}

export type SutValidation = { ok: true; sut: LoadedSut } | { ok: false; issues: ConfigIssue[] };

/** Parses and validates SUT YAML: schema, then the rules across fields; every problem at file:line:column. */
export function validateSutText(text: string, opts: { file?: string; dir?: string } = {}): SutValidation {
  const file = opts.file ?? '<sut>';
  const dir = opts.dir ?? (opts.file ? dirname(resolve(opts.file)) : process.cwd());
  const parsed = parseYaml(text, file);
  if (!parsed.ok) return parsed;
  const checked = checkSchema(sutObjectSchema, parsed.source, { customSummary: 'inconsistent SUT file' });
  if (!checked.ok) return checked;
  const issues = sutProblems(checked.value, dir).map((p) => issueAt(parsed.source, p.path, { summary: p.summary, expected: p.expected, ...(p.seen === undefined ? {} : { seen: p.seen }), ...(p.fix === undefined ? {} : { fix: p.fix }) }));
  if (issues.length) return { ok: false, issues: sortIssues(issues) };
  return { ok: true, sut: { file, dir, data: checked.value, source: parsed.source } };
}

/** Reads and validates a SUT file; throws SutValidationError listing every problem. */
export async function loadSutFile(file: string): Promise<LoadedSut> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new SutValidationError([{ file, line: undefined, column: undefined, path: '', summary: 'cannot read the SUT file', expected: 'a readable YAML file', seen: (err as Error).message, fix: 'check the path' }]);
  }
  const r = validateSutText(text, { file });
  if (!r.ok) throw new SutValidationError(r.issues);
  return r.sut;
}

/** Every string under `value` interpolated; problems located at the string's place in the file. */
function interpolateTree<T>(sut: LoadedSut, value: T, path: PathSegment[], values: InterpolationValues, issues: ConfigIssue[]): T {
  const resolver = createResolver(values);
  const walk = (v: unknown, at: PathSegment[]): unknown => {
    if (typeof v === 'string') {
      if (!hasReference(v) && !v.includes('$${')) return v;
      const r = interpolate(v, resolver);
      if (r.ok) return r.value;
      issues.push(issueAt(sut.source, at, r.problem));
      return v;
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...at, i]));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, [...at, k])]));
    return v;
  };
  return walk(value, path) as T;
}

function resourcesSpec(sut: LoadedSut, r: SutFileData['resources']): ResourcesSpec {
  const out: ResourcesSpec = {
    buckets: r.buckets,
    tables: r.tables.map((t) => ({ name: t.name, hashKey: t.hashKey, ...(t.rangeKey ? { rangeKey: t.rangeKey } : {}) })),
    queues: r.queues.map((q) => ({ name: q.name, ...(q.dlq ? { dlq: q.dlq } : {}), maxReceiveCount: q.maxReceiveCount, visibilityTimeout: q.visibilityTimeout })),
    topics: r.topics,
    streams: r.streams,
    deliveryStreams: r.deliveryStreams,
    subscriptions: r.subscriptions.map((s) => {
      const colon = s.destination.indexOf(':');
      return { logGroup: s.logGroup, destination: { type: s.destination.slice(0, colon) as 'kinesis' | 'firehose', name: s.destination.slice(colon + 1) }, filterPattern: s.filterPattern, ...(s.name ? { name: s.name } : {}) };
    }),
    notifications: r.notifications.map((n) => ({ bucket: n.bucket, prefix: n.prefix, queue: n.queue, ...(n.suffix !== undefined ? { suffix: n.suffix } : {}) })),
  };
  if (r.setup) out.setup = hookRef(sut, r.setup);
  return out;
}

/**
 * The `resources:` section resolved with what is known before anything exists (prefix, region, account,
 * estate, env): refs and setup outputs are not, and a reference to them here is an error that says so.
 */
export function resolveSutResources(sut: LoadedSut, values: Omit<InterpolationValues, 'refs' | 'outputs'>): ResourcesSpec {
  const issues: ConfigIssue[] = [];
  const { refs: _r, outputs: _o, ...known } = values as InterpolationValues;
  const r = interpolateTree(sut, sut.data.resources, ['resources'], known, issues);
  if (issues.length) throw new SutValidationError(sortIssues(issues), 'resolve');
  return resourcesSpec(sut, r);
}

/** A trigger's queue or topic by name becomes the URL / ARN resource creation (or the lookup) learnt. */
function triggerDecl(t: HandlerData['trigger'], at: PathSegment[], ref: (kind: 'queue-url' | 'topic-arn', name: string, at: PathSegment[]) => string): TriggerDecl {
  if (t.schedule !== undefined) {
    if (typeof t.schedule === 'string') return { type: 'schedule', expression: t.schedule, coalesce: 1 };
    return { type: 'schedule', expression: t.schedule.expression, coalesce: t.schedule.coalesce, ...(t.schedule.drain !== undefined ? { drainMs: parseDuration(t.schedule.drain) } : {}), ...(t.schedule.lateness !== undefined ? { latenessMs: parseDuration(t.schedule.lateness) } : {}) };
  }
  if (t.sqs) {
    const queueUrl = /^https?:\/\//.test(t.sqs.queue) ? t.sqs.queue : ref('queue-url', t.sqs.queue, [...at, 'sqs', 'queue']);
    return { type: 'sqs', queueUrl, batchSize: t.sqs.batchSize, batchWindowMs: parseDuration(t.sqs.batchWindow), concurrency: t.sqs.concurrency, reportBatchItemFailures: t.sqs.reportBatchItemFailures, ...(t.sqs.maxBacklog ? { maxBacklog: t.sqs.maxBacklog } : {}) };
  }
  if (t.kinesis) {
    const stream = t.kinesis.stream.startsWith('arn:') ? { streamArn: t.kinesis.stream } : { streamName: t.kinesis.stream };
    return { type: 'kinesis', ...stream, batchSize: t.kinesis.batchSize, startingPosition: t.kinesis.startingPosition, bisectOnError: t.kinesis.bisectOnError };
  }
  if (t.logs) return { type: 'logs', logGroupName: t.logs.logGroup, filterPattern: t.logs.filterPattern };
  const topic = t.sns!.topic;
  return { type: 'sns', topicArn: topic.startsWith('arn:') ? topic : ref('topic-arn', topic, [...at, 'sns', 'topic']) };
}

function handlerDecl(sut: LoadedSut, h: HandlerData, trigger: TriggerDecl): HandlerDecl {
  const codeDir = resolve(sut.dir, h.code);
  const base = { name: h.name, environment: h.environment, timeoutMs: parseDuration(h.timeout), memoryMb: h.memoryMb, provisionedConcurrency: h.provisionedConcurrency, trigger };
  // `satisfies`: what the SUT file declares is what the local runtime takes, checked by the compiler.
  if (h.runtime === 'node') {
    const hash = h.handler.lastIndexOf('#');
    return { ...base, runtime: 'node', entry: { file: resolve(codeDir, h.handler.slice(0, hash)), export: h.handler.slice(hash + 1) } } satisfies HandlerSpec;
  }
  return { ...base, runtime: 'python', entry: { codeDir, handler: h.handler }, python: { owner: sut.data.name, ...(h.requirements ? { requirements: resolve(sut.dir, h.requirements) } : {}) } } satisfies HandlerSpec;
}

function tapSource(t: TapData): TapSource {
  if (t.dynamodb) return { type: 'dynamodb', table: t.dynamodb.table };
  if (t.sns) return { type: 'sns', topic: t.sns.topic };
  if (t.sqs) return { type: 'sqs', queue: t.sqs.queue };
  if (t.eventbridge) return { type: 'eventbridge', bus: t.eventbridge.bus, pattern: t.eventbridge.pattern };
  if (t.s3) return { type: 's3', bucket: t.s3.bucket, prefix: t.s3.prefix, format: t.s3.format };
  if (t.logs) return { type: 'logs', logGroup: t.logs.logGroup, filterPattern: t.logs.filterPattern };
  if (t.securityhub) return { type: 'securityhub', ...(t.securityhub.filters ? { filters: t.securityhub.filters } : {}) };
  return { type: 'returns', handler: t.returns!.handler };
}

function tapSpec(t: TapData): TapSpec {
  const map = Object.fromEntries(Object.entries(t.map).filter(([k, v]) => k !== 'observedAt' && v !== undefined)) as TapSpec['map'];
  return { name: t.name ?? defaultTapName(t), source: tapSource(t), preset: t.preset, map };
}

/**
 * The whole SUT resolved for a run: every reference replaced with `values` (a resolver over what bootstrap,
 * resource creation and the setup hook learnt), relative paths made absolute, durations in ms. Every reference
 * that cannot be resolved is reported, located, with the fix.
 */
export function resolveSut(sut: LoadedSut, values: InterpolationValues): SutSpec {
  const issues: ConfigIssue[] = [];
  const d = interpolateTree(sut, sut.data, [], values, issues);
  const resolver = createResolver(values);
  const ref = (kind: 'queue-url' | 'topic-arn', name: string, at: PathSegment[]) => {
    const r = resolver({ kind: 'ref', refKind: kind, name });
    if (r.ok) return r.value;
    issues.push(issueAt(sut.source, at, { ...r.problem, summary: `${r.problem.summary} (the trigger needs its ${kind === 'queue-url' ? 'URL' : 'ARN'})` }));
    return name;
  };
  // Deployed: the SUT runs its own handlers; firedrill runs none and needs none of their identifiers.
  const handlers = d.mode === 'local' ? d.handlers.map((h, i) => handlerDecl(sut, h, triggerDecl(h.trigger, ['handlers', i, 'trigger'], ref))) : [];
  if (issues.length) throw new SutValidationError(sortIssues(issues), 'resolve');
  const entry: EntrySpec = { logGroups: d.entry.logGroups ?? {}, firehose: d.entry.firehose ?? {}, kinesis: d.entry.kinesis ?? {}, buckets: d.entry.buckets ?? {} };
  return {
    name: d.name,
    ...(d.description !== undefined ? { description: d.description } : {}),
    mode: d.mode,
    file: resolve(sut.file),
    ...(d.estate ? { estate: d.estate } : {}),
    entry,
    resources: resourcesSpec(sut, d.resources),
    handlers,
    findings: d.findings.map(tapSpec),
    remediation: d.remediation,
    matching: { skewMs: parseDuration(d.matching.skew), graceMs: parseDuration(d.matching.grace) },
    settleMs: d.settle !== undefined ? parseDuration(d.settle) : d.mode === 'deployed' ? DEPLOYED_SETTLE_MS : 0,
    ...(d.ledger ? { ledger: hookRef(sut, d.ledger) } : {}),
    ...(d.prune ? { prune: { ...(d.prune.hook ? { hook: hookRef(sut, d.prune.hook) } : {}), ...(d.prune.logStreamsAfter ? { logStreamsAfter: d.prune.logStreamsAfter } : {}), ...(d.prune.maxBacklog ? { maxBacklog: d.prune.maxBacklog } : {}) } } : {}),
  };
}

/** A deployed SUT works on its own time: its taps are read this long after delivery unless the file says otherwise. */
const DEPLOYED_SETTLE_MS = 60_000;

/** `<file>#<export>`, the file relative to the SUT file, made absolute. */
function hookRef(sut: LoadedSut, ref: string): { file: string; export: string } {
  const hash = ref.lastIndexOf('#');
  return { file: resolve(sut.dir, ref.slice(0, hash)), export: ref.slice(hash + 1) };
}

/** Only what observing needs (the taps and the matching windows): for reading a SUT's findings after the fact. */
export function resolveSutTaps(sut: LoadedSut, values: InterpolationValues): { findings: TapSpec[]; matching: SutSpec['matching'] } {
  const issues: ConfigIssue[] = [];
  const findings = interpolateTree(sut, sut.data.findings, ['findings'], values, issues);
  const matching = interpolateTree(sut, sut.data.matching, ['matching'], values, issues);
  if (issues.length) throw new SutValidationError(sortIssues(issues), 'resolve');
  return { findings: findings.map(tapSpec), matching: { skewMs: parseDuration(matching.skew), graceMs: parseDuration(matching.grace) } };
}
