import { dirname, resolve } from 'node:path';
import { parseDuration, systemClock } from '../core/index.ts';
import { FiredrillError } from '../core/index.ts';
import { createRng, type Rng } from '../core/index.ts';
import { logGroupRouter, type EstateIds, type Topology } from '../core/topology/index.ts';
import { CASCADE_KIND, WAF_SHARE_SHIFT_KIND, type Entities, type EntityType, type FindingKind, type IncidentKind, type RemediationOutcome, type SourceName } from '../core/index.ts';
import { buildPools, type PoolOptions } from '../generators/common/index.ts';
import { mergeByTime } from '../generators/common/index.ts';
import { destinationKey, truthEntryOf } from '../generators/common/index.ts';
import { backgroundGenerators, incidentGenerators } from '../generators/index.ts';
import type { BackgroundGenerator, Destination, EntityPools, GeneratedEvent, GenerateWindow, IncidentGenerator, IncidentRequest, TruthEntry } from '../generators/index.ts';
import { ScenarioValidationError, type ScenarioIssue } from './errors.ts';
import { closest, displayPath } from '../core/config-file/index.ts';
import type { Plan, PlannedIncident, PlannedStream, ResolvedDetection, ResolvedExpectations, EntityRef } from './plan.ts';
import { buildRateProfile } from './rate-spec.ts';
import { readRecording, replayEvents, timeRecording, type RecordedLine } from './replay.ts';
import { inlineLabelWindows, readLabels, type LabelWindow } from './replay-labels.ts';
import { topologyOf } from './topology-of.ts';
import type { BackgroundSpec, EntityValueSpec, IncidentSpec, Scenario } from './schema/scenario-schema.ts';
import { incidentOnsets, phaseSpans, resolveStart } from './schema/timeline-checks.ts';

export interface GeneratorRegistry {
  background: Partial<Record<SourceName, BackgroundGenerator>>;
  incidents: Partial<Record<IncidentKind, IncidentGenerator>>;
}

export interface CompileOptions {
  /** Epoch ms the default start is computed from (now − duration − 5m). Default: the system clock. */
  now?: number;
  /** Overrides the scenario's seed (e.g. `--seed` on the CLI). */
  seed?: string | number;
  /** Default: the scenario's declared estate (topologyOf). */
  topology?: Topology;
  /** Generators to use (tests inject fakes); default: generators/registry.ts. */
  generators?: GeneratorRegistry;
  pools?: PoolOptions;
  /** The scenario file: names it in messages and anchors relative `replay.file` paths. */
  file?: string;
  /**
   * `validate`'s extra checks, which cost a first event per incident: params the kind's generator never reads (a
   * misspelt `rate` is silently the default otherwise) and entities it does not use.
   */
  strict?: boolean;
}

/** The params of a request as the generator sees them, recording which keys it reads. */
function trackedParams(params: Record<string, unknown>): { params: Record<string, unknown>; read: Set<string> } {
  const read = new Set<string>();
  const proxy = new Proxy(params, {
    get(t, k, r) {
      if (typeof k === 'string') read.add(k);
      return Reflect.get(t, k, r) as unknown;
    },
    has(t, k) {
      if (typeof k === 'string') read.add(k);
      return Reflect.has(t, k);
    },
    ownKeys(t) {
      // A generator that walks its params (to refuse unknown keys itself) reads them all.
      for (const k of Reflect.ownKeys(t)) if (typeof k === 'string') read.add(k);
      return Reflect.ownKeys(t);
    },
  });
  return { params: proxy, read };
}

/** A generator broke its contract (an event outside its window, time going back, a missing label). */
export class GeneratorContractError extends FiredrillError {}

/** Default entity of each outcome: what the playbook acts on. */
const OUTCOME_ENTITY: Record<RemediationOutcome, EntityType> = {
  'waf-ip-blocked': 'ip',
  'nacl-deny-entry': 'ip',
  'sg-ingress-revoked': 'ip',
  'rds-parameter-raised': 'database',
  'ecs-service-redeployed': 'service',
  'access-key-inactive': 'accessKey',
  'lambda-concurrency-throttled': 'function',
  's3-versioning-enabled': 'bucket',
  's3-delete-denied': 'bucket',
  'ec2-instance-stopped': 'instance',
  'ec2-instance-isolated': 'instance',
  // The cluster's endpoint is closed because of an address; the node group grows because of a node.
  'eks-endpoint-private': 'ip',
  'eks-nodegroup-scaled': 'node',
};

/** Where a source's lines go when nothing else says: the first log group the topology declares for it. */
export function defaultDestination(source: SourceName, topology: Topology, estate: EstateIds, logStream = 'replay'): Destination {
  if (source === 'waf') return { kind: 'firehose', deliveryStream: estate.deliveryStreams.waf };
  if (source === 's3access') return { kind: 's3', bucket: estate.buckets.accessLogs, prefix: `${estate.buckets.data}/` };
  const group = topology.pipeline.logGroups.find((g) => g.source === source);
  if (!group) throw new RangeError(`defaultDestination: the topology declares no log group for ${source}`);
  return { kind: 'cwl', logGroup: group.name, logStream };
}

/** The value a pool member gives for an entity type, or undefined when it has none. */
function memberValue(pool: string, member: unknown, type: EntityType): string | undefined {
  const m = member as Record<string, unknown>;
  switch (pool) {
    case 'instances': {
      const i = member as EstateIds['instances'][number];
      return ({ instance: i.instanceId, eni: i.eniId, ip: i.privateIp, host: `ip-${i.privateIp.replaceAll('.', '-')}` } as Partial<Record<EntityType, string>>)[type];
    }
    case 'lambdas':
      return type === 'function' ? String(m.name) : undefined;
    case 'iamUsers': {
      const u = member as EstateIds['iamUsers'][number];
      return ({ principal: u.arn, accessKey: u.accessKeyId } as Partial<Record<EntityType, string>>)[type];
    }
    case 'users': {
      const u = member as EntityPools['users'][number];
      return ({ principal: u.iamUser?.arn ?? u.userName, accessKey: u.iamUser?.accessKeyId, ip: u.homeIps[0], country: u.country } as Partial<Record<EntityType, string>>)[type];
    }
    case 'clients': {
      const c = member as EntityPools['clients'][number];
      return ({ ip: c.ip, country: c.country } as Partial<Record<EntityType, string>>)[type];
    }
    case 'internetNoise':
      return type === 'ip' ? String(member) : undefined;
  }
  return undefined;
}

function poolMembers(pools: EntityPools, pool: string): { name: string; member: unknown }[] {
  switch (pool) {
    case 'instances':
      return pools.estate.instances.map((i) => ({ name: i.name, member: i }));
    case 'lambdas':
      return pools.estate.lambdas.map((l) => ({ name: l.name, member: l }));
    case 'iamUsers':
      return pools.estate.iamUsers.map((u) => ({ name: u.userName, member: u }));
    case 'users':
      return pools.users.map((u) => ({ name: u.userName, member: u }));
    case 'clients':
      return pools.clients.map((c) => ({ name: c.ip, member: c }));
    case 'internetNoise':
      return pools.internetNoise.map((ip) => ({ name: ip, member: ip }));
  }
  return [];
}

function* guardStream(
  events: Iterable<GeneratedEvent>,
  stream: string,
  window: GenerateWindow,
  label: { incidentId: string; kind: IncidentKind } | undefined,
  sources: readonly SourceName[] | undefined,
): Generator<GeneratedEvent, void, undefined> {
  let last = -Infinity;
  // Built once, not per event: this loop sees every event of a run.
  const fail = (what: string, expected: string, seen: string) =>
    new GeneratorContractError(`generator ${stream}: ${what}`, { expected, seen, fix: `fix the ${stream} generator (generators/); the compiler never edits events` });
  for (const e of events) {
    if (sources && !sources.includes(e.source)) continue; // the scenario restricted the incident to some sources
    if (e.time < window.start || e.time >= window.end || !Number.isInteger(e.time)) {
      throw fail('event outside its window', `an integer time in [${new Date(window.start).toISOString()}, ${new Date(window.end).toISOString()})`, `${Number.isFinite(e.time) ? new Date(e.time).toISOString() : e.time} (${e.source})`);
    }
    if (e.time < last) throw fail('time went back', 'non-decreasing event times', `${e.time} after ${last}`);
    last = e.time;
    if (label) {
      if (!e.label || e.label.incidentId !== label.incidentId || e.label.kind !== label.kind) {
        throw fail('unlabelled or mislabelled incident event', `label { incidentId: ${label.incidentId}, kind: ${label.kind} }`, JSON.stringify(e.label ?? null));
      }
    } else if (e.label) {
      throw fail('labelled background event', 'no label on background events', JSON.stringify(e.label));
    }
    yield e;
  }
}

interface StreamFactory {
  info: PlannedStream;
  open(): Iterable<GeneratedEvent>;
}

/**
 * Compiles a validated scenario against an estate into a Plan. Deterministic: the same scenario, seed and
 * estate give the same events and truth, because every stream draws from its own named fork of the seed
 * (`background/<name>`, `incident/<id>`), so editing one stream never shifts another.
 */
export function compile(scenario: Scenario, estate: EstateIds, opts: CompileOptions = {}): Plan {
  const file = opts.file ?? `${scenario.id}.yaml`;
  const registry = opts.generators ?? { background: backgroundGenerators, incidents: incidentGenerators };
  const topology = opts.topology ?? topologyOf({ estate: { ...scenario.estate, region: scenario.estate?.region ?? estate.region } });
  const seed = String(opts.seed ?? scenario.seed);
  const rng = createRng(seed);
  const start = resolveStart(scenario, opts.now ?? systemClock.now());
  const total = parseDuration(scenario.duration);
  const window: GenerateWindow = { start, end: start + total };
  const spans = phaseSpans(scenario);
  const phases = spans.map((p) => ({ name: p.name, start: start + p.start, end: start + p.end }));
  const pools = buildPools(rng.fork('pools'), estate, topology, opts.pools);
  const issues: ScenarioIssue[] = [];
  const issue = (path: (string | number)[], summary: string, expected: string, seen?: string, fix?: string) =>
    issues.push({ file, line: undefined, column: undefined, path: displayPath(path), segments: path, summary, expected, seen, fix });

  // Background streams (a replay's labels add incidents and their detections).
  const factories: StreamFactory[] = [];
  const incidents: PlannedIncident[] = [];
  const labelDetections: ResolvedDetection[] = [];
  let unlabelled = false;
  scenario.background.forEach((b: BackgroundSpec, i) => {
    const name = `background/${b.name ?? b.source}`;
    if (b.replay) {
      const r = b.replay;
      const baseDir = opts.file ? dirname(opts.file) : process.cwd();
      let dest: Destination;
      try {
        dest = defaultDestination(b.source, topology, estate, r.logStream ?? 'replay');
      } catch (err) {
        issue(['background', i, 'source'], 'no destination for this source', 'a source the topology declares', b.source, (err as Error).message);
        return;
      }
      if (dest.kind === 'cwl' && r.logGroup) dest = { ...dest, logGroup: r.logGroup };
      const file = resolve(baseDir, r.file);
      // Read once here: a file that is not there, or lines bound for groups the estate does not declare, are
      // problems of the drill file, reported by `validate`, not surprises in the middle of a run.
      let recorded: RecordedLine[];
      try {
        recorded = readRecording(file, r.format, b.source, { labelColumn: r.labelColumn });
      } catch (err) {
        const e = err as FiredrillError;
        if (e.message.startsWith('replay: cannot read')) {
          issue(['background', i, 'replay', 'file'], 'replay file not readable', e.expected ?? 'a readable log file', e.seen ?? r.file, 'paths in `replay.file` are relative to the scenario file');
        } else {
          // Read, but its inline labels are malformed or of a shape the drill did not declare.
          issue(['background', i, 'replay', r.labelColumn ? 'labelColumn' : 'file'], e.message.split('\n')[0]!, e.expected ?? 'a replayable recording', e.seen, e.fix);
        }
        return;
      }
      const keepGroups = r.logGroup === undefined;
      const groups = new Set([...(dest.kind === 'cwl' ? [dest.logGroup] : []), ...(keepGroups ? recorded.flatMap((x) => (x.logGroup ? [x.logGroup] : [])) : [])]);
      const route = logGroupRouter(topology);
      // A line's own group decides its source (a recording of seeds/004 holds rds, app and ECS lines); the group
      // must be one the estate creates, or the sink would have nowhere to put it.
      const sources = new Set<SourceName>([b.source]);
      for (const g of groups) {
        const found = route(g);
        if (found && topology.pipeline.logGroups.some((d) => d.name === g)) {
          if (g !== r.logGroup || found.source === b.source) {
            sources.add(found.source);
            continue;
          }
        }
        const declared = topology.pipeline.logGroups.map((d) => d.name);
        issue(
          ['background', i, 'replay', r.logGroup ? 'logGroup' : 'file'],
          found && g === r.logGroup ? `log group ${g} holds ${found.source} lines, not ${b.source}` : `log group ${g} is not declared`,
          `a log group of the estate (${declared.slice(0, 6).join(', ')}${declared.length > 6 ? ', …' : ''})`,
          g,
          `declare it: estate.logGroups: [{ name: ${g}, source: ${found?.source ?? b.source} }]`,
        );
      }
      const sourceOf = (g: string) => route(g)?.source;
      const replay = { file, format: r.format, speed: r.speed, loop: r.loop, source: b.source, window, dest, keepStreams: r.logStream === undefined, keepGroups, recorded, sourceOf };
      factories.push({ info: { name, kind: 'replay', sources: [...sources] }, open: () => guardStream(replayEvents(replay), name, window, undefined, undefined) });
      // Ground truth for the recording: windows of a labels file and inline labels, moved onto the drill clock.
      const timed = timeRecording(recorded, window.start, r.speed);
      let windows: LabelWindow[];
      try {
        windows = r.labels ? readLabels(resolve(baseDir, r.labels)) : [];
      } catch (err) {
        const e = err as FiredrillError;
        issue(['background', i, 'replay', 'labels'], e.message.split('\n')[0]!, e.expected ?? 'a labels file', e.seen, e.fix);
        return;
      }
      try {
        windows.push(...inlineLabelWindows(timed.lines, { file: r.file, ...(r.labelKind ? { labelKind: r.labelKind } : {}) }));
      } catch (err) {
        const e = err as FiredrillError;
        issue(['background', i, 'replay', r.labelKind ? 'file' : 'labelKind'], e.message.split('\n')[0]!, e.expected ?? 'labelled lines', e.seen, e.fix);
        return;
      }
      if (!r.labels && windows.length === 0) unlabelled = true;
      windows.forEach((w, n) => {
        const id = w.id ?? `${b.name ?? b.source}-label-${n + 1}`;
        const start = Math.max(window.start, timed.toDrill(w.start));
        const incWindow = { start, end: Math.max(start + 1, Math.min(window.end, timed.toDrill(w.end) + 1)) };
        incidents.push({ id, kind: w.kind, sources: [...sources], window: incWindow, intensity: 1, entities: w.entities, params: {} });
        labelDetections.push({ incidentId: id, kind: defaultFindingKind(w.kind), withinMs: incWindow.end - incWindow.start + 60_000, deadline: incWindow.end + 60_000 });
      });
      return;
    }
    const gen = registry.background[b.source];
    if (!gen) {
      const have = Object.keys(registry.background);
      issue(['background', i, 'source'], `no background generator registered for \`${b.source}\``, `one of the registered sources (${have.join(', ') || 'none yet'})`, b.source, 'register it in generators/registry.ts, or replay a log file with `replay:`');
      return;
    }
    const streamRng = rng.fork(name);
    const rate = buildRateProfile(b.rate!, { start, phases: spans, seed: streamRng.seed });
    factories.push({
      info: { name, kind: 'background', sources: [b.source] },
      open: () => guardStream(gen.generate(rng.fork(name), pools, { window, rate, ...(b.options ? { options: b.options } : {}) }), name, window, undefined, undefined),
    });
  });

  // Incidents.
  const onsets = incidentOnsets(scenario, spans);
  scenario.incidents.forEach((inc: IncidentSpec, i) => {
    const gen = registry.incidents[inc.kind];
    if (!gen) {
      const have = Object.keys(registry.incidents);
      issue(['incidents', i, 'kind'], `no incident generator registered for \`${inc.kind}\``, `one of the registered kinds (${have.join(', ') || 'none yet'})`, inc.kind, 'register it in generators/registry.ts');
      return;
    }
    const bad = (inc.sources ?? []).filter((s) => !gen.sources.includes(s));
    if (bad.length) {
      issue(['incidents', i, 'sources'], 'source not produced by this incident kind', `a subset of ${gen.sources.join(', ')}`, bad.join(', '), `remove ${bad.join(', ')}`);
      return;
    }
    const onset = start + onsets.get(inc.id)!;
    const incWindow = { start: onset, end: onset + parseDuration(inc.duration) };
    const chosen: Entities = {};
    const entityRng = rng.fork(`entities/${inc.id}`);
    for (const [type, spec] of Object.entries(inc.entities ?? {}) as [EntityType, EntityValueSpec | undefined][]) {
      if (spec === undefined) continue;
      if (typeof spec === 'string') {
        chosen[type] = spec;
        continue;
      }
      const members = poolMembers(pools, spec.pool).filter((m) => spec.match === undefined || m.name.includes(spec.match));
      const values = members.map((m) => memberValue(spec.pool, m.member, type)).filter((v): v is string => v !== undefined);
      if (values.length === 0) {
        const names = poolMembers(pools, spec.pool).slice(0, 8).map((m) => m.name);
        const guess = spec.match ? closest(spec.match, names) : undefined;
        issue(['incidents', i, 'entities', type], `nothing in pool \`${spec.pool}\` gives a \`${type}\``, `a pool member${spec.match ? ` whose name contains "${spec.match}"` : ''} with a ${type}`, names.join(', '), guess ? `did you mean \`${guess}\`?` : 'pick another pool or match');
        continue;
      }
      chosen[type] = pickFrom(entityRng.fork(type), values);
    }
    let cascade: PlannedIncident['cascade'];
    if (inc.cascade?.length) {
      const links = inc.cascade.map((l) => ({ from: l.from, to: l.to, lagMs: parseDuration(l.lag) }));
      const offsets: Partial<Record<SourceName, number>> = { [links[0]!.from]: 0 };
      for (const l of links) offsets[l.to] = (offsets[l.from] ?? 0) + l.lagMs;
      cascade = { links, offsets };
    }
    const sources = inc.sources ? [...inc.sources] : [...gen.sources];
    // Generators validate their params strictly, so only the scenario's params go through, plus the
    // cascade links in the generators' own terms: `lags.<to>Seconds` is the delay of `to` behind `from`.
    const params: Record<string, unknown> = { ...(inc.params ?? {}) };
    if (cascade) {
      const given = (typeof params.lags === 'object' && params.lags !== null ? params.lags : {}) as Record<string, unknown>;
      params.lags = { ...given, ...Object.fromEntries(cascade.links.map((l) => [`${l.to}Seconds`, l.lagMs / 1000])) };
    }
    const req: IncidentRequest = { incidentId: inc.id, kind: inc.kind, window: incWindow, intensity: inc.intensity, entities: chosen, params };
    const name = `incident/${inc.id}`;
    const described = gen.describe(rng.fork(name), pools, req);
    // An expectation about a chosen entity is only honest if the generator really used it.
    for (const [type, value] of Object.entries(chosen) as [EntityType, string][]) {
      const used = described[type];
      if (used !== undefined && used !== value) {
        issue(['incidents', i, 'entities', type], `the ${inc.kind} generator does not use the chosen ${type}`, `the generator to report ${type} ${value}`, `it reports ${used}`, `leave \`entities.${type}\` out and let the generator draw it, or choose another ${type}`);
      } else if (used === undefined && opts.strict) {
        const has = Object.keys(described);
        issue(['incidents', i, 'entities', type], `a ${inc.kind} incident is not about a ${type}`, `one of the entities it uses (${has.join(', ') || 'none'})`, type, closest(type, has) ? `did you mean \`${closest(type, has)}\`?` : `remove \`entities.${type}\``);
      }
    }
    if (opts.strict && inc.params && Object.keys(inc.params).length) {
      // What the generator reads while describing the incident and making its first event is what it knows.
      const tracked = trackedParams({ ...params });
      const probe = { ...req, params: tracked.params };
      try {
        gen.describe(rng.fork(name), pools, probe);
        for (const _e of gen.generate(rng.fork(name), pools, probe)) break;
      } catch (err) {
        issue(['incidents', i, 'params'], `the ${inc.kind} generator refuses its params`, 'params the generator accepts', (err as Error).message.split('\n')[0], 'see the kind in scenarios/README.md');
      }
      const unknown = Object.keys(inc.params).filter((k) => !tracked.read.has(k));
      for (const k of unknown) {
        const known = [...tracked.read].filter((x) => !(x in inc.params!));
        issue(['incidents', i, 'params', k], `\`${k}\` is not a param of ${inc.kind}`, known.length ? `one of the params it reads (${known.join(', ')})` : `no params: ${inc.kind} reads none`, k, closest(k, known) ? `did you mean \`${closest(k, known)}\`?` : `remove \`params.${k}\``);
      }
    }
    incidents.push({ id: inc.id, kind: inc.kind, sources, window: incWindow, intensity: inc.intensity, entities: { ...described, ...chosen }, ...(cascade ? { cascade } : {}), params });
    const label = { incidentId: inc.id, kind: inc.kind };
    factories.push({
      info: { name, kind: 'incident', sources },
      open: () => guardStream(gen.generate(rng.fork(name), pools, req), name, incWindow, label, inc.sources),
    });
  });

  const expectations = resolveExpectations(scenario, incidents, issue);
  expectations.detect.push(...labelDetections);
  if (issues.length) throw new ScenarioValidationError(issues);

  const events = (): Iterable<GeneratedEvent> => ({ [Symbol.iterator]: () => mergeByTime(factories.map((f) => f.open())) });
  const plan: Plan = {
    scenario,
    seed,
    window,
    phases,
    topology,
    estate,
    streams: factories.map((f) => f.info),
    incidents,
    ...(unlabelled ? { unlabelled } : {}),
    expectations,
    events,
    eventsFor: (key) => ({
      *[Symbol.iterator]() {
        for (const e of events()) if (destinationKey(e.dest) === key) yield e;
      },
    }),
    byDestination() {
      const out = new Map<string, { dest: Destination; source: SourceName; events: GeneratedEvent[] }>();
      for (const e of events()) {
        const key = destinationKey(e.dest);
        let slot = out.get(key);
        if (!slot) out.set(key, (slot = { dest: e.dest, source: e.source, events: [] }));
        slot.events.push(e);
      }
      return out;
    },
    truth: () => ({
      *[Symbol.iterator]() {
        for (const e of events()) {
          const t: TruthEntry | undefined = truthEntryOf(e);
          if (t) yield t;
        }
      },
    }),
  };
  return plan;
}

/** Incidents are detected by a finding of the same kind; a cascade by a root-cause finding, WAF modes by a share shift. */
export function defaultFindingKind(kind: IncidentKind): FindingKind {
  return kind === CASCADE_KIND ? 'root-cause' : kind === WAF_SHARE_SHIFT_KIND ? 'share-shift' : kind;
}

function pickFrom(rng: Rng, values: string[]): string {
  return rng.pick(values);
}

function resolveExpectations(
  scenario: Scenario,
  incidents: PlannedIncident[],
  issue: (path: (string | number)[], summary: string, expected: string, seen?: string, fix?: string) => void,
): ResolvedExpectations {
  const byId = new Map(incidents.map((x) => [x.id, x]));
  const entityOf = (path: (string | number)[], inc: PlannedIncident, type: EntityType): EntityRef | undefined => {
    const value = inc.entities[type];
    if (value === undefined) {
      const have = Object.keys(inc.entities);
      issue(path, `incident \`${inc.id}\` has no \`${type}\` entity`, `one of its entities (${have.join(', ') || 'none'})`, type, closest(type, have) ? `did you mean \`${closest(type, have)}\`?` : `set \`entities.${type}\` on the incident`);
      return undefined;
    }
    return { type, value };
  };
  const out: ResolvedExpectations = { detect: [], rootCause: [], remediation: [], falsePositives: { max: scenario.expect.falsePositives.max, ...(scenario.expect.falsePositives.kinds ? { kinds: scenario.expect.falsePositives.kinds } : {}) } };
  scenario.expect.detect.forEach((d, i) => {
    const inc = byId.get(d.incident);
    if (!inc) return; // a missing generator was already reported for that incident
    const withinMs = parseDuration(d.within);
    const entity = d.entity ? entityOf(['expect', 'detect', i, 'entity'], inc, d.entity) : undefined;
    out.detect.push({ incidentId: inc.id, kind: d.kind ?? defaultFindingKind(inc.kind), ...(entity ? { entity } : {}), withinMs, deadline: inc.window.start + withinMs });
  });
  scenario.expect.rootCause.forEach((r, i) => {
    const inc = byId.get(r.incident);
    if (!inc) return;
    const entity = entityOf(['expect', 'rootCause', i, 'entity'], inc, r.entity);
    if (!entity) return;
    const withinMs = parseDuration(r.within);
    out.rootCause.push({ incidentId: inc.id, kind: r.kind, source: r.source, entity, root: `${r.source}:${entity.value}`, withinMs, deadline: inc.window.start + withinMs });
  });
  scenario.expect.remediation.forEach((r, i) => {
    const inc = byId.get(r.incident);
    if (!inc) return;
    const type = r.entity ?? OUTCOME_ENTITY[r.outcome];
    const entity = entityOf(['expect', 'remediation', i, r.entity ? 'entity' : 'outcome'], inc, type);
    const withinMs = parseDuration(r.within);
    const params: Record<string, string | number | boolean> = {};
    for (const [k, v] of Object.entries(r.params ?? {})) if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') params[k] = v;
    if (entity) params[entity.type] = entity.value;
    out.remediation.push({ incidentId: inc.id, outcome: r.outcome, ...(entity ? { entity } : {}), params, withinMs, deadline: inc.window.start + withinMs });
  });
  return out;
}
