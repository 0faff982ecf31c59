import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { ConfigError, ENTITY_TYPES, FINDING_KINDS, INCIDENT_KINDS, REMEDIATION_OUTCOMES, type IncidentKind } from '../../core/index.ts';
import type { ExpectedIncident } from '../evaluate/index.ts';

/**
 * `truth.json`: what a drill planted, written by the run beside its reports and read by `firedrill score`. It is
 * the harness's truth manifest for one drill (never sent to the SUT): the scenario, its seed and window, the
 * false-positive budget, and per incident its kind, window, planted entities, detection requirements, expected
 * root cause and remediation, and the wall time its first event was accepted by the sink. Times are ISO 8601.
 */
export interface DrillTruth {
  scenarioId: string;
  title: string;
  seed: string | number;
  /** Event-time window, epoch ms. */
  window: { start: number; end: number };
  falsePositiveBudget: number;
  incidents: ExpectedIncident[];
  /** Wall time (epoch ms) observation started and ended (the drill's end): bounds wall-time matching. */
  wallStart?: number;
  wallEnd?: number;
  /** The matching windows the run used (the SUT file's `matching`). */
  matching?: { skewMs: number; graceMs: number };
  /** Where the run was (for reading a SUT's taps again with `firedrill score --findings <sut file>`). */
  prefix?: string;
  region?: string;
}

export const TRUTH_FORMAT = 'firedrill-truth';

const iso = z.iso.datetime({ offset: true, error: 'an ISO 8601 time such as 2026-11-20T12:00:00.000Z' });
const span = z.strictObject({ start: iso, end: iso });
const kinds = INCIDENT_KINDS as unknown as readonly [IncidentKind, ...IncidentKind[]];

const truthSchema = z.strictObject({
  format: z.literal(TRUTH_FORMAT),
  version: z.literal(1),
  scenarioId: z.string(),
  title: z.string(),
  seed: z.union([z.string(), z.number()]),
  window: span,
  falsePositiveBudget: z.int().min(0),
  wall: z.strictObject({ start: iso.optional(), end: iso.optional() }).optional(),
  matching: z.strictObject({ skewMs: z.number().min(0), graceMs: z.number().min(0) }).optional(),
  prefix: z.string().optional(),
  region: z.string().optional(),
  incidents: z.array(
    z.strictObject({
      id: z.string(),
      kind: z.enum(kinds),
      window: span,
      entities: z.partialRecord(z.enum(ENTITY_TYPES), z.string()),
      mustDetect: z.boolean(),
      detectWithinSeconds: z.number().min(0),
      detections: z.array(z.strictObject({ kind: z.enum(FINDING_KINDS), withinSeconds: z.number().min(0), entityType: z.enum(ENTITY_TYPES).optional() })).optional(),
      expectedRootCause: z.string().optional(),
      expectedRemediation: z.array(z.strictObject({ outcome: z.enum(REMEDIATION_OUTCOMES), params: z.record(z.string(), z.union([z.string(), z.number()])) })),
      wallStart: iso.optional(),
    }),
  ),
});
export type TruthFileData = z.infer<typeof truthSchema>;

const toIso = (ms: number) => new Date(ms).toISOString();
const toMs = (s: string) => Date.parse(s);

/** The file's JSON for a drill's truth. */
export function truthToJson(t: DrillTruth): TruthFileData {
  return {
    format: TRUTH_FORMAT,
    version: 1,
    scenarioId: t.scenarioId,
    title: t.title,
    seed: t.seed,
    window: { start: toIso(t.window.start), end: toIso(t.window.end) },
    falsePositiveBudget: t.falsePositiveBudget,
    ...(t.wallStart !== undefined || t.wallEnd !== undefined ? { wall: { ...(t.wallStart !== undefined ? { start: toIso(t.wallStart) } : {}), ...(t.wallEnd !== undefined ? { end: toIso(t.wallEnd) } : {}) } } : {}),
    ...(t.matching ? { matching: t.matching } : {}),
    ...(t.prefix !== undefined ? { prefix: t.prefix } : {}),
    ...(t.region !== undefined ? { region: t.region } : {}),
    incidents: t.incidents.map((i) => ({
      id: i.id,
      kind: i.kind,
      window: { start: toIso(i.window.start), end: toIso(i.window.end) },
      entities: i.entities,
      mustDetect: i.mustDetect,
      detectWithinSeconds: i.detectWithinSeconds,
      ...(i.detections ? { detections: i.detections } : {}),
      ...(i.expectedRootCause !== undefined ? { expectedRootCause: i.expectedRootCause } : {}),
      expectedRemediation: i.expectedRemediation,
      ...(i.wallStart !== undefined ? { wallStart: toIso(i.wallStart) } : {}),
    })),
  };
}

export function truthFromJson(d: TruthFileData): DrillTruth {
  return {
    scenarioId: d.scenarioId,
    title: d.title,
    seed: d.seed,
    window: { start: toMs(d.window.start), end: toMs(d.window.end) },
    falsePositiveBudget: d.falsePositiveBudget,
    ...(d.wall?.start ? { wallStart: toMs(d.wall.start) } : {}),
    ...(d.wall?.end ? { wallEnd: toMs(d.wall.end) } : {}),
    ...(d.matching ? { matching: d.matching } : {}),
    ...(d.prefix !== undefined ? { prefix: d.prefix } : {}),
    ...(d.region !== undefined ? { region: d.region } : {}),
    incidents: d.incidents.map((i) => ({
      id: i.id,
      kind: i.kind,
      window: { start: toMs(i.window.start), end: toMs(i.window.end) },
      entities: i.entities,
      mustDetect: i.mustDetect,
      detectWithinSeconds: i.detectWithinSeconds,
      ...(i.detections ? { detections: i.detections } : {}),
      ...(i.expectedRootCause !== undefined ? { expectedRootCause: i.expectedRootCause } : {}),
      expectedRemediation: i.expectedRemediation,
      ...(i.wallStart !== undefined ? { wallStart: toMs(i.wallStart) } : {}),
    })),
  };
}

/** Writes `truth.json` (creating its directory). */
export async function writeTruthFile(path: string, truth: DrillTruth): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(truthToJson(truth), null, 2)}\n`);
}

/** Reads and checks a drill's `truth.json`; every problem named with the fix. */
export function parseTruthJson(text: string, file: string): DrillTruth {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${file}: not JSON`, { expected: 'the truth.json a firedrill run writes', seen: (err as Error).message, fix: 'point --truth at <report-dir>/<drill>/truth.json, or at a load run’s truth file (JSON lines)' });
  }
  const r = truthSchema.safeParse(data);
  if (!r.success) {
    const issues = r.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`);
    throw new ConfigError(`${file}: not a firedrill truth file`, { expected: `{ "format": "${TRUTH_FORMAT}", "version": 1, … } as a run writes it`, seen: issues.join('; '), fix: 'point --truth at <report-dir>/<drill>/truth.json, or at a load run’s truth file' });
  }
  return truthFromJson(r.data);
}

export async function readTruthFile(path: string): Promise<DrillTruth> {
  return parseTruthJson(await readFile(path, 'utf8'), path);
}
