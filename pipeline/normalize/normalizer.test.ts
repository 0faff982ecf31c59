import zlib from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../core/errors.ts';
import { createRng } from '../../core/rng.ts';
import { defaultTopology } from '../../core/topology/default-topology.ts';
import type { FormatSpec } from '../../formats/types.ts';
import { STATE_PREFIX, lineageOfLine } from './layout.ts';
import type { FormatRegistry } from './normalize-object.ts';
import { Normalizer, type BatchManifest, type ObjectMarker, type ObjectRef } from './normalizer.ts';
import { memoryS3, type PutFault } from './test-memory-s3.ts';
import { PRUNED_CURATED_PREFIX, PRUNED_PREFIX } from '../store/read-back.ts';

const topology = defaultTopology();
const { rawBucket, accessLogBucket, curatedBucket } = topology.pipeline;
const lambdaGroup = topology.pipeline.logGroups.find((g) => g.source === 'lambda')!.name;

/** `T=<ms> <text>`: a format small enough that the test is about delivery, not parsing. */
const fake = (source: 'lambda' | 's3access'): FormatSpec<unknown> => ({
  source,
  title: 'fake',
  serialize: (r) => String(r),
  parse(line) {
    const m = /^T=(\d+) (.*)$/.exec(line);
    if (!m) throw new FormatError(`not a ${source} line`, { seen: line.slice(0, 40) });
    return { t: Number(m[1]), text: m[2] };
  },
  normalize: (r) => ({ time: (r as { t: number }).t, entities: {}, fields: { text: (r as { text: string }).text } }),
});
const formats: FormatRegistry = { lambda: fake('lambda'), s3access: fake('s3access') };

const T = Date.UTC(2026, 10, 20, 10, 59, 50);
const gz = (v: unknown) => zlib.gzipSync(JSON.stringify(v));

/** One CloudWatch Logs event as the subscription delivers it; `id` is its CWL event id. */
interface CwlEvent {
  id: string;
  timestamp: number;
  message: string;
}

/**
 * A drill in miniature, drawn by fast-check: events from a handful of texts and timestamps (so many are
 * content-identical, across envelopes, objects and two hour partitions), packed into envelopes and raw objects; S3
 * access log objects with identical lines; then at-least-once delivery: notifications repeated, an envelope
 * delivered again inside another raw object (same event ids), PUTs that fail or succeed with the answer lost, and
 * GETs that fail — each failed raw object retried until it goes through.
 */
const scenario = fc.record({
  texts: fc.array(fc.constantFrom('same', 'other', 'a "quoted" one', '∑ unicode'), { minLength: 1, maxLength: 3 }),
  events: fc.array(fc.record({ text: fc.nat(2), offset: fc.constantFrom(0, 0, 5_000, 15_000), stream: fc.constantFrom('s1', 's2') }), { minLength: 1, maxLength: 40 }),
  envelopeSize: fc.integer({ min: 1, max: 6 }),
  envelopesPerObject: fc.integer({ min: 1, max: 3 }),
  accessLines: fc.array(fc.nat(2), { maxLength: 8 }),
  accessObjects: fc.integer({ min: 0, max: 3 }),
  redeliveredEnvelopes: fc.array(fc.nat(), { maxLength: 3 }),
  repeatedNotifications: fc.array(fc.nat(), { maxLength: 4 }),
  batchSize: fc.integer({ min: 1, max: 5 }),
  putFaults: fc.double({ min: 0, max: 0.3, noNaN: true }),
  getFaults: fc.double({ min: 0, max: 0.2, noNaN: true }),
  seed: fc.nat(),
  batchBytes: fc.constantFrom(64, 1 << 20),
  // De-duplication state: slices of 5 s (the events fall in several) or 5 min; a budget of nothing (every idle slice
  // persisted and dropped after each batch, read back when touched) or plenty.
  sliceMs: fc.constantFrom(5_000, 300_000),
  stateBytes: fc.constantFrom(0, 1 << 24),
  // A pruner removing every curated object as soon as it is written: de-duplication must not need them.
  prune: fc.boolean(),
});

describe('Normalizer: de-duplication by delivery', () => {
  it('property: every distinct event is normalized exactly once, content-identical ones included, whatever is redelivered or retried', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (sc) => {
        const rng = createRng(`normalizer-property/${sc.seed}`);
        const s3 = memoryS3({
          putFault: (key): PutFault => (key.startsWith('raw/') || key.startsWith('logs/') ? 'none' : rng.chance(sc.putFaults) ? (rng.chance(0.5) ? 'refuse' : 'lose-answer') : 'none'),
          getFails: () => rng.chance(sc.getFaults),
          pageSize: 3,
        });
        const put = (bucket: string, key: string, body: Uint8Array) => s3.client.send(new (class PutObjectCommand { constructor(readonly input: object) {} })({ Bucket: bucket, Key: key, Body: body }) as never);

        // CloudWatch Logs events, each with its own id, packed into envelopes and raw objects.
        const text = (i: number) => sc.texts[i % sc.texts.length]!;
        const cwl: (CwlEvent & { stream: string })[] = sc.events.map((e, i) => ({ id: String(1000 + i), timestamp: T + e.offset, message: `T=${T + e.offset} ${text(e.text)}`, stream: e.stream }));
        const envelopes: { stream: string; events: CwlEvent[] }[] = [];
        for (const stream of ['s1', 's2']) {
          const mine = cwl.filter((e) => e.stream === stream);
          for (let i = 0; i < mine.length; i += sc.envelopeSize) envelopes.push({ stream, events: mine.slice(i, i + sc.envelopeSize).map(({ id, timestamp, message }) => ({ id, timestamp, message })) });
        }
        const envelopeBody = (e: (typeof envelopes)[number]) => gz({ messageType: 'DATA_MESSAGE', owner: '1', logGroup: lambdaGroup, logStream: e.stream, subscriptionFilters: ['f'], logEvents: e.events });
        const refs: ObjectRef[] = [];
        for (let i = 0; i < envelopes.length; i += sc.envelopesPerObject) {
          const key = `raw/obj-${i}.gz`;
          await put(rawBucket, key, Buffer.concat(envelopes.slice(i, i + sc.envelopesPerObject).map(envelopeBody)));
          refs.push({ bucket: rawBucket, key });
        }
        // Firehose delivering an envelope again, in an object of its own: the same CWL event ids.
        let copies = 0;
        for (const [n, pick] of sc.redeliveredEnvelopes.entries()) {
          if (envelopes.length === 0) break;
          const e = envelopes[pick % envelopes.length]!;
          const key = `raw/again-${n}.gz`;
          await put(rawBucket, key, envelopeBody(e));
          refs.push({ bucket: rawBucket, key });
          copies += e.events.length;
        }
        // S3 access log objects whose lines are all alike, inside and across objects.
        const accessLines = sc.accessLines.map((i) => `T=${T} ${text(i)}`);
        for (let o = 0; o < sc.accessObjects && accessLines.length > 0; o++) {
          const key = `logs/2026-11-20-10-59-50-${o}`;
          await put(accessLogBucket, key, new TextEncoder().encode(`${accessLines.join('\n')}\n`));
          refs.push({ bucket: accessLogBucket, key });
        }

        // At-least-once: some notifications twice; the batches in a shuffled order; failed objects retried.
        const queue = [...refs, ...sc.repeatedNotifications.map((i) => refs[i % refs.length]!)].filter(Boolean);
        for (let i = queue.length - 1; i > 0; i--) {
          const j = rng.int(0, i);
          [queue[i], queue[j]] = [queue[j]!, queue[i]!];
        }
        const normalizer = new Normalizer({ s3: s3.client, topology, formats, batchBytes: sc.batchBytes, sliceMs: sc.sliceMs, stateBytes: sc.stateBytes });
        const pruned = new Map<string, Uint8Array>();
        for (let round = 0; queue.length > 0; round++) {
          expect(round, 'the retries never ended').toBeLessThan(500);
          const batch = queue.splice(0, sc.batchSize);
          const results = await normalizer.processBatch(batch);
          for (const r of results) if ('error' in r) queue.push(r.ref);
          if (sc.prune) {
            for (const key of s3.keys(curatedBucket, topology.pipeline.curatedPrefix)) {
              pruned.set(key, s3.objects.get(`${curatedBucket}/${key}`)!.body);
              s3.objects.delete(`${curatedBucket}/${key}`);
            }
          }
        }

        // Curated data (pruned or not): one line per distinct delivery, and as many lines of each text as there were events.
        const lines: { dedupeKey: string; message: string; source: string }[] = [];
        const curated = new Map([...pruned, ...s3.keys(curatedBucket, topology.pipeline.curatedPrefix).map((key) => [key, s3.objects.get(`${curatedBucket}/${key}`)!.body] as const)]);
        for (const body of curated.values()) {
          const text = zlib.gunzipSync(body).toString('utf8');
          for (const l of text.split('\n').filter(Boolean)) {
            expect(lineageOfLine(l)).toBeDefined();
            lines.push(JSON.parse(l) as (typeof lines)[number]);
          }
        }
        expect(new Set(lines.map((l) => l.dedupeKey)).size).toBe(lines.length);
        const count = (xs: string[]) => xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>());
        const expected = [...cwl.map((e) => `lambda ${e.message}`), ...Array.from({ length: accessLines.length > 0 ? sc.accessObjects : 0 }, () => accessLines.map((l) => `s3access ${l}`)).flat()];
        expect(count(lines.map((l) => `${l.source} ${l.message}`))).toEqual(count(expected));

        // The manifests: every raw object's latest marker balances, and the duplicates are exactly the copies.
        const latest = new Map<string, ObjectMarker>();
        for (const key of s3.keys(curatedBucket, `${STATE_PREFIX}batches/`)) {
          const m = JSON.parse(Buffer.from(s3.objects.get(`${curatedBucket}/${key}`)!.body).toString('utf8')) as BatchManifest;
          for (const o of m.objects) if ((latest.get(o.rawId)?.processedAt ?? -1) <= o.processedAt) latest.set(o.rawId, o);
        }
        expect(latest.size).toBe(refs.length);
        const sum = (pick: (o: ObjectMarker) => Record<string, number>) => [...latest.values()].reduce((a, o) => a + Object.values(pick(o)).reduce((x, y) => x + y, 0), 0);
        expect(sum((o) => o.normalized)).toBe(expected.length);
        expect(sum((o) => o.duplicates)).toBe(copies);
        expect(sum((o) => o.landed)).toBe(expected.length + copies);
      }),
      { numRuns: 150 },
    );
  });
});

describe('Normalizer: de-duplication state without the curated objects', () => {
  it('a slice dropped for the budget, its curated objects pruned: a redelivery is settled from the state object, nothing normalized twice', async () => {
    const s3 = memoryS3();
    const put = (key: string, body: Uint8Array) => s3.client.send(new (class PutObjectCommand { constructor(readonly input: object) {} })({ Bucket: rawBucket, Key: key, Body: body }) as never);
    const events = [0, 1, 2].map((i) => ({ id: String(500 + i), timestamp: T + i, message: `T=${T + i} same` }));
    const envelope = gz({ messageType: 'DATA_MESSAGE', owner: '1', logGroup: lambdaGroup, logStream: 's1', subscriptionFilters: ['f'], logEvents: events });
    await put('raw/first.gz', envelope);
    // A budget of nothing: every slice is persisted and dropped when its batch ends.
    const deps = { s3: s3.client, topology, formats, stateBytes: 0 };
    const first = await new Normalizer(deps).processBatch([{ bucket: rawBucket, key: 'raw/first.gz' }]);
    expect(first.map((r) => ('marker' in r ? r.marker!.normalized : r))).toEqual([{ lambda: 3 }]);
    const curatedKeys = s3.keys(curatedBucket, topology.pipeline.curatedPrefix);
    expect(curatedKeys).toHaveLength(1);
    const states = s3.keys(curatedBucket, `${STATE_PREFIX}keys/`);
    expect(states).toHaveLength(1);
    // What the pruners and the ledger's read-back list: the state object is under none of their prefixes.
    for (const prefix of [topology.pipeline.curatedPrefix, PRUNED_PREFIX, PRUNED_CURATED_PREFIX, `${STATE_PREFIX}batches/`]) expect(states[0]!.startsWith(prefix)).toBe(false);
    // The curated pruner removes the object once the detector has read it.
    for (const k of curatedKeys) s3.objects.delete(`${curatedBucket}/${k}`);

    // The same raw object notified again, to an instance that has forgotten it (a new one), and the same envelope
    // delivered again by Firehose inside another raw object.
    await put('raw/again.gz', envelope);
    const later = new Normalizer(deps);
    const redelivered = await later.processBatch([
      { bucket: rawBucket, key: 'raw/first.gz' },
      { bucket: rawBucket, key: 'raw/again.gz' },
    ]);
    const markers = redelivered.map((r) => ('marker' in r ? r.marker! : r)) as ObjectMarker[];
    expect(markers.map((m) => [m.normalized, m.duplicates])).toEqual([
      [{ lambda: 3 }, { lambda: 0 }],
      [{ lambda: 0 }, { lambda: 3 }],
    ]);
    expect(s3.keys(curatedBucket, topology.pipeline.curatedPrefix)).toEqual([]);
  });
  it('an instance that stopped before persisting: the next one reads the curated objects its state does not cover', async () => {
    const s3 = memoryS3();
    const put = (key: string, body: Uint8Array) => s3.client.send(new (class PutObjectCommand { constructor(readonly input: object) {} })({ Bucket: rawBucket, Key: key, Body: body }) as never);
    const events = [0, 1].map((i) => ({ id: String(700 + i), timestamp: T + i, message: `T=${T + i} same` }));
    const envelope = gz({ messageType: 'DATA_MESSAGE', owner: '1', logGroup: lambdaGroup, logStream: 's1', subscriptionFilters: ['f'], logEvents: events });
    await put('raw/one.gz', envelope);
    await put('raw/copy.gz', envelope);
    // Plenty of budget: nothing is persisted.
    await new Normalizer({ s3: s3.client, topology, formats }).processBatch([{ bucket: rawBucket, key: 'raw/one.gz' }]);
    expect(s3.keys(curatedBucket, `${STATE_PREFIX}keys/`)).toEqual([]);
    const written = s3.keys(curatedBucket, topology.pipeline.curatedPrefix);
    const results = await new Normalizer({ s3: s3.client, topology, formats }).processBatch([{ bucket: rawBucket, key: 'raw/copy.gz' }]);
    expect(results.map((r) => ('marker' in r ? [r.marker!.normalized, r.marker!.duplicates] : r))).toEqual([[{ lambda: 0 }, { lambda: 2 }]]);
    expect(s3.keys(curatedBucket, topology.pipeline.curatedPrefix)).toEqual(written);
  });
});
