import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { closest, type PathSegment } from '../../core/config-file/index.ts';
import { expressionProblem, MAP_FIELDS } from '../observe/index.ts';
import { hasReference, referenceSyntaxProblems } from './interpolate.ts';
import { CRON_RE, RATE_RE, TAP_TYPES, TRIGGER_TYPES, type SutFileData, type TapData } from './sut-schema.ts';

/** A problem at a path of the SUT file, before it is located in the YAML. */
export interface SutProblem {
  path: PathSegment[];
  summary: string;
  expected: string;
  seen?: string;
  fix?: string;
}

/** `<tap type>:<what it reads>` — the default label of a tap. */
export function defaultTapName(t: TapData): string {
  if (t.dynamodb) return `dynamodb:${t.dynamodb.table}`;
  if (t.sns) return `sns:${t.sns.topic}`;
  if (t.sqs) return `sqs:${t.sqs.queue}`;
  if (t.eventbridge) return `eventbridge:${t.eventbridge.bus}`;
  if (t.s3) return `s3:${t.s3.bucket}/${t.s3.prefix}`;
  if (t.logs) return `logs:${t.logs.logGroup}`;
  if (t.securityhub) return 'securityhub';
  if (t.returns) return `returns:${t.returns.handler}`;
  return 'tap';
}

function walkStrings(v: unknown, path: PathSegment[], visit: (s: string, path: PathSegment[]) => void): void {
  if (typeof v === 'string') visit(v, path);
  else if (Array.isArray(v)) v.forEach((x, i) => walkStrings(x, [...path, i], visit));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walkStrings(x, [...path, k], visit);
}

/**
 * The rules the schema cannot state: reference syntax, exactly one trigger / tap source, handler syntax per
 * runtime, names that must be declared, mapping expressions that compile, files that exist (relative to `dir`).
 */
export function sutProblems(sut: SutFileData, dir: string): SutProblem[] {
  const out: SutProblem[] = [];

  walkStrings(sut, [], (s, path) => {
    for (const p of referenceSyntaxProblems(s)) out.push({ path, ...p });
  });

  const queues = sut.resources.queues.map((q) => q.name);
  const buckets = sut.resources.buckets;
  const declared = (path: PathSegment[], name: string, list: readonly string[], what: string, where: string) => {
    if (list.includes(name)) return;
    const guess = closest(name, list);
    out.push({ path, summary: `${what} \`${name}\` is not declared`, expected: list.length ? `one of the ${what}s under ${where}: ${list.join(', ')}` : `a ${what} declared under ${where}`, seen: JSON.stringify(name), fix: guess ? `did you mean \`${guess}\`?` : `add it under ${where}` });
  };
  sut.resources.topics.forEach((t, i) => t.subscribe.forEach((q, j) => declared(['resources', 'topics', i, 'subscribe', j], q, queues, 'queue', 'resources.queues')));
  sut.resources.notifications.forEach((n, i) => {
    declared(['resources', 'notifications', i, 'queue'], n.queue, queues, 'queue', 'resources.queues');
    declared(['resources', 'notifications', i, 'bucket'], n.bucket, buckets, 'bucket', 'resources.buckets');
  });
  sut.resources.deliveryStreams.forEach((d, i) => declared(['resources', 'deliveryStreams', i, 'bucket'], d.bucket, buckets, 'bucket', 'resources.buckets'));
  sut.resources.subscriptions.forEach((s, i) => {
    const [type, ...rest] = s.destination.split(':');
    const name = rest.join(':');
    if (type === 'kinesis') declared(['resources', 'subscriptions', i, 'destination'], name, sut.resources.streams.map((x) => x.name), 'Kinesis stream', 'resources.streams');
    else declared(['resources', 'subscriptions', i, 'destination'], name, sut.resources.deliveryStreams.map((x) => x.name), 'delivery stream', 'resources.deliveryStreams');
  });
  if (sut.resources.setup && !hasReference(sut.resources.setup)) {
    const file = sut.resources.setup.slice(0, sut.resources.setup.lastIndexOf('#'));
    if (!existsSync(resolve(dir, file))) out.push({ path: ['resources', 'setup'], summary: 'setup hook file not found', expected: 'a module relative to the SUT file', seen: resolve(dir, file), fix: 'check the path (relative to the SUT file)' });
  }
  if (sut.ledger && !hasReference(sut.ledger)) {
    const file = sut.ledger.slice(0, sut.ledger.lastIndexOf('#'));
    if (!existsSync(resolve(dir, file))) out.push({ path: ['ledger'], summary: 'ledger hook file not found', expected: 'a module relative to the SUT file', seen: resolve(dir, file), fix: 'check the path (relative to the SUT file)' });
  }

  const handlerNames = new Set<string>();
  sut.handlers.forEach((h, i) => {
    const at = (...p: PathSegment[]) => ['handlers', i, ...p];
    if (handlerNames.has(h.name)) out.push({ path: at('name'), summary: `handler \`${h.name}\` declared twice`, expected: 'unique handler names', seen: h.name, fix: 'rename one of them' });
    handlerNames.add(h.name);
    const set = TRIGGER_TYPES.filter((k) => h.trigger[k] !== undefined);
    if (set.length !== 1) out.push({ path: at('trigger'), summary: set.length ? 'more than one trigger' : 'no trigger', expected: `exactly one of ${TRIGGER_TYPES.join(', ')}`, seen: set.length ? set.join(' and ') : 'none', fix: set.length ? 'one handler per trigger: declare another handler for the other' : 'add e.g. `sqs: { queue: … }` or `schedule: rate(5 minutes)`' });
    const sched = h.trigger.schedule;
    const expr = typeof sched === 'string' ? sched : sched?.expression;
    if (expr !== undefined && !hasReference(expr) && !RATE_RE.test(expr) && !CRON_RE.test(expr)) {
      out.push({ path: typeof sched === 'string' ? at('trigger', 'schedule') : at('trigger', 'schedule', 'expression'), summary: 'not a schedule expression', expected: 'EventBridge syntax: rate(5 minutes) or cron(0/5 * * * ? *) (six fields)', seen: JSON.stringify(expr) });
    }
    if (h.runtime === 'python') {
      if (!/^[A-Za-z_][\w.]*\.[A-Za-z_]\w*$/.test(h.handler)) out.push({ path: at('handler'), summary: 'not a Python handler', expected: 'module.function, e.g. handler.lambda_handler (the module under `code`)', seen: JSON.stringify(h.handler) });
    } else {
      if (h.requirements !== undefined) out.push({ path: at('requirements'), summary: 'requirements on a node handler', expected: 'requirements only with runtime: python (node modules come from the code directory)', seen: h.requirements, fix: 'remove it' });
      if (!/^.+#[A-Za-z_$][\w$]*$/.test(h.handler)) {
        out.push({ path: at('handler'), summary: 'not a Node handler', expected: '<file relative to code>#<export>, e.g. index.mjs#handler', seen: JSON.stringify(h.handler), ...(h.handler.includes('.') && !h.handler.includes('#') ? { fix: `write \`${h.handler.replace(/\.(\w+)$/, '.js#$1')}\` (file#export)` } : {}) });
      }
    }
    const code = resolve(dir, h.code);
    if (!hasReference(h.code) && !existsSync(code)) out.push({ path: at('code'), summary: 'code directory not found', expected: 'a directory relative to the SUT file', seen: code });
    else if (h.runtime === 'node' && !hasReference(h.handler) && h.handler.includes('#')) {
      const file = resolve(code, h.handler.slice(0, h.handler.lastIndexOf('#')));
      if (!existsSync(file)) out.push({ path: at('handler'), summary: 'handler module not found', expected: 'a file under the code directory', seen: file });
    }
    if (h.requirements && !hasReference(h.requirements) && !existsSync(resolve(dir, h.requirements))) out.push({ path: at('requirements'), summary: 'requirements file not found', expected: 'a file relative to the SUT file', seen: resolve(dir, h.requirements) });
  });

  const tapNames = new Set<string>();
  sut.findings.forEach((t, i) => {
    const set = TAP_TYPES.filter((k) => t[k] !== undefined);
    if (set.length !== 1) out.push({ path: ['findings', i], summary: set.length ? 'more than one tap in one entry' : 'no tap', expected: `exactly one of ${TAP_TYPES.join(', ')} per entry`, seen: set.length ? set.join(' and ') : 'only preset/map', fix: set.length ? 'give each tap its own list entry' : 'add e.g. `dynamodb: { table: … }`' });
    const name = t.name ?? defaultTapName(t);
    if (tapNames.has(name)) out.push({ path: ['findings', i], summary: `two taps named \`${name}\``, expected: 'unique tap names', seen: name, fix: 'give one a `name:`' });
    tapNames.add(name);
    if (t.returns && !handlerNames.has(t.returns.handler)) {
      const guess = closest(t.returns.handler, [...handlerNames]);
      out.push({ path: ['findings', i, 'returns', 'handler'], summary: `no handler \`${t.returns.handler}\``, expected: handlerNames.size ? `one of ${[...handlerNames].join(', ')}` : 'a handler declared under handlers', seen: t.returns.handler, ...(guess ? { fix: `did you mean \`${guess}\`?` } : {}) });
    }
    if (t.returns && sut.mode === 'deployed') out.push({ path: ['findings', i, 'returns'], summary: 'returns tap in deployed mode', expected: 'returns only with mode: local (deployed handlers run elsewhere; firedrill sees no return values)', seen: 'mode: deployed', fix: 'tap where the handler writes its findings instead' });
    for (const f of MAP_FIELDS) {
      const e = t.map[f];
      const problem = e === undefined ? undefined : expressionProblem(e);
      if (problem) out.push({ path: ['findings', i, 'map', f], summary: 'not a JMESPath expression', expected: 'a JMESPath expression over the raw finding (https://jmespath.site)', seen: `${JSON.stringify(e)}: ${problem}` });
    }
  });
  return out;
}
