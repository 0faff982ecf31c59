import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LineWriter } from '../generators/common/index.ts';
import { destinationKey, lineHash, TruthManifestWriter, truthEntryOf } from '../generators/common/index.ts';
import type { SourceName } from '../core/index.ts';
import type { Destination } from '../generators/index.ts';
import type { Plan } from './plan.ts';

export interface WrittenPlan {
  dir: string;
  events: number;
  truthEntries: number;
  streams: { file: string; dest: Destination; source: SourceName; events: number }[];
}

/** A readable, collision-free file name for a destination (the hash keeps `a/b` and `a_b` apart). */
function fileNameOf(dest: Destination): string {
  const key = destinationKey(dest);
  const readable = key.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 120);
  const ext = dest.kind === 'firehose' ? 'ndjson' : 'log';
  return `${readable}.${lineHash(key).slice(0, 6)}.${ext}`;
}

/**
 * Writes a plan to a folder in one pass: `streams/<destination>.log` with the native lines of each
 * destination in time order, `truth.ndjson` (the manifest), and `plan.json` (window, phases,
 * incidents, resolved expectations, and which file is which destination).
 */
export async function writePlanFiles(plan: Plan, dir: string): Promise<WrittenPlan> {
  await mkdir(join(dir, 'streams'), { recursive: true });
  const writers = new Map<string, { w: LineWriter; info: WrittenPlan['streams'][number] }>();
  const truth = new TruthManifestWriter(join(dir, 'truth.ndjson'));
  let events = 0;
  for (const e of plan.events()) {
    const key = destinationKey(e.dest);
    let slot = writers.get(key);
    if (!slot) {
      const file = join('streams', fileNameOf(e.dest));
      slot = { w: new LineWriter(join(dir, file)), info: { file, dest: e.dest, source: e.source, events: 0 } };
      writers.set(key, slot);
    }
    const t = truthEntryOf(e);
    if (t) await truth.write(t);
    await slot.w.write(e.message);
    slot.info.events++;
    events++;
  }
  for (const { w } of writers.values()) await w.close();
  await truth.close();
  const streams = [...writers.values()].map((s) => s.info).sort((a, b) => a.file.localeCompare(b.file));
  const meta = {
    scenario: plan.scenario.id,
    title: plan.scenario.title,
    seed: plan.seed,
    window: { start: new Date(plan.window.start).toISOString(), end: new Date(plan.window.end).toISOString(), startMs: plan.window.start, endMs: plan.window.end },
    phases: plan.phases,
    incidents: plan.incidents,
    expectations: plan.expectations,
    streams,
    events,
    truthEntries: truth.entries,
  };
  await writeFile(join(dir, 'plan.json'), `${JSON.stringify(meta, null, 2)}\n`);
  return { dir, events, truthEntries: truth.entries, streams };
}
