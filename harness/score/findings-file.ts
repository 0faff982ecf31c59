import { createReadStream } from 'node:fs';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { ConfigError } from '../../core/index.ts';
import type { Observation } from '../observe/index.ts';

/**
 * `findings.jsonl`: what a run observed of the SUT, one observation per line, appended as the taps see them.
 * A finding whose content changed (an upserted item) is appended again; a reader keeps its latest content and
 * its first sighting. Times are ISO 8601; `raw` is the SUT's own finding, whole.
 */
const iso = z.iso.datetime({ offset: true, error: 'an ISO 8601 time' });
const lineSchema = z.object({
  tap: z.string().min(1),
  id: z.string().min(1),
  observedAt: iso,
  arrivedAt: iso.optional(),
  claimedTime: iso.optional(),
  firstSeen: iso.optional(),
  lastSeen: iso.optional(),
  entities: z.array(z.string()).default([]),
  kind: z.string().optional(),
  rootCause: z.array(z.string()).optional(),
  explanation: z.string().optional(),
  failureClass: z.string().optional(),
  text: z.string().default(''),
  raw: z.unknown(),
  mapErrors: z.array(z.string()).optional(),
  origin: z.string().optional(),
});
export type FindingsLine = z.input<typeof lineSchema>;

const toIso = (ms: number) => new Date(ms).toISOString();

/** One observation as a findings.jsonl line (without the newline). */
export function observationToLine(o: Observation): string {
  const line: FindingsLine = {
    tap: o.tap,
    id: o.id,
    observedAt: toIso(o.observedAt),
    ...(o.arrivedAt !== undefined ? { arrivedAt: toIso(o.arrivedAt) } : {}),
    ...(o.claimedTime !== undefined ? { claimedTime: toIso(o.claimedTime) } : {}),
    ...(o.firstSeen !== undefined ? { firstSeen: toIso(o.firstSeen) } : {}),
    ...(o.lastSeen !== undefined ? { lastSeen: toIso(o.lastSeen) } : {}),
    entities: o.entities,
    ...(o.kind !== undefined ? { kind: o.kind } : {}),
    ...(o.rootCause ? { rootCause: o.rootCause } : {}),
    ...(o.explanation !== undefined ? { explanation: o.explanation } : {}),
    ...(o.failureClass !== undefined ? { failureClass: o.failureClass } : {}),
    text: o.text,
    raw: o.raw,
    ...(o.mapErrors ? { mapErrors: o.mapErrors } : {}),
    ...(o.origin !== undefined ? { origin: o.origin } : {}),
  };
  return JSON.stringify(line);
}

/** Appends observations to findings.jsonl (creating it and its directory): call it after every poll. */
export async function appendObservations(path: string, observations: readonly Observation[]): Promise<void> {
  if (observations.length === 0) return;
  await mkdir(dirname(path), { recursive: true });
  await appendFile(path, `${observations.map(observationToLine).join('\n')}\n`);
}

/** Writes findings.jsonl anew with these observations. */
export async function writeObservations(path: string, observations: readonly Observation[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, observations.length ? `${observations.map(observationToLine).join('\n')}\n` : '');
}

function fromLine(text: string, where: string): Observation {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${where}: not a JSON line`, { expected: 'one observation per line, as a firedrill run writes findings.jsonl', seen: (err as Error).message, fix: 'each line must be a whole JSON object' });
  }
  const r = lineSchema.safeParse(data);
  if (!r.success) {
    throw new ConfigError(`${where}: not an observation`, {
      expected: '{ "tap", "id", "observedAt" (ISO), "entities"?, "claimedTime"?, "kind"?, "text"?, "raw", … }',
      seen: r.error.issues.slice(0, 4).map((i) => `${i.path.join('.') || '(line)'}: ${i.message}`).join('; '),
      fix: 'see docs/SUT.md, “findings.jsonl”',
    });
  }
  const d = r.data;
  const ms = (s: string | undefined) => (s === undefined ? undefined : Date.parse(s));
  const o: Observation = { tap: d.tap, id: d.id, observedAt: ms(d.observedAt)!, entities: d.entities, text: d.text, raw: d.raw };
  for (const k of ['arrivedAt', 'claimedTime', 'firstSeen', 'lastSeen'] as const) if (d[k] !== undefined) o[k] = ms(d[k]);
  if (d.kind !== undefined) o.kind = d.kind;
  if (d.rootCause) o.rootCause = d.rootCause;
  if (d.explanation !== undefined) o.explanation = d.explanation;
  if (d.failureClass !== undefined) o.failureClass = d.failureClass;
  if (d.mapErrors) o.mapErrors = d.mapErrors;
  if (d.origin !== undefined) o.origin = d.origin;
  return o;
}

/**
 * Reads findings.jsonl: one observation per tap and id, with the latest line's content and the earliest
 * sighting (observedAt, arrivedAt). Blank lines are skipped; a bad line is an error at file:line.
 */
export async function readObservations(path: string): Promise<Observation[]> {
  const byKey = new Map<string, Observation>();
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const text of lines) {
      n++;
      if (!text.trim()) continue;
      const o = fromLine(text, `${path}:${n}`);
      const key = `${o.tap}\u0000${o.id}`;
      const before = byKey.get(key);
      if (before) {
        o.observedAt = Math.min(before.observedAt, o.observedAt);
        if (before.arrivedAt !== undefined) o.arrivedAt = Math.min(before.arrivedAt, o.arrivedAt ?? Infinity);
        byKey.delete(key);
      }
      byKey.set(key, o);
    }
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') throw new ConfigError(`cannot read ${path}`, { expected: 'a findings.jsonl file', seen: 'no such file', fix: 'point --findings at <report-dir>/<drill>/findings.jsonl or at the SUT file' });
    throw err;
  }
  // In order of first sighting, as the run saw them.
  return [...byKey.values()].sort((a, b) => a.observedAt - b.observedAt);
}
