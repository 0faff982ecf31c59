import { z } from 'zod';
import { ENTITY_TYPES, FINDING_KINDS, INCIDENT_KINDS, REMEDIATION_OUTCOMES, SOURCES, type IncidentKind } from '../../core/index.ts';
import { duration, id, rate, timeOffset } from './primitives.ts';
import { estateSchema } from './estate-schema.ts';
import { timelineIssues } from './timeline-checks.ts';

/**
 * The drill format. Every object is strict (an unknown key is an error, with a "did you mean" for typos),
 * because a silently ignored misspelt key is a drill that tests something other than what its author meant.
 */

const sourceName = z.enum(SOURCES, { error: 'a log source' });
// core/vocabulary builds INCIDENT_KINDS with filter(), which TypeScript cannot narrow; the values are right.
const incidentKinds = INCIDENT_KINDS as unknown as readonly [IncidentKind, ...IncidentKind[]];
const entityType = z.enum(ENTITY_TYPES, { error: 'an entity type' });

const diurnal = z
  .strictObject({
    amplitude: z.number().min(0).max(1).default(0.3).meta({ description: 'Relative swing over the UTC day, 0..1.' }),
    peakHour: z.number().min(0).max(24).default(15).meta({ description: 'UTC hour at which traffic peaks.' }),
  })
  .meta({ description: 'Multiplies the base rate by a daily sinusoid (mean 1).' });

const ramp = z
  .strictObject({
    at: timeOffset,
    duration: duration.meta({ description: 'How long the climb (and, with hold, the descent) takes.' }),
    to: z.number().positive().max(100).meta({ description: 'Rate multiplier reached at the end of the climb, e.g. 3 = three times the base.' }),
    hold: duration.optional().meta({ description: 'Stay at `to` this long, then ramp back down to 1 over `duration`. Without it the rate stays at `to`.' }),
  })
  .meta({ description: 'A gradual change of rate (a marketing spike, a release gaining users).' });

const burst = z
  .strictObject({
    at: timeOffset,
    duration,
    rate: rate.meta({ description: 'Extra events on top of the base while the burst lasts.' }),
  })
  .meta({ description: 'A step of extra traffic (a deploy, a batch job).' });

export const rateProfileSchema = z
  .union([
    rate,
    z.strictObject({
      base: rate,
      diurnal: diurnal.optional(),
      jitter: z.number().min(0).max(0.5).optional().meta({ description: 'Relative standard deviation of minute-to-minute noise, e.g. 0.1.' }),
      ramps: z.array(ramp).optional(),
      bursts: z.array(burst).optional(),
    }),
  ])
  .meta({ description: 'A constant rate (`300/m`) or a composed profile: base × diurnal × jitter × ramps + bursts.' });

const replay = z
  .strictObject({
    file: z.string().min(1).meta({ description: 'Log file, relative to the scenario file.' }),
    format: z
      .enum(['native', 'cloudwatch-export', 'auto'])
      .default('auto')
      .meta({ description: 'native: one AWS log line per line; cloudwatch-export: JSON of `aws logs filter-log-events` / get-log-events, or NDJSON of CloudWatch events; auto: guess.' }),
    speed: z.number().positive().max(1000).default(1).meta({ description: 'Time compression: 2 replays twice as fast.' }),
    loop: z.boolean().default(false).meta({ description: 'Start over when the file ends before the drill does.' }),
    logGroup: z.string().min(1).optional().meta({ description: 'Destination log group (a declared one); default: each line’s own group (NDJSON `group`, an export’s `logGroupName`), else the first declared group of the source.' }),
    logStream: z.string().min(1).optional().meta({ description: 'Destination log stream; default: the stream in the export, or `replay`.' }),
    labels: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'Ground truth for the recording: a YAML/JSON/NDJSON list of `{ id?, kind, start, end, entities? }` windows in the file’s own clock, relative to the scenario file. Lines may also carry labels inline: NDJSON `label`, fail2ban’s `# failJSON: {"match": true}` comments (recognised by themselves), or a label column (`labelColumn`). Without any the drill is unlabelled: no precision or recall is claimed.' }),
    labelColumn: z
      .boolean()
      .default(false)
      .meta({ description: 'Each raw line starts with its label, as Loghub’s BGL and Thunderbird corpora: `-` for an ordinary line, a tag (`KERNDTLB`) for an alert. The token is cut before the line is replayed; labels reach only the truth manifest.' }),
    labelKind: z
      .enum(incidentKinds, { error: 'an incident kind' })
      .optional()
      .meta({ description: 'The incident kind of an inline label that names none itself: a label column’s tags, fail2ban’s matches, an NDJSON label such as `anomaly`.' }),
  })
  .meta({ description: 'Replays an existing log file re-timed onto the drill clock instead of generating traffic.' });

const background = z
  .strictObject({
    source: sourceName,
    name: id.optional().meta({ description: 'Names the stream when one source has several (the rng fork is `background/<name>`).' }),
    rate: rateProfileSchema.optional(),
    replay: replay.optional(),
    options: z.record(z.string(), z.unknown()).optional().meta({ description: 'Source-specific generator options.' }),
  })
  .meta({ description: 'Normal traffic of one source: generated at `rate`, or replayed from a file.' });

const entityValue = z
  .union([
    z.string().min(1),
    z.strictObject({
      pool: z.enum(['instances', 'lambdas', 'iamUsers', 'users', 'clients', 'internetNoise'], { error: 'an entity pool' }),
      match: z.string().min(1).optional().meta({ description: 'Only members whose name contains this text (e.g. `web-1`).' }),
    }),
  ])
  .meta({ description: 'A literal value (an IP, a user name) or a member drawn (seeded) from a pool.' });

const entities = z
  .strictObject(Object.fromEntries(ENTITY_TYPES.map((t) => [t, entityValue.optional()])) as Record<(typeof ENTITY_TYPES)[number], z.ZodOptional<typeof entityValue>>)
  .meta({ description: 'Entities the incident is about; the generator draws the ones left out.' });

const afterIncident = z
  .strictObject({
    after: id.meta({ description: 'Id of the incident this one follows.' }),
    lag: duration.meta({ description: 'Delay after that incident begins.' }),
  })
  .meta({ description: 'Starts `lag` after another incident begins (a cascade across incidents).' });

const cascadeLink = z
  .strictObject({
    from: sourceName,
    to: sourceName,
    lag: duration.meta({ description: 'Delay between the first symptom in `from` and the first symptom in `to`.' }),
  })
  .meta({ description: 'One link of a failure chain inside an incident (e.g. rds → app after 45s).' });

export const incidentSchema = z
  .strictObject({
    id,
    kind: z.enum(incidentKinds, { error: 'an incident kind' }),
    description: z.string().optional(),
    sources: z.array(sourceName).min(1).optional().meta({ description: 'Restrict to these of the generator sources (default: all of them).' }),
    at: z.union([timeOffset, afterIncident]),
    duration,
    intensity: z.number().gt(0).max(1).default(1).meta({ description: '0..1, scales volume; 1 is clear-cut.' }),
    entities: entities.optional(),
    cascade: z.array(cascadeLink).optional(),
    params: z.record(z.string(), z.unknown()).optional().meta({ description: 'Kind-specific generator parameters.' }),
  })
  .meta({ description: 'A fault injected during the fault phase.' });

const detectExpectation = z.strictObject({
  incident: id,
  kind: z.enum(FINDING_KINDS, { error: 'a finding kind' }).optional().meta({ description: 'Finding kind that counts; default: the incident kind.' }),
  entity: entityType.optional().meta({ description: 'The finding must name this entity of the incident (value resolved at compile time).' }),
  within: duration.meta({ description: 'Latest detection, measured from the incident onset (event time).' }),
});

const rootCauseExpectation = z.strictObject({
  incident: id,
  source: sourceName.meta({ description: 'Where the chain starts, e.g. rds.' }),
  entity: entityType.meta({ description: 'Entity the root-cause finding must name, e.g. database.' }),
  kind: z.enum(FINDING_KINDS, { error: 'a finding kind' }).default('root-cause'),
  within: duration,
});

const remediationExpectation = z.strictObject({
  incident: id,
  outcome: z.enum(REMEDIATION_OUTCOMES, { error: 'a remediation outcome' }),
  entity: entityType.optional().meta({ description: 'Entity of the incident the outcome applies to (e.g. ip for waf-ip-blocked).' }),
  within: duration.meta({ description: 'Latest time, after the incident onset, to read the outcome back from the estate.' }),
  params: z.record(z.string(), z.unknown()).optional().meta({ description: 'Outcome-specific checks (e.g. parameter, atLeast).' }),
});

const falsePositives = z
  .strictObject({
    max: z.number().int().min(0).meta({ description: 'Findings not matching any incident that are tolerated.' }),
    kinds: z.array(z.enum(FINDING_KINDS, { error: 'a finding kind' })).optional().meta({ description: 'Count only these kinds (default: all).' }),
  })
  .meta({ description: 'False-positive budget for the background.' });

const expectations = z.strictObject({
  detect: z.array(detectExpectation).default([]),
  rootCause: z.array(rootCauseExpectation).default([]),
  remediation: z.array(remediationExpectation).default([]),
  falsePositives: falsePositives.default({ max: 0 }),
});

export const scenarioObjectSchema = z.strictObject({
  id,
  title: z.string().min(1).max(100),
  description: z.string().min(1).meta({ description: 'One line, shown by `firedrill list`.' }),
  tags: z.array(z.string()).optional(),
  seed: z.union([z.string().min(1), z.number().int()], { error: 'a seed: a string or an integer' }),
  start: z.iso
    .datetime({ offset: true, error: 'an ISO 8601 date-time such as 2026-11-20T10:00:00Z' })
    .optional()
    .meta({ description: 'Drill start (event time). Default: now − duration − 5m, so every event is in the past and within CloudWatch Logs’ 14-day window.' }),
  duration: duration.meta({ description: 'Total drill length in event time (warm-up + fault + recovery).' }),
  estate: estateSchema.optional(),
  phases: z
    .strictObject({
      warmup: duration.meta({ description: 'Background only, so detectors learn a baseline. No incident may start here.' }),
      fault: duration.optional().meta({ description: 'Default: what remains after warm-up and recovery.' }),
      recovery: duration.optional().meta({ description: 'Background only, after the faults; default 0.' }),
    })
    .meta({ description: 'Chaos-engineering phases (as in AWS FIS / Chaos Toolkit).' }),
  background: z.array(background).min(1),
  incidents: z.array(incidentSchema).default([]),
  expect: expectations,
});

/** The full schema: shapes plus cross-field checks (phases add up, incidents start in the fault phase …). */
export const scenarioSchema = scenarioObjectSchema.superRefine((s, ctx) => {
  // zod runs refinements even when a shape check failed; the timeline rules need well-formed values.
  if (ctx.issues.length > 0) return;
  for (const issue of timelineIssues(s)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.expected, params: issue });
});

export type Scenario = z.output<typeof scenarioObjectSchema>;
/** What an author writes (defaults may be left out). */
export type ScenarioInput = z.input<typeof scenarioObjectSchema>;
export type IncidentSpec = Scenario['incidents'][number];
export type BackgroundSpec = Scenario['background'][number];
export type RateProfileSpec = z.output<typeof rateProfileSchema>;
export type EntityValueSpec = z.output<typeof entityValue>;
