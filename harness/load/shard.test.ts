import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultTopology, syntheticEstate } from '../../core/topology/index.ts';
import { loadTruthToDrill, parseLoadTruth } from '../score/index.ts';
import { IngestTally, type WireEvent } from '../deliver/types.ts';
import { loadScenario } from '../../scenarios/index.ts';
import { incidentTemplates } from './choose-incidents.ts';
import type { LoadSender } from './load-sender.ts';
import type { LoadSettings } from './load-settings.ts';
import { planTick } from './plan-tick.ts';
import { runTick, type RunLoadOptions } from './run-load.ts';
import { parseShard, shardOf, streamKey, type Shard } from './shard.ts';

/**
 * Sharded load: three processes with one seed send disjoint parts of the very traffic one process sends. Checked on
 * the truth-bearing part that matters (what each sender was handed, and what each truth file says), tick by tick.
 */
const file = resolve('scenarios/bad-day.yaml');
const topology = defaultTopology();
const estate = syntheticEstate(topology);
const NOW = Date.parse('2026-11-21T12:03:00Z');
const SLICE = 180_000; // every incident of bad-day fits a 3-minute slice (preflight-tick.test.ts)

function recordingSender(): LoadSender & { sent: WireEvent[] } {
  const sent: WireEvent[] = [];
  return {
    sent,
    async send(events) {
      const tally = new IngestTally();
      for (const e of events) {
        sent.push(e);
        tally.generated(e.source);
        tally.accepted(e.source);
      }
      return tally.snapshot();
    },
  };
}

let dir: string;
const line = (e: WireEvent) => JSON.stringify(e);

async function tick(k: number, shard: Shard | undefined): Promise<{ sent: WireEvent[]; truth: string }> {
  const scenario = await loadScenario(file);
  const settings: LoadSettings = { schedule: '*/3 * * * *', sliceMs: SLICE, anomalies: 'random', incidents: [], probability: 1, ticks: 2 };
  const sender = recordingSender();
  const truthFile = join(dir, `truth-${shard ? shard.index : 'all'}-${k}.jsonl`);
  const opts: RunLoadOptions = { scenario, file, topology, estate, settings, seed: 'shards', templates: incidentTemplates(scenario, settings, []), sender, truthFile, ...(shard ? { shard } : {}) };
  await runTick(opts, planTick(k, NOW + k * SLICE, SLICE, 'shards'));
  return { sent: sender.sent, truth: await readFile(truthFile, 'utf8') };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'firedrill-shard-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('firedrill load --shard i/n', () => {
  it('reads i/n and refuses what is not a shard, with the fix', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['3/3', '-1/3', '1', '0/0', 'a/b']) expect(() => parseShard(bad), bad).toThrow(/expected: i\/n[\s\S]*--shard 0\/3/);
  });

  it('3 shards of one seed together send the unsharded run event for event, overlap nowhere, and keep each stream whole', async () => {
    for (const k of [1]) {
      const whole = await tick(k, undefined);
      const parts = await Promise.all([0, 1, 2].map((index) => tick(k, { index, count: 3 })));
      expect(whole.sent.length).toBeGreaterThan(1_000);
      // Together: the same events (as a multiset: sorted lines) as the unsharded run.
      expect(parts.reduce((n, p) => n + p.sent.length, 0)).toBe(whole.sent.length);
      expect(parts.flatMap((p) => p.sent.map(line)).sort()).toEqual(whole.sent.map(line).sort());
      // Disjoint: no stream is sent by two shards.
      const streamsOf = parts.map((p) => new Set(p.sent.map(streamKey)));
      for (const [a, b] of [[0, 1], [0, 2], [1, 2]] as const) expect([...streamsOf[a]!].filter((s) => streamsOf[b]!.has(s))).toEqual([]);
      // Each stream in one shard only, in the order the unsharded run sends it; every shard gets some streams.
      parts.forEach((p, i) => {
        expect(p.sent.length, `shard ${i}`).toBeGreaterThan(0);
        expect(p.sent.every((e) => shardOf(e, 3) === i)).toBe(true);
        const streams = new Set(p.sent.map(streamKey));
        expect(p.sent.map(line)).toEqual(whole.sent.filter((e) => streams.has(streamKey(e))).map(line));
      });

      // Their truth files, concatenated, are the unsharded run's truth (each incident once, its events summed).
      const merged = loadTruthToDrill(parseLoadTruth(parts.map((p) => p.truth).join(''), 'shards'), 'shards');
      const alone = loadTruthToDrill(parseLoadTruth(whole.truth, 'whole'), 'whole');
      const byId = (t: typeof alone) => [...t.incidents].sort((a, b) => a.id.localeCompare(b.id)).map(({ wallStart: _w, ...i }) => i);
      expect(alone.incidents.length).toBeGreaterThan(0);
      expect(byId(merged)).toEqual(byId(alone));
      expect(merged.window).toEqual(alone.window);
      const wholeEvents = (JSON.parse(whole.truth) as { incidents: { id: string; events: number }[] }).incidents;
      const partEvents = parts.flatMap((p) => (JSON.parse(p.truth) as { incidents: { id: string; events: number }[] }).incidents);
      for (const i of wholeEvents) expect(partEvents.filter((x) => x.id === i.id).reduce((n, x) => n + x.events, 0), i.id).toBe(i.events);
    }
  }, 120_000);
});
