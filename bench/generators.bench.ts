/**
 * `npm run bench:generators`: throughput of every registered background generator on one core, against a
 * naive baseline measured in the same run, plus a 10-million-event streaming run watching RSS.
 *
 * Prints figures; asserts nothing (a bench is not a test). Flags: `--quick` (shorter runs),
 * `--stream <n>` (events of the streaming run, default 10,000,000), `--only <source,…>`. The streaming run
 * happens in a child process (`--stream-child`), so its RSS is its own and not the table's leftovers.
 *
 * Two naive baselines, both written the way most people would: one with real @faker-js/faker calls per
 * field, one with hand-rolled Math.random pickers (a faster, stricter baseline); both JSON.stringify.
 *
 * Rates are reported per wall second and per CPU second of this process: on a shared machine the CPU
 * figure is the one-core throughput, the wall figure what this run happened to get.
 */
import { spawnSync } from 'node:child_process';
import type { Faker } from '@faker-js/faker';
import { fileURLToPath } from 'node:url';
import { createRng } from '../core/rng.ts';
import { defaultTopology, syntheticEstate } from '../core/topology/index.ts';
import type { SourceName } from '../core/vocabulary.ts';
// Static imports are what the streaming child needs; the table's extras (every registered source, faker)
// are imported dynamically by the parent only, so the child's RSS is the generator's, not the bench's.
import { buildPools, constantRate, LineWriter } from '../generators/common/index.ts';
import type { BackgroundRequest, EntityPools } from '../generators/types.ts';
import { BackgroundFlows, vpcFlowBackground } from '../generators/vpcflow/index.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const streamN = Number(args[args.indexOf('--stream') + 1] ?? NaN) || (quick ? 2_000_000 : 10_000_000);
const streamChild = args.includes('--stream-child');
const only = args.includes('--only') ? new Set(args[args.indexOf('--only') + 1]!.split(',')) : undefined;
const BUDGET_MS = quick ? 700 : 2500;
const MAX_EVENTS = quick ? 400_000 : 4_000_000;

const START = Date.UTC(2026, 4, 1, 12);
const topology = defaultTopology();
const estate = syntheticEstate(topology);
const pools: EntityPools = buildPools(createRng('bench').fork('pools'), estate, topology);

/** A window long enough for MAX_EVENTS at a high constant rate. */
function request(): BackgroundRequest {
  const rate = 20_000;
  return { window: { start: START, end: START + Math.ceil((MAX_EVENTS * 1000 * 1.2) / rate) + 60_000 }, rate: constantRate(rate) };
}

interface Measure {
  events: number;
  bytes: number;
  wallS: number;
  cpuS: number;
  rssMb: number;
}

let sink = 0;
const cpuSeconds = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};

/**
 * Pulls lines until the CPU budget is spent or MAX_EVENTS is reached. A first instance warms the JIT up;
 * a fresh one (same seed) is measured, so warm-up never eats into the measured stream.
 */
function measure(make: () => () => string | undefined): Measure {
  const warm = make();
  for (let i = 0; i < 30_000; i++) if (warm() === undefined) break;
  const next = make();
  let events = 0;
  let bytes = 0;
  let rss = process.memoryUsage.rss();
  const cpu0 = cpuSeconds();
  const t0 = performance.now();
  while (events < MAX_EVENTS) {
    const line = next();
    if (line === undefined) break;
    events++;
    bytes += line.length; // ASCII lines: length = bytes
    // Touch the text: a line built by concatenation is a rope until read, and every real consumer reads it.
    sink ^= line.charCodeAt(line.length >> 1);
    if ((events & 0x3fff) === 0) {
      if (cpuSeconds() - cpu0 > BUDGET_MS / 1000) break;
      rss = Math.max(rss, process.memoryUsage.rss());
    }
  }
  const wallS = (performance.now() - t0) / 1000;
  return { events, bytes, wallS, cpuS: cpuSeconds() - cpu0, rssMb: Math.max(rss, process.memoryUsage.rss()) / 1048576 };
}

function fromIterable(it: Iterable<{ message: string }> | Iterable<string>): () => string | undefined {
  const iter = (it as Iterable<unknown>)[Symbol.iterator]();
  return () => {
    const r = iter.next();
    if (r.done) return undefined;
    const v = r.value as string | { message: string };
    return typeof v === 'string' ? v : v.message;
  };
}

// ---------------------------------------------------------------------------------------------------------
// The naive baseline: what most people write first. A faker-style call per field (Math.random pickers, no
// precomputation), an object per event, JSON.stringify per event.

const rnd = (n: number) => Math.floor(Math.random() * n);
const pick = <T>(a: readonly T[]): T => a[rnd(a.length)]!;
const fakeIpv4 = () => `${rnd(256)}.${rnd(256)}.${rnd(256)}.${rnd(256)}`;
const fakeInt = (min: number, max: number) => min + rnd(max - min + 1);
const fakeUuid = () => 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => (c === 'x' ? rnd(16) : 8 + rnd(4)).toString(16));
const fakeHex = (n: number) => Array.from({ length: n }, () => rnd(16).toString(16)).join('');
const fakeDate = () => new Date(START + rnd(86_400_000)).toISOString();
const UAS = ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36', 'curl/8.4.0', 'python-requests/2.31.0'];
const PATHS = ['/', '/products', '/products/1234', '/cart', '/login', '/search'];

function naiveVpc(): string {
  const rec = {
    version: 2,
    accountId: '123456789012',
    interfaceId: `eni-${fakeHex(17)}`,
    srcaddr: fakeIpv4(),
    dstaddr: fakeIpv4(),
    srcport: fakeInt(1024, 65535),
    dstport: pick([22, 80, 443, 3306, 5432, 8080]),
    protocol: pick([6, 17, 1]),
    packets: fakeInt(1, 500),
    bytes: fakeInt(40, 500_000),
    start: Math.floor(Date.parse(fakeDate()) / 1000),
    end: Math.floor(Date.parse(fakeDate()) / 1000),
    action: pick(['ACCEPT', 'REJECT']),
    logStatus: 'OK',
  };
  return JSON.stringify(rec);
}

function naiveWaf(): string {
  const rec = {
    timestamp: Date.parse(fakeDate()),
    formatVersion: 1,
    webaclId: `arn:aws:wafv2:us-east-1:123456789012:regional/webacl/acl/${fakeUuid()}`,
    terminatingRuleId: pick(['Default_Action', 'AWS-AWSManagedRulesCommonRuleSet', 'RateLimit']),
    terminatingRuleType: pick(['REGULAR', 'MANAGED_RULE_GROUP', 'RATE_BASED']),
    action: pick(['ALLOW', 'BLOCK', 'CAPTCHA', 'CHALLENGE']),
    terminatingRuleMatchDetails: [],
    httpSourceName: pick(['ALB', 'APIGW', 'CF']),
    httpSourceId: fakeHex(16),
    ruleGroupList: [
      { ruleGroupId: 'AWS#AWSManagedRulesCommonRuleSet', terminatingRule: null, nonTerminatingMatchingRules: [], excludedRules: null, customerConfig: null },
      { ruleGroupId: 'AWS#AWSManagedRulesSQLiRuleSet', terminatingRule: null, nonTerminatingMatchingRules: [], excludedRules: null, customerConfig: null },
    ],
    rateBasedRuleList: [],
    nonTerminatingMatchingRules: [],
    requestHeadersInserted: null,
    responseCodeSent: null,
    httpRequest: {
      clientIp: fakeIpv4(),
      country: pick(['US', 'GB', 'IN', 'DE', 'FR']),
      headers: [
        { name: 'Host', value: pick(['shop.example.com', 'api.example.com']) },
        { name: 'User-Agent', value: pick(UAS) },
        { name: 'Accept', value: '*/*' },
      ],
      uri: pick(PATHS),
      args: '',
      httpVersion: pick(['HTTP/1.1', 'HTTP/2.0']),
      httpMethod: pick(['GET', 'POST', 'HEAD']),
      requestId: fakeUuid(),
    },
    labels: [{ name: `awswaf:clientip:geo:country:${pick(['US', 'GB'])}` }],
  };
  return JSON.stringify(rec);
}

/** For sources without a hand-written naive twin: a 15-field record of the usual faker calls. */
function naiveGeneric(): string {
  return JSON.stringify({
    time: fakeDate(),
    id: fakeUuid(),
    host: `ip-${rnd(256)}-${rnd(256)}`,
    ip: fakeIpv4(),
    user: pick(['alice', 'bob', 'carol']),
    level: pick(['INFO', 'WARN', 'ERROR']),
    pid: fakeInt(100, 40000),
    method: pick(['GET', 'POST']),
    path: pick(PATHS),
    status: pick([200, 201, 404, 500]),
    durationMs: fakeInt(1, 3000),
    bytes: fakeInt(100, 100000),
    ua: pick(UAS),
    requestId: fakeHex(32),
    message: `request ${fakeHex(8)} done`,
  });
}

const NAIVE: Partial<Record<SourceName, () => string>> = { vpcflow: naiveVpc, waf: naiveWaf };

// The same records with real faker: one faker call per field.
const fk = streamChild ? (undefined as unknown as Faker) : (await import('@faker-js/faker')).faker;
function fakerVpc(): string {
  return JSON.stringify({
    version: 2,
    accountId: fk.string.numeric(12),
    interfaceId: `eni-${fk.string.hexadecimal({ length: 17, casing: 'lower', prefix: '' })}`,
    srcaddr: fk.internet.ipv4(),
    dstaddr: fk.internet.ipv4(),
    srcport: fk.internet.port(),
    dstport: fk.helpers.arrayElement([22, 80, 443, 3306, 5432, 8080]),
    protocol: fk.helpers.arrayElement([6, 17, 1]),
    packets: fk.number.int({ min: 1, max: 500 }),
    bytes: fk.number.int({ min: 40, max: 500_000 }),
    start: Math.floor(fk.date.recent().getTime() / 1000),
    end: Math.floor(fk.date.recent().getTime() / 1000),
    action: fk.helpers.arrayElement(['ACCEPT', 'REJECT']),
    logStatus: 'OK',
  });
}
function fakerWaf(): string {
  return JSON.stringify({
    timestamp: fk.date.recent().getTime(),
    formatVersion: 1,
    webaclId: `arn:aws:wafv2:us-east-1:${fk.string.numeric(12)}:regional/webacl/acl/${fk.string.uuid()}`,
    terminatingRuleId: fk.helpers.arrayElement(['Default_Action', 'AWS-AWSManagedRulesCommonRuleSet', 'RateLimit']),
    terminatingRuleType: fk.helpers.arrayElement(['REGULAR', 'MANAGED_RULE_GROUP', 'RATE_BASED']),
    action: fk.helpers.arrayElement(['ALLOW', 'BLOCK', 'CAPTCHA', 'CHALLENGE']),
    terminatingRuleMatchDetails: [],
    httpSourceName: fk.helpers.arrayElement(['ALB', 'APIGW', 'CF']),
    httpSourceId: fk.string.alphanumeric(16),
    ruleGroupList: [
      { ruleGroupId: 'AWS#AWSManagedRulesCommonRuleSet', terminatingRule: null, nonTerminatingMatchingRules: [], excludedRules: null, customerConfig: null },
      { ruleGroupId: 'AWS#AWSManagedRulesSQLiRuleSet', terminatingRule: null, nonTerminatingMatchingRules: [], excludedRules: null, customerConfig: null },
    ],
    rateBasedRuleList: [],
    nonTerminatingMatchingRules: [],
    requestHeadersInserted: null,
    responseCodeSent: null,
    httpRequest: {
      clientIp: fk.internet.ipv4(),
      country: fk.location.countryCode(),
      headers: [
        { name: 'Host', value: fk.internet.domainName() },
        { name: 'User-Agent', value: fk.internet.userAgent() },
        { name: 'Accept', value: '*/*' },
      ],
      uri: `/${fk.system.directoryPath().split('/').pop()}`,
      args: '',
      httpVersion: fk.helpers.arrayElement(['HTTP/1.1', 'HTTP/2.0']),
      httpMethod: fk.internet.httpMethod(),
      requestId: fk.string.uuid(),
    },
    labels: [{ name: `awswaf:clientip:geo:country:${fk.location.countryCode()}` }],
  });
}
function fakerGeneric(): string {
  return JSON.stringify({
    time: fk.date.recent().toISOString(),
    id: fk.string.uuid(),
    host: fk.internet.domainWord(),
    ip: fk.internet.ipv4(),
    user: fk.internet.username(),
    level: fk.helpers.arrayElement(['INFO', 'WARN', 'ERROR']),
    pid: fk.number.int({ min: 100, max: 40000 }),
    method: fk.internet.httpMethod(),
    path: fk.system.filePath(),
    status: fk.internet.httpStatusCode(),
    durationMs: fk.number.int({ min: 1, max: 3000 }),
    bytes: fk.number.int({ min: 100, max: 100000 }),
    ua: fk.internet.userAgent(),
    requestId: fk.string.hexadecimal({ length: 32, prefix: '' }),
    message: fk.hacker.phrase(),
  });
}
const FAKER: Partial<Record<SourceName, () => string>> = { vpcflow: fakerVpc, waf: fakerWaf };

const wafLines = streamChild ? undefined : (await import('../generators/waf/index.ts')).wafBackgroundLines;

/** Line-only fast paths (no event objects); the normal path is always measured too. */
const FAST: Partial<Record<SourceName, () => () => string | undefined>> = {
  vpcflow: () => {
    const f = new BackgroundFlows(createRng('bench').fork('background/vpcflow'), pools, request());
    return () => f.next();
  },
  waf: () => {
    return fromIterable(wafLines!(createRng('bench').fork('background/waf'), pools, request()));
  },
};

// ---------------------------------------------------------------------------------------------------------

const fmt = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(0)}k` : n.toFixed(0));

if (!streamChild) {
  const { backgroundGenerators } = await import('../generators/registry.ts');
  const rows: string[][] = [];
  const header = ['source', 'path', 'events', 'ev/s (cpu)', 'ev/s (wall)', 'MB/s (cpu)', 'B/ev', 'RSS MB', 'faker ev/s', 'x faker', 'Math.random ev/s', 'x Math.random'];
  for (const [source, gen] of Object.entries(backgroundGenerators) as [SourceName, NonNullable<(typeof backgroundGenerators)[SourceName]>][]) {
    if (only && !only.has(source)) continue;
    const twin = NAIVE[source] !== undefined;
    const fakerFn = FAKER[source] ?? fakerGeneric;
    const naiveFn = NAIVE[source] ?? naiveGeneric;
    const fakerM = measure(() => fakerFn);
    const naiveM = measure(() => naiveFn);
    const fakerRate = fakerM.events / fakerM.cpuS;
    const naiveRate = naiveM.events / naiveM.cpuS;
    const paths: [string, () => () => string | undefined][] = [
      ['events', () => fromIterable(gen.generate(createRng('bench').fork(`background/${source}`), pools, request()))],
    ];
    const fast = FAST[source];
    if (fast) paths.push(['lines', fast]);
    for (const [path, make] of paths) {
      const m = measure(make);
      const cpuRate = m.events / m.cpuS;
      const mark = twin ? '' : '*';
      rows.push([
        source, path, fmt(m.events), fmt(cpuRate), fmt(m.events / m.wallS), (m.bytes / m.cpuS / 1e6).toFixed(1), (m.bytes / Math.max(1, m.events)).toFixed(0),
        m.rssMb.toFixed(0), fmt(fakerRate), `${(cpuRate / fakerRate).toFixed(1)}x${mark}`, fmt(naiveRate), `${(cpuRate / naiveRate).toFixed(1)}x${mark}`,
      ]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  console.log(`firedrill generators bench — node ${process.version}, ${quick ? 'quick' : 'full'} run, ${BUDGET_MS} ms CPU or ${fmt(MAX_EVENTS)} events per row, one thread`);
  console.log(line(header));
  console.log(`|${widths.map((w, i) => (i < 2 ? ':' + '-'.repeat(w + 1) : '-'.repeat(w + 1) + ':')).join('|')}|`);
  for (const r of rows) console.log(line(r));
  if (sink === -1) console.log('');
  console.log('ev/s (cpu) = events per CPU-second of this process, each line materialized (one-core throughput, robust to a busy machine); x = ratio of ev/s (cpu).');
  console.log('* no naive twin written for this source: compared with a generic 15-field record (faker / Math.random) + JSON.stringify.');
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--stream-child', '--stream', String(streamN)], { stdio: 'inherit' });
  if (child.status !== 0) console.log(`streaming child exited with ${child.status ?? child.signal}`);
}

// ---------------------------------------------------------------------------------------------------------
// Streaming: the normal event path, through the file writer (backpressure) to /dev/null, RSS sampled.

if (streamChild) {
  const rate = 50_000;
  const gen = vpcFlowBackground;
  const req: BackgroundRequest = { window: { start: START, end: START + Math.ceil((streamN * 1000 * 1.1) / rate) + 60_000 }, rate: constantRate(rate) };
  const out = new LineWriter('/dev/null');
  const rss0 = process.memoryUsage.rss();
  let maxRss = rss0;
  let n = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (const e of gen.generate(createRng('stream').fork('background/vpcflow'), pools, req)) {
    const p = out.write(e.message);
    if (p) await p;
    if (++n >= streamN) break;
    if ((n & 0x3ffff) === 0) maxRss = Math.max(maxRss, process.memoryUsage.rss());
  }
  await out.close();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(cpu0);
  maxRss = Math.max(maxRss, process.memoryUsage.rss());
  console.log(
    `\nstreaming: ${fmt(n)} vpcflow events (normal event path → LineWriter → /dev/null) in ${wall.toFixed(1)} s wall / ${((c.user + c.system) / 1e6).toFixed(1)} s cpu ` +
      `(${fmt(n / wall)}/s wall); RSS start ${(rss0 / 1048576).toFixed(0)} MB, max ${(maxRss / 1048576).toFixed(0)} MB (limit 150 MB: ${maxRss / 1048576 <= 150 ? 'OK' : 'OVER'})`,
  );
}
