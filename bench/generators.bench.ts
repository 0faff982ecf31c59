/**
 * `npm run bench:generators`: throughput of every registered background generator on one core, against a
 * naive baseline measured in the same run, plus a 10-million-event streaming run watching RSS.
 *
 * Prints figures; asserts nothing (a bench is not a test). Flags: `--quick` (shorter runs),
 * `--stream <n>` (events of the streaming runs, default 10,000,000), `--only <source,…>`. The streaming runs
 * happen in child processes (`--stream-child`), so their RSS is their own and not the table's leftovers.
 *
 * Paths measured per source: `events` (the GeneratedEvent iterator every consumer uses), and where a source
 * has them `lines` (strings without event objects) and `bytes` (newline-terminated lines written into a
 * reused 64 KiB buffer by the generator's `fill()`; the bench hands each chunk to write(2) on /dev/null, as
 * the file writer does, and counts the lines fill() reports — a unit test holds that count and the bytes
 * equal to the event path's).
 *
 * The naive baselines, written the way most people would: one @faker-js/faker call per variable field (a
 * hand-rolled Math.random picker in the second, faster and stricter, baseline), an object per event,
 * JSON.stringify per event. For WAF the baseline is an equal-work twin: the same record shape, field count
 * and size as our records (all five managed rule groups, five request headers, labels), so `B/ev` and
 * `faker B/ev` can be compared; for VPC it is the definition (a JSON object of the 14 v2 fields),
 * which is larger than a flow line, as the `faker B/ev` column shows. Sources without a twin use a
 * generic 15-field record (marked *).
 *
 * Rates are reported per wall second and per CPU second of this process: on a shared machine the CPU
 * figure is the one-core throughput, the wall figure what this run happened to get.
 */
import { spawnSync } from 'node:child_process';
import { openSync, writeSync } from 'node:fs';
import type { Faker } from '@faker-js/faker';
import { fileURLToPath } from 'node:url';
import { createRng } from '../core/rng.ts';
import { defaultTopology, syntheticEstate } from '../core/topology/index.ts';
import type { SourceName } from '../core/vocabulary.ts';
// Static imports are what the streaming child needs; the table's extras (every registered source, faker)
// are imported dynamically by the parent only, so the child's RSS is the generator's, not the bench's.
import { buildPools, constantRate, LineWriter } from '../generators/common/index.ts';
import { ByteChunk } from '../generators/common/byte-chunk.ts';
import type { BackgroundRequest, EntityPools } from '../generators/types.ts';
import { BackgroundFlows, vpcFlowBackground } from '../generators/vpcflow/index.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const streamN = Number(args[args.indexOf('--stream') + 1] ?? NaN) || (quick ? 2_000_000 : 10_000_000);
const streamChild = args.includes('--stream-child');
const only = args.includes('--only') ? new Set(args[args.indexOf('--only') + 1]!.split(',')) : undefined;
const streamPath = args.includes('--stream-path') ? args[args.indexOf('--stream-path') + 1]! : 'events';
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

/** A chunk producer: appends lines to `out` up to about `untilBytes`, returns how many (0 at the end). */
type Fill = (out: ByteChunk, untilBytes: number) => number;
let devNull = -1;

/**
 * Like measure(), for a bytes path: 64 KiB chunks, each handed to write(2) on /dev/null as a file writer
 * would, lines counted from what fill() reports.
 */
function measureChunks(make: () => Fill): Measure {
  if (devNull < 0) devNull = openSync('/dev/null', 'w');
  const out = new ByteChunk(80 * 1024);
  const warm = make();
  for (let n = 0; n < 30_000; ) {
    out.reset();
    const k = warm(out, 64 * 1024);
    if (k === 0) break;
    n += k;
  }
  const fill = make();
  let events = 0;
  let bytes = 0;
  let rss = process.memoryUsage.rss();
  const cpu0 = cpuSeconds();
  const t0 = performance.now();
  while (events < MAX_EVENTS) {
    out.reset();
    const k = fill(out, 64 * 1024);
    if (k === 0) break;
    writeSync(devNull, out.buf, 0, out.pos);
    // Budget and RSS looked at every ~16k events, as measure() does (each look is a system call).
    const crossed = (events >>> 14) !== ((events + k) >>> 14);
    events += k;
    bytes += out.pos - k; // without the newlines, as the string rows count a line
    if (crossed) {
      if (cpuSeconds() - cpu0 > BUDGET_MS / 1000) break;
      rss = Math.max(rss, process.memoryUsage.rss());
    }
  }
  const wallS = (performance.now() - t0) / 1000;
  return { events, bytes, wallS, cpuS: cpuSeconds() - cpu0, rssMb: Math.max(rss, process.memoryUsage.rss()) / 1048576 };
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

const MANAGED_GROUP_IDS = ['AWS#AWSManagedRulesAmazonIpReputationList', 'AWS#AWSManagedRulesCommonRuleSet', 'AWS#AWSManagedRulesKnownBadInputsRuleSet', 'AWS#AWSManagedRulesSQLiRuleSet', 'AWS#AWSManagedRulesBotControlRuleSet'];
const ACCEPTS = ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'application/json', 'image/avif,image/webp,*/*'];
const LANGS = ['en-US,en;q=0.9', 'en-GB,en;q=0.9', 'de-DE,de;q=0.9,en;q=0.8', 'fr-FR,fr;q=0.9,en;q=0.8', 'nl-NL,nl;q=0.9,en;q=0.8'];
const SOURCE_IDS = ['123456789012-app/checkout-alb/1ca467cf13cfb347', '123456789012:a1b2c3d4e5:prod', 'E4A3C0827F180B'];

/** The WAF twin (same shape, fields and size as our records; see the header), Math.random pickers. */
function naiveWaf(): string {
  const country = pick(['US', 'GB', 'IN', 'DE', 'FR']);
  const rec = {
    timestamp: Date.parse(fakeDate()),
    formatVersion: 1,
    webaclId: `arn:aws:wafv2:us-east-1:123456789012:regional/webacl/firedrill-web-acl/${fakeUuid()}`,
    terminatingRuleId: pick(['Default_Action', 'AWS-AWSManagedRulesCommonRuleSet', 'RateLimit']),
    terminatingRuleType: pick(['REGULAR', 'MANAGED_RULE_GROUP', 'RATE_BASED']),
    action: pick(['ALLOW', 'BLOCK', 'CAPTCHA', 'CHALLENGE']),
    terminatingRuleMatchDetails: [],
    httpSourceName: pick(['ALB', 'APIGW', 'CF']),
    httpSourceId: pick(SOURCE_IDS),
    ruleGroupList: MANAGED_GROUP_IDS.map((id) => ({ ruleGroupId: id, terminatingRule: null, nonTerminatingMatchingRules: [], excludedRules: null, customerConfig: null })),
    rateBasedRuleList: [],
    nonTerminatingMatchingRules: [],
    requestHeadersInserted: null,
    responseCodeSent: null,
    httpRequest: {
      clientIp: fakeIpv4(),
      country,
      headers: [
        { name: 'Host', value: pick(['checkout.example.com', 'static.example.com', 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com']) },
        { name: 'User-Agent', value: pick(UAS) },
        { name: 'Accept', value: pick(ACCEPTS) },
        { name: 'Accept-Encoding', value: 'gzip, deflate, br' },
        { name: 'Accept-Language', value: pick(LANGS) },
      ],
      uri: pick(PATHS),
      args: '',
      httpVersion: pick(['HTTP/1.1', 'HTTP/2.0']),
      httpMethod: pick(['GET', 'POST', 'HEAD']),
      requestId: fakeUuid(),
    },
    labels: [{ name: `awswaf:clientip:geo:country:${country}` }],
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
/** The WAF twin with faker: one faker call per variable field, constants as literals, as our records have them. */
function fakerWaf(): string {
  const country = fk.location.countryCode();
  return JSON.stringify({
    timestamp: fk.date.recent().getTime(),
    formatVersion: 1,
    webaclId: `arn:aws:wafv2:us-east-1:123456789012:regional/webacl/firedrill-web-acl/${fk.string.uuid()}`,
    terminatingRuleId: fk.helpers.arrayElement(['Default_Action', 'AWS-AWSManagedRulesCommonRuleSet', 'RateLimit']),
    terminatingRuleType: fk.helpers.arrayElement(['REGULAR', 'MANAGED_RULE_GROUP', 'RATE_BASED']),
    action: fk.helpers.arrayElement(['ALLOW', 'BLOCK', 'CAPTCHA', 'CHALLENGE']),
    terminatingRuleMatchDetails: [],
    httpSourceName: fk.helpers.arrayElement(['ALB', 'APIGW', 'CF']),
    httpSourceId: `123456789012-app/checkout-alb/${fk.string.hexadecimal({ length: 16, casing: 'lower', prefix: '' })}`,
    ruleGroupList: MANAGED_GROUP_IDS.map((id) => ({ ruleGroupId: id, terminatingRule: null, nonTerminatingMatchingRules: [], excludedRules: null, customerConfig: null })),
    rateBasedRuleList: [],
    nonTerminatingMatchingRules: [],
    requestHeadersInserted: null,
    responseCodeSent: null,
    httpRequest: {
      clientIp: fk.internet.ipv4(),
      country,
      headers: [
        { name: 'Host', value: fk.internet.domainName() },
        { name: 'User-Agent', value: fk.internet.userAgent() },
        { name: 'Accept', value: fk.helpers.arrayElement(ACCEPTS) },
        { name: 'Accept-Encoding', value: 'gzip, deflate, br' },
        { name: 'Accept-Language', value: fk.helpers.arrayElement(LANGS) },
      ],
      uri: `/${fk.system.directoryPath().split('/').pop()}`,
      args: '',
      httpVersion: fk.helpers.arrayElement(['HTTP/1.1', 'HTTP/2.0']),
      httpMethod: fk.internet.httpMethod(),
      requestId: fk.string.uuid(),
    },
    labels: [{ name: `awswaf:clientip:geo:country:${country}` }],
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

const waf = streamChild ? undefined : await import('../generators/waf/index.ts');

/** Line-only fast paths (no event objects); the normal path is always measured too. */
const FAST: Partial<Record<SourceName, () => () => string | undefined>> = {
  vpcflow: () => {
    const f = new BackgroundFlows(createRng('bench').fork('background/vpcflow'), pools, request());
    return () => f.next();
  },
  waf: () => {
    return fromIterable(waf!.wafBackgroundLines(createRng('bench').fork('background/waf'), pools, request()));
  },
};

/** Bytes paths: chunks of whole lines from the generator's fill(). */
const BYTES: Partial<Record<SourceName, () => Fill>> = {
  vpcflow: () => {
    const f = new BackgroundFlows(createRng('bench').fork('background/vpcflow'), pools, request());
    return (out, until) => f.fill(out, until);
  },
  waf: () => {
    const s = new waf!.WafBackgroundStream(createRng('bench').fork('background/waf'), pools, request());
    return (out, until) => s.fill(out, until);
  },
};

// ---------------------------------------------------------------------------------------------------------

const fmt = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(0)}k` : n.toFixed(0));

if (!streamChild) {
  const { backgroundGenerators } = await import('../generators/registry.ts');
  const rows: string[][] = [];
  const header = ['source', 'path', 'events', 'ev/s (cpu)', 'ev/s (wall)', 'MB/s (cpu)', 'B/ev', 'RSS MB', 'faker ev/s', 'faker B/ev', 'x faker', 'Math.random ev/s', 'x Math.random'];
  for (const [source, gen] of Object.entries(backgroundGenerators) as [SourceName, NonNullable<(typeof backgroundGenerators)[SourceName]>][]) {
    if (only && !only.has(source)) continue;
    const twin = NAIVE[source] !== undefined;
    const fakerFn = FAKER[source] ?? fakerGeneric;
    const naiveFn = NAIVE[source] ?? naiveGeneric;
    const fakerM = measure(() => fakerFn);
    const naiveM = measure(() => naiveFn);
    const fakerRate = fakerM.events / fakerM.cpuS;
    const naiveRate = naiveM.events / naiveM.cpuS;
    const paths: [string, () => Measure][] = [
      ['events', () => measure(() => fromIterable(gen.generate(createRng('bench').fork(`background/${source}`), pools, request())))],
    ];
    const fast = FAST[source];
    if (fast) paths.push(['lines', () => measure(fast)]);
    const bytesPath = BYTES[source];
    if (bytesPath) paths.push(['bytes', () => measureChunks(bytesPath)]);
    for (const [path, run] of paths) {
      const m = run();
      const cpuRate = m.events / m.cpuS;
      const mark = twin ? '' : '*';
      rows.push([
        source, path, fmt(m.events), fmt(cpuRate), fmt(m.events / m.wallS), (m.bytes / m.cpuS / 1e6).toFixed(1), (m.bytes / Math.max(1, m.events)).toFixed(0),
        m.rssMb.toFixed(0), fmt(fakerRate), (fakerM.bytes / Math.max(1, fakerM.events)).toFixed(0), `${(cpuRate / fakerRate).toFixed(1)}x${mark}`, fmt(naiveRate), `${(cpuRate / naiveRate).toFixed(1)}x${mark}`,
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
  console.log('paths: events = GeneratedEvent iterator; lines = strings only; bytes = fill() into a reused 64 KiB chunk, each chunk written to /dev/null. RSS MB is this process (faker loaded); the streaming children below are the memory figure.');
  console.log('* no naive twin written for this source: compared with a generic 15-field record (faker / Math.random) + JSON.stringify.');
  for (const path of ['events', 'bytes']) {
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--stream-child', '--stream', String(streamN), '--stream-path', path], { stdio: 'inherit' });
    if (child.status !== 0) console.log(`streaming child (${path}) exited with ${child.status ?? child.signal}`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Streaming: the normal event path (or, with --stream-path bytes, the bytes path) through the file writer
// (backpressure) to /dev/null, RSS sampled.

if (streamChild) {
  const rate = 50_000;
  const req: BackgroundRequest = { window: { start: START, end: START + Math.ceil((streamN * 1000 * 1.1) / rate) + 60_000 }, rate: constantRate(rate) };
  const out = new LineWriter('/dev/null');
  const rss0 = process.memoryUsage.rss();
  let maxRss = rss0;
  let n = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  if (streamPath === 'bytes') {
    const flows = new BackgroundFlows(createRng('stream').fork('background/vpcflow'), pools, req);
    const chunk = new ByteChunk(80 * 1024);
    let sampled = 0;
    while (n < streamN) {
      chunk.reset();
      const k = flows.fill(chunk, 64 * 1024, streamN - n);
      if (k === 0) break;
      const p = out.writeChunk(chunk.view(), k);
      if (p) await p;
      n += k;
      if (n - sampled >= 0x3ffff) {
        sampled = n;
        maxRss = Math.max(maxRss, process.memoryUsage.rss());
      }
    }
  } else {
    for (const e of vpcFlowBackground.generate(createRng('stream').fork('background/vpcflow'), pools, req)) {
      const p = out.write(e.message);
      if (p) await p;
      if (++n >= streamN) break;
      if ((n & 0x3ffff) === 0) maxRss = Math.max(maxRss, process.memoryUsage.rss());
    }
  }
  await out.close();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(cpu0);
  const cpu = (c.user + c.system) / 1e6;
  maxRss = Math.max(maxRss, process.memoryUsage.rss());
  const what = streamPath === 'bytes' ? 'bytes path: fill() → LineWriter.writeChunk' : 'normal event path → LineWriter';
  console.log(
    `${streamPath === 'bytes' ? '' : '\n'}streaming: ${fmt(n)} vpcflow events (${what} → /dev/null) in ${wall.toFixed(1)} s wall / ${cpu.toFixed(1)} s cpu ` +
      `(${fmt(n / cpu)}/s cpu, ${fmt(n / wall)}/s wall); RSS start ${(rss0 / 1048576).toFixed(0)} MB, max ${(maxRss / 1048576).toFixed(0)} MB (limit 150 MB: ${maxRss / 1048576 <= 150 ? 'OK' : 'OVER'})`,
  );
}
