import { z } from 'zod';
import { CASCADE_KIND, ConfigError, ENTITY_TYPES, INCIDENT_KINDS, type IncidentKind } from '../../core/index.ts';
import type { ExpectedIncident } from '../evaluate/index.ts';
import type { DrillTruth } from './truth-file.ts';

/**
 * The truth file of `firedrill load` (one JSON line per tick: harness/load's TruthRecord) as one drill's truth:
 * every tick's incidents, each to be detected within its own window (ids `t<tick>:<id>`), over the event time from
 * the first slice's start to the last one's end, no false positive allowed. A load truth states no detection
 * deadline, root or remediation: detection is judged by kind, entities and time; a cascade's root is its database.
 */
const iso = z.iso.datetime({ offset: true });
const kinds = INCIDENT_KINDS as unknown as readonly [IncidentKind, ...IncidentKind[]];
const tickSchema = z.object({
  tick: z.int().min(0),
  seed: z.string(),
  slice: z.object({ start: iso, end: iso }),
  sentAt: iso.optional(),
  shard: z.string().optional(),
  incidents: z.array(z.object({ id: z.string(), kind: z.enum(kinds), window: z.object({ start: iso, end: iso }), entities: z.partialRecord(z.enum(ENTITY_TYPES), z.string()), events: z.int().min(0) })),
});
export type LoadTruthTick = z.infer<typeof tickSchema>;

/** The ticks of a load truth file (JSON lines); a bad line is an error at file:line. */
export function parseLoadTruth(text: string, file: string): LoadTruthTick[] {
  const ticks: LoadTruthTick[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch (err) {
      throw new ConfigError(`${file}:${i + 1}: not a JSON line`, { expected: 'one tick per line, as `firedrill load` writes its truth file', seen: (err as Error).message });
    }
    const r = tickSchema.safeParse(data);
    if (!r.success) throw new ConfigError(`${file}:${i + 1}: not a load tick`, { expected: '{ tick, seed, slice: { start, end }, incidents: [ { id, kind, window, entities, events } ] }', seen: r.error.issues.slice(0, 4).map((x) => `${x.path.join('.')}: ${x.message}`).join('; ') });
    ticks.push(r.data);
  });
  if (ticks.length === 0) throw new ConfigError(`${file}: no ticks`, { expected: 'at least one tick line', seen: 'an empty file', fix: 'let `firedrill load` run at least one tick' });
  return ticks;
}

/**
 * The lines of one tick from several shards (`firedrill load --shard i/n`, their truth files concatenated) as one:
 * the incidents of every shard, each once with its events summed, sent from the earliest shard's start. A file
 * without shards passes through unchanged.
 */
export function mergeLoadShards(ticks: readonly LoadTruthTick[]): LoadTruthTick[] {
  const byTick = new Map<number, LoadTruthTick>();
  for (const t of ticks) {
    const seen = byTick.get(t.tick);
    if (!seen) {
      byTick.set(t.tick, { ...t, incidents: t.incidents.map((i) => ({ ...i })) });
      continue;
    }
    if (seen.seed !== t.seed || seen.slice.start !== t.slice.start || seen.slice.end !== t.slice.end) {
      throw new ConfigError(`tick ${t.tick} appears twice with different seeds or slices`, {
        expected: "one line per tick, or one per shard of the same run (the same --seed and --schedule)",
        seen: `${seen.seed} ${seen.slice.start}–${seen.slice.end} and ${t.seed} ${t.slice.start}–${t.slice.end}`,
        fix: 'score each run on its own; merge only the truth files of the shards of one run',
      });
    }
    if (t.sentAt && (!seen.sentAt || t.sentAt < seen.sentAt)) seen.sentAt = t.sentAt;
    for (const i of t.incidents) {
      const same = seen.incidents.find((x) => x.id === i.id);
      if (same) same.events += i.events;
      else seen.incidents.push({ ...i });
    }
  }
  return [...byTick.values()].map(({ shard: _shard, ...t }) => t);
}

/** One truth over every tick of a load run (the shards of a sharded run merged). */
export function loadTruthToDrill(allTicks: readonly LoadTruthTick[], file: string): DrillTruth {
  const ticks = mergeLoadShards(allTicks);
  const ms = (s: string) => Date.parse(s);
  const incidents: ExpectedIncident[] = ticks.flatMap((t) =>
    t.incidents.map((i): ExpectedIncident => {
      const window = { start: ms(i.window.start), end: ms(i.window.end) };
      return {
        id: `t${t.tick}:${i.id}`,
        kind: i.kind,
        window,
        entities: i.entities,
        // An incident none of whose events were sent cannot be seen; it is listed, not required.
        mustDetect: i.events > 0,
        detectWithinSeconds: Math.max(0, (window.end - window.start) / 1000),
        ...(i.kind === CASCADE_KIND && i.entities.database ? { expectedRootCause: `rds:${i.entities.database}` } : {}),
        expectedRemediation: [],
        ...(t.sentAt ? { wallStart: ms(t.sentAt) } : {}),
      };
    }),
  );
  return {
    scenarioId: 'load',
    title: `load run (${ticks.length} tick${ticks.length === 1 ? '' : 's'}, ${file})`,
    seed: ticks[0]!.seed,
    window: { start: Math.min(...ticks.map((t) => ms(t.slice.start))), end: Math.max(...ticks.map((t) => ms(t.slice.end))) },
    falsePositiveBudget: 0,
    incidents,
  };
}
