import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../core/config-file/index.ts';
import { loadSutFile, resolveSut, resolveSutResources, SutValidationError, validateSutText } from './load-sut.ts';
import { validateSutFiles } from './validate-sut-files.ts';

const FULL = fileURLToPath(new URL('./testdata/full/firedrill.sut.yaml', import.meta.url));
const DIR = dirname(FULL);
const ESTATE = { rds: { dbInstanceId: 'firedrill-orders-db' }, instances: [{ instanceId: 'i-0abc' }] };
const REFS = { 'queue-url:work': 'http://emu/123/work', 'queue-url:findings-out': 'http://emu/123/findings-out', 'topic-arn:alerts': 'arn:aws:sns:us-east-1:123:alerts' };

/** Problems of a YAML text as `line:col path: summary` lines (what a person reads first). */
function problems(text: string): string[] {
  const r = validateSutText(text, { file: 'sut.yaml', dir: DIR });
  return r.ok ? [] : r.issues.map((i) => `${i.line}:${i.column} ${i.path}: ${i.summary}`);
}

describe('SUT file: every key of the design', () => {
  it('validates and resolves to the spec the runtime, the deliver side and the taps take', async () => {
    const sut = await loadSutFile(FULL);
    const spec = resolveSut(sut, { prefix: 'fd', region: 'eu-west-1', account: '123', refs: REFS, estate: ESTATE, outputs: { marker: 'm-1' }, env: {} });
    expect(spec).toMatchObject({ name: 'seed-004-rca', mode: 'local', file: FULL, estate: { names: { database: 'mydb', cluster: 'my-cluster', service: 'my-python-service' } }, matching: { skewMs: 30_000, graceMs: 120_000 } });
    expect(spec.entry).toEqual({
      logGroups: { rds: ['/aws/rds/instance/mydb/postgresql'], app: ['/ecs/my-python-service'], ecs: ['/aws/ecs/containerinsights/my-cluster/performance'] },
      firehose: { waf: 'aws-waf-logs-mine' },
      kinesis: { vpcflow: 'fd-stream' },
      buckets: { s3access: { bucket: 'fd-logs', prefix: 'access/' } },
    });
    expect(spec.resources.subscriptions).toEqual([{ logGroup: '/ecs/my-python-service', destination: { type: 'kinesis', name: 'fd-stream' }, filterPattern: '' }]);
    expect(spec.resources.queues[1]).toEqual({ name: 'findings-out', maxReceiveCount: 3, visibilityTimeout: 30 });
    expect(spec.resources.setup).toEqual({ file: join(DIR, 'setup.ts'), export: 'setup' });
    const [py, node] = spec.handlers;
    // The runtime's HandlerSpec: identifiers resolved (the queue's URL), paths absolute.
    expect(py).toEqual({
      name: 'log-rca-agent',
      runtime: 'python',
      entry: { codeDir: join(DIR, 'lambda'), handler: 'handler.lambda_handler' },
      python: { owner: 'seed-004-rca', requirements: join(DIR, 'requirements.txt') },
      environment: { LOG_GROUPS: '/aws/rds/instance/mydb/postgresql', WORK_QUEUE: 'http://emu/123/work', DB: 'firedrill-orders-db', MARKER: 'm-1' },
      timeoutMs: 60_000,
      memoryMb: 256,
      provisionedConcurrency: 1,
      trigger: { type: 'schedule', expression: 'rate(1 minute)', coalesce: 5 },
    });
    // Not provisioned unless declared: the first invocation starts it, as Lambda's on-demand environments.
    expect(node).toMatchObject({ runtime: 'node', entry: { file: join(DIR, 'lambda', 'worker.mjs'), export: 'handler' }, timeoutMs: 3000, memoryMb: 128, provisionedConcurrency: 0 });
    expect(node!.trigger).toEqual({ type: 'sqs', queueUrl: 'http://emu/123/work', batchSize: 10, batchWindowMs: 0, concurrency: 1, reportBatchItemFailures: true });
    expect(spec.findings.map((t) => t.name)).toEqual(['dynamodb:LogAnomalies', 'sns:alerts', 'sqs:findings-out', 'eventbridge:default', 's3:fd-logs/anomalies/', 'logs:/aws/lambda/log-rca-agent', 'securityhub', 'returns:log-rca-agent']);
    expect(spec.findings[0]).toEqual({ name: 'dynamodb:LogAnomalies', source: { type: 'dynamodb', table: 'LogAnomalies' }, preset: 'none', map: { claimedTime: 'ts', entities: '[ip, instance]', kind: 'type', text: 'message' } });
    expect(spec.findings[3]!.source).toEqual({ type: 'eventbridge', bus: 'default', pattern: { source: ['my.detector'] } });
    expect(spec.findings[6]).toMatchObject({ source: { type: 'securityhub' }, preset: 'asff' });
    expect(spec.remediation).toEqual({ stateMachines: ['remediate'], functions: ['worker'] });
  });

  it('needs the URL of a trigger’s queue in local mode, and runs no handler in deployed mode', async () => {
    const sut = await loadSutFile(FULL);
    const values = { prefix: 'fd', refs: { 'queue-url:findings-out': 'http://q' }, estate: ESTATE, outputs: { marker: 'm' }, env: {} };
    const err = (() => {
      try {
        resolveSut(sut, values);
      } catch (e) {
        return e as SutValidationError;
      }
    })();
    expect(err!.issues.map((i) => `${i.line}:${i.column} ${i.summary}`)).toEqual(['47:19 no queue `work` to take the queue-url of', '60:21 no queue `work` to take the queue-url of (the trigger needs its URL)']);
    const deployed = { ...sut, data: { ...sut.data, mode: 'deployed' as const, handlers: sut.data.handlers.map((h) => ({ ...h, environment: {} })) } };
    expect(resolveSut(deployed, values).handlers).toEqual([]);
  });

  it('resolves the resources before anything exists, and says why a ref cannot be used there', async () => {
    const sut = await loadSutFile(FULL);
    expect(resolveSutResources(sut, { prefix: 'fd', region: 'us-east-1', account: '1', env: {} }).buckets).toEqual(['fd-logs']);
    const text = readFileSync(FULL, 'utf8').replace('tables: [{ name: LogAnomalies', 'tables: [{ name: "${ref:table:x}"');
    const r = validateSutText(text, { file: 'sut.yaml', dir: DIR });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const err = (() => {
      try {
        resolveSutResources(r.sut, { prefix: 'fd' });
      } catch (e) {
        return e as SutValidationError;
      }
    })();
    expect(err).toBeInstanceOf(SutValidationError);
    expect(err!.issues.map(formatIssue).join('\n')).toMatch(/^sut\.yaml:\d+:\d+ resources\.tables\[0\]\.name: \$\{ref:…\} is not known here\n {4}expected: a reference resolved after the resources exist \(not inside resources:\)/);
  });
});

describe('SUT file: every problem at file:line:column with expected / seen / fix', () => {
  it('reports unknown keys with a suggestion, at the key', () => {
    const r = validateSutText('name: x\nfindngs:\n  - dynamodb: { table: t }\n', { file: 'sut.yaml', dir: DIR });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map(formatIssue).join('\n')).toContain('sut.yaml:2:1 findngs: unknown key `findngs`');
    expect(r.issues.map((i) => i.fix)).toContain('did you mean `findings`?');
    expect(r.issues.map((i) => i.summary)).toContain('missing required key `findings`');
  });

  it('finds the rules across fields, each where it is', () => {
    const text = [
      'name: bad-sut', //                                                    1
      'resources:', //                                                       2
      '  queues: [{ name: work }]', //                                       3
      '  topics: [{ name: alerts, subscribe: [wrok] }]', //                  4
      'handlers:', //                                                        5
      '  - name: a', //                                                      6
      '    runtime: python', //                                              7
      '    handler: handler', //                                             8
      '    code: ./lambda', //                                               9
      '    trigger: { schedule: "every 5 minutes", sqs: { queue: work } }', // 10
      '  - name: a', //                                                     11
      '    runtime: node', //                                               12
      '    handler: worker.handler', //                                     13
      '    code: ./lambda', //                                              14
      '    trigger: {}', //                                                 15
      'findings:', //                                                       16
      '  - dynamodb: { table: "${reff:x}" }', //                            17
      '    map: { claimedTime: ts, kind: "type[" }', //                     18
      '  - returns: { handler: b }', //                                     19
      '    sqs: { queue: q }', //                                           20
    ].join('\n');
    expect(problems(text)).toEqual([
      '4:40 resources.topics[0].subscribe[0]: queue `wrok` is not declared',
      '8:14 handlers[0].handler: not a Python handler',
      '10:14 handlers[0].trigger: more than one trigger',
      '10:26 handlers[0].trigger.schedule: not a schedule expression',
      '11:11 handlers[1].name: handler `a` declared twice',
      '13:14 handlers[1].handler: not a Node handler',
      '15:14 handlers[1].trigger: no trigger',
      '17:24 findings[0].dynamodb.table: unknown reference',
      '18:35 findings[0].map.kind: not a JMESPath expression',
      '19:5 findings[1]: more than one tap in one entry',
      '19:25 findings[1].returns.handler: no handler `b`',
    ]);
  });

  it('gives every value problem a fix: the example of a format, quotes for a YAML number, the bound', () => {
    const r = validateSutText('name: x\nsettle: 5 minutes\nentry:\n  kinesis: { vpcflow: 42 }\nhandlers:\n  - { name: h, runtime: node, handler: h.mjs#h, memoryMb: 64, trigger: { schedule: rate(1 minute) } }\nfindings:\n  - sqs: { queue: q }\n', { file: 'sut.yaml', dir: DIR });
    expect(r.ok).toBe(false);
    const text = r.ok ? '' : r.issues.map(formatIssue).join('\n');
    expect(text).toMatch(/sut\.yaml:2:9 settle: malformed value\n.*\n.*"5 minutes"\n\s+fix:\s+write it as 500ms, 30s, or 5m/);
    expect(text).toMatch(/sut\.yaml:4:23 entry\.kinesis\.vpcflow: wrong type\n.*\n.*\n\s+fix:\s+quote it: "42"/);
    expect(text).toMatch(/handlers\[0\]\.memoryMb: too small\n.*\n.*\n\s+fix:\s+a value >= 128/);
  });

  it('takes a provisioned concurrency of 0 or more, a whole number', () => {
    const file = (v: string) => `name: x\nhandlers:\n  - { name: h, runtime: node, code: ./lambda, handler: worker.mjs#handler, provisionedConcurrency: ${v}, trigger: { schedule: rate(1 minute) } }\nfindings:\n  - sqs: { queue: q }\n`;
    expect(validateSutText(file('1'), { file: 'sut.yaml', dir: DIR }).ok).toBe(true);
    for (const bad of ['-1', '1.5', 'yes']) {
      const r = validateSutText(file(bad), { file: 'sut.yaml', dir: DIR });
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.issues[0]!.path).toBe('handlers[0].provisionedConcurrency');
    }
  });

  it('turns a mapped observedAt into the fix (it is firedrill’s own wall time)', () => {
    const r = validateSutText('name: x\nfindings:\n  - sqs: { queue: q }\n    map: { observedAt: ts }\n', { file: 'sut.yaml', dir: DIR });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]).toMatchObject({ line: 4, column: 24, path: 'findings[0].map.observedAt', expected: expect.stringMatching(/map the time the SUT states to claimedTime/) });
  });

  it('takes prune.maxBacklog as a count of at least one', () => {
    const text = (n: string) => `name: x\nfindings:\n  - sqs: { queue: q }\nprune: { maxBacklog: ${n} }\n`;
    expect(problems(text('100'))).toEqual([]);
    expect(problems(text('0'))).toEqual(['4:22 prune.maxBacklog: too small']);
    expect(problems(text('1.5'))).toHaveLength(1);
  });

  it('reports YAML syntax errors, duplicate keys included', () => {
    expect(problems('name: x\nname: y\nfindings: []\n')).toEqual(['2:1 : YAML syntax error (DUPLICATE_KEY)']);
  });

  it('names files that do not exist', () => {
    const text = 'name: x\nhandlers:\n  - { name: h, runtime: node, handler: "missing.mjs#handler", code: ./lambda, trigger: { sns: { topic: t } } }\n  - { name: p, runtime: python, handler: m.f, code: ./nowhere, trigger: { sns: { topic: t } } }\nfindings: [{ returns: { handler: h } }]\n';
    expect(problems(text)).toEqual(['3:40 handlers[0].handler: handler module not found', '4:53 handlers[1].code: code directory not found']);
  });
});

describe('SUT file: references resolved at bootstrap', () => {
  const base = (body: string) => validateSutText(`name: x\nfindings:\n  - sqs: { queue: "${body}" }\n`, { file: 'sut.yaml', dir: DIR });
  const resolveError = (body: string, values: Parameters<typeof resolveSut>[1]) => {
    const r = base(body);
    if (!r.ok) throw new Error(r.issues.map(formatIssue).join('\n'));
    try {
      resolveSut(r.sut, values);
    } catch (e) {
      return (e as SutValidationError).issues[0]!;
    }
    throw new Error('resolved');
  };

  it('nests (innermost first) and keeps $${ as a literal', () => {
    const r = base('${ref:queue-url:${prefix}-work}/$${not-a-ref}');
    if (!r.ok) throw new Error('invalid');
    expect(resolveSut(r.sut, { prefix: 'fd', refs: { 'queue-url:fd-work': 'http://q' } }).findings[0]!.source).toEqual({ type: 'sqs', queue: 'http://q/${not-a-ref}' });
  });

  it('an unknown resource name lists the known ones and guesses', () => {
    expect(resolveError('${ref:queue-url:wrk}', { refs: REFS })).toMatchObject({ line: 3, column: 19, summary: 'no queue `wrk` to take the queue-url of', expected: 'one of the queues: work, findings-out', fix: 'did you mean `work`?' });
  });

  it('an estate path walks the estate and names the keys where it stops', () => {
    const r = base('${estate:rds.dbInstanceId}-${estate:instances.0.instanceId}');
    if (!r.ok) throw new Error('invalid');
    expect(resolveSut(r.sut, { estate: ESTATE }).findings[0]!.source).toEqual({ type: 'sqs', queue: 'firedrill-orders-db-i-0abc' });
    expect(resolveError('${estate:rds.dbInstance}', { estate: ESTATE })).toMatchObject({ summary: 'the estate has no `rds.dbInstance`', expected: 'at rds, one of dbInstanceId', fix: 'did you mean `rds.dbInstanceId`?' });
  });

  it('outputs, environment and the account say how to provide them', () => {
    expect(resolveError('${output:marker}', {})).toMatchObject({ summary: '${output:…} is not known here', fix: 'declare resources.setup, and use outputs outside resources:' });
    expect(resolveError('${output:markr}', { outputs: { marker: 'm' } })).toMatchObject({ summary: 'the setup hook returned no `markr`', fix: 'did you mean `marker`?' });
    expect(resolveError('${env:FIREDRILL_TEST_UNSET}', { env: {} })).toMatchObject({ summary: 'environment variable FIREDRILL_TEST_UNSET is not set', fix: 'export FIREDRILL_TEST_UNSET=…, or give a default: ${env:FIREDRILL_TEST_UNSET:-value}' });
    const ok = base('${env:FIREDRILL_TEST_UNSET:-dflt}-${account}');
    if (!ok.ok) throw new Error('invalid');
    expect(resolveSut(ok.sut, { env: {}, account: '123' }).findings[0]!.source).toEqual({ type: 'sqs', queue: 'dflt-123' });
    expect(resolveError('${account}', {})).toMatchObject({ summary: '${account} is not known here' });
  });
});

describe('firedrill sut validate', () => {
  it('exits 0 for valid files and 2 when any is invalid, printing every problem', async () => {
    expect(await validateSutFiles([FULL])).toMatchObject({ code: 0, stdout: expect.stringContaining('seed-004-rca: local, 2 handlers, 8 taps') });
    const bad = await validateSutFiles([FULL, join(DIR, 'does-not-exist.yaml')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/does-not-exist\.yaml: cannot read/);
    expect(bad.stderr).toMatch(/1 of 2 files invalid/);
  });
});
