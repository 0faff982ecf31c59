import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultTopology, syntheticEstate } from '../../core/topology/index.ts';
import { IngestTally, type WireEvent } from '../deliver/types.ts';
import { loadScenario } from '../../scenarios/index.ts';
import { incidentTemplates } from './choose-incidents.ts';
import type { LoadSender } from './load-sender.ts';
import type { LoadSettings } from './load-settings.ts';
import { runLoad, type RunLoadOptions, type TickReport, type TruthRecord } from './run-load.ts';

const file = resolve('scenarios/waf-http-flood.yaml');
const topology = defaultTopology();
const estate = syntheticEstate(topology);

/** Accepts everything but every third event of a tick, and keeps what it was handed. */
function recordingSender(delayMs = 0): LoadSender & { sent: WireEvent[][] } {
  const sent: WireEvent[][] = [];
  return {
    sent,
    async send(events) {
      const tally = new IngestTally();
      const batch = [...events];
      sent.push(batch);
      batch.forEach((e, i) => {
        tally.generated(e.source);
        if (i % 3 === 2) tally.rejected(e.source, 'tooOld');
        else tally.accepted(e.source);
      });
      await new Promise((r) => setTimeout(r, delayMs));
      return tally.snapshot();
    },
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'firedrill-load-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function options(settings: Partial<LoadSettings>, sender: LoadSender, reports: TickReport[]): Promise<RunLoadOptions> {
  const scenario = await loadScenario(file);
  const full: LoadSettings = { schedule: '* * * * * *', sliceMs: 1_000, anomalies: 'enforce', incidents: ['waf-http-flood'], probability: 0.25, ticks: 2, ...settings };
  return { scenario, file, topology, estate, settings: full, seed: 's', templates: incidentTemplates(scenario, full, ['waf-http-flood']), sender, truthFile: join(dir, 'sub', 'truth.jsonl'), onTick: (r) => reports.push(r) };
}

describe('runLoad (schedule every second, recording sender)', () => {
  it('runs the given ticks, reports counts that add up, and writes the truth of each tick apart from what was sent', async () => {
    const sender = recordingSender();
    const reports: TickReport[] = [];
    const result = await runLoad(await options({}, sender, reports));
    expect(result).toMatchObject({ ticks: 2, stoppedBy: 'ticks' });
    expect(reports.map((r) => r.tick)).toEqual([0, 1]);
    expect(reports[1]!.slice.start).toBe(reports[0]!.slice.end);
    for (const [k, r] of reports.entries()) {
      expect(r.totals.generated).toBe(sender.sent[k]!.length);
      expect(r.totals.generated).toBe(r.totals.accepted + r.totals.rejected);
      expect(r.totals.rejected).toBe(Math.floor(r.totals.generated / 3));
      expect(r.balanced).toBe(true);
      expect(r.incidents).toEqual([{ id: `flood-t${k}`, kind: 'waf-http-flood' }]);
    }
    expect(result.ingest.sources.waf!.generated).toBe(sender.sent.flat().length);

    const truth = (await readFile(join(dir, 'sub', 'truth.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as TruthRecord);
    expect(truth.map((t) => t.incidents.map((i) => i.id))).toEqual([['flood-t0'], ['flood-t1']]);
    expect(truth.every((t) => t.incidents[0]!.events > 0)).toBe(true);
    // The sender got wire events only: four fields, no label, no incident id anywhere.
    for (const e of sender.sent.flat()) {
      expect(Object.keys(e).sort()).toEqual(['dest', 'message', 'source', 'time']);
      expect(JSON.stringify(e)).not.toMatch(/flood-t\d|incidentId|waf-http-flood/);
    }
  });

  it('skips fires while a tick is still running instead of overlapping, and says so', async () => {
    const reports: TickReport[] = [];
    const result = await runLoad(await options({ anomalies: 'none', incidents: [] }, recordingSender(1_600), reports));
    expect(result.ticks).toBe(2);
    expect(reports[1]!.skippedFires).toBeGreaterThanOrEqual(1);
    expect(reports.every((r) => r.incidents.length === 0)).toBe(true);
  });

  it('an abort finishes the tick in progress, then stops', async () => {
    const reports: TickReport[] = [];
    const stop = new AbortController();
    const opts = await options({ ticks: undefined }, recordingSender(300), reports);
    opts.onTick = (r) => {
      reports.push(r);
      stop.abort();
    };
    const result = await runLoad({ ...opts, signal: stop.signal });
    expect(result).toMatchObject({ ticks: 1, stoppedBy: 'signal' });
    expect(reports).toHaveLength(1);
  });
});
