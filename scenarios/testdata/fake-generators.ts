/**
 * Stand-in generators for compiler tests: they honour the generator contract (non-decreasing times
 * inside the window, labels on incident events, cascade offsets) with trivial lines, so the compiler's
 * properties are tested without depending on any real source being finished.
 */
import { arrivals, constantRate } from '../../generators/index.ts';
import { defaultTopology } from '../../core/topology/index.ts';
import { INCIDENT_KINDS, SOURCES, type IncidentKind, type SourceName } from '../../core/index.ts';
import type { BackgroundGenerator, Destination, IncidentGenerator } from '../../generators/index.ts';
import type { GeneratorRegistry } from '../compile.ts';

const topology = defaultTopology();

function destOf(source: SourceName, stream: string): Destination {
  if (source === 'waf') return { kind: 'firehose', deliveryStream: 'aws-waf-logs-firedrill' };
  if (source === 's3access') return { kind: 's3', bucket: 'firedrill-access-logs', prefix: 'firedrill-app-data/' };
  const group = topology.pipeline.logGroups.find((g) => g.source === source)!;
  return { kind: 'cwl', logGroup: group.name, logStream: stream };
}

export function fakeBackground(source: SourceName): BackgroundGenerator {
  return {
    source,
    *generate(rng, _pools, req) {
      const content = rng.fork('content');
      const streams = ['a', 'b'];
      for (const t of arrivals(rng.fork('arrivals'), req.rate, req.window)) {
        yield { time: t, source, dest: destOf(source, content.pick(streams)), message: `${new Date(t).toISOString()} ${source} ok ${content.hex(8)}` };
      }
    },
  };
}

/** Sources of the fake incident kinds: the cascade spans three, ssh brute force two, others one. */
function sourcesOf(kind: IncidentKind): SourceName[] {
  if (kind === 'rds-app-ecs-cascade') return ['rds', 'app', 'ecs'];
  if (kind === 'ec2-ssh-bruteforce') return ['ec2', 'vpcflow'];
  const prefix = kind.split('-')[0]!;
  const map: Record<string, SourceName> = { waf: 'waf', vpc: 'vpcflow', ec2: 'ec2', cloudtrail: 'cloudtrail', lambda: 'lambda', s3: 's3access', rds: 'rds', app: 'app', ecs: 'ecs' };
  return [map[prefix] ?? 'app'];
}

export function fakeIncident(kind: IncidentKind): IncidentGenerator {
  const sources = sourcesOf(kind);
  const describe: IncidentGenerator['describe'] = (rng, pools, req) => ({
    ip: req.entities.ip ?? rng.pick(pools.internetNoise),
    instance: req.entities.instance ?? pools.estate.instances[0]!.instanceId,
    database: pools.estate.rds.dbInstanceId,
    service: pools.estate.ecs.serviceName,
    function: req.entities.function ?? pools.estate.lambdas[0]!.name,
    accessKey: req.entities.accessKey ?? pools.estate.iamUsers[0]!.accessKeyId,
    principal: req.entities.principal ?? pools.estate.iamUsers[0]!.arn,
    bucket: pools.estate.buckets.data,
    country: req.entities.country ?? 'KP',
  });
  return {
    kind,
    sources,
    describe,
    *generate(rng, pools, req) {
      const who = describe(rng, pools, req);
      // Same convention as generators/cascade: lags.<source>Seconds behind the previous link.
      const lags = (req.params?.lags ?? {}) as Record<string, number>;
      let offset = 0;
      const perSource = sources.map((source) => {
        offset += (lags[`${source}Seconds`] ?? 0) * 1000;
        const from = req.window.start + offset;
        const rate = constantRate(2 * req.intensity);
        return [...arrivals(rng.fork(`arrivals/${source}`), rate, { start: from, end: req.window.end })].map((t) => ({
          time: t,
          source,
          dest: destOf(source, 'incident'),
          message: `${new Date(t).toISOString()} ${source} attack from ${who.ip}`,
          label: { incidentId: req.incidentId, kind, role: source },
        }));
      });
      yield* perSource.flat().sort((a, b) => a.time - b.time);
    },
  };
}

/** A registry with every source and every incident kind faked. */
export function fakeRegistry(): GeneratorRegistry {
  return {
    background: Object.fromEntries(SOURCES.map((s) => [s, fakeBackground(s)])),
    incidents: Object.fromEntries(INCIDENT_KINDS.map((k) => [k, fakeIncident(k as IncidentKind)])),
  };
}
