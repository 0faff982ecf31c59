import { ConfigError } from '../../core/index.ts';
import type { Rng } from '../../core/index.ts';
import type { Entities, IncidentKind, SourceName } from '../../core/index.ts';
import type { EntityPools, GeneratedEvent, IncidentGenerator, IncidentRequest } from '../types.ts';
import { appDbErrorsLink } from '../app/db-errors.ts';
import { ecsTaskRestartsLink } from '../ecs/task-restarts.ts';
import { serviceModel } from '../ecs/service-model.ts';
import { dbModel } from '../rds/db-model.ts';
import { rdsExhaustionLink } from '../rds/exhaustion.ts';
import type { LinkContext } from './link.ts';
import { parseCascadeParams } from './params.ts';

function single(
  kind: IncidentKind,
  source: SourceName,
  entities: (pools: EntityPools) => Entities,
  link: (ctx: LinkContext, req: IncidentRequest) => Iterable<GeneratedEvent>,
): IncidentGenerator {
  return {
    kind,
    sources: [source],
    generate(rng: Rng, pools: EntityPools, req: IncidentRequest): Iterable<GeneratedEvent> {
      // Same parameter rules as the cascade (unknown keys and out-of-range values are ConfigErrors).
      const { wording } = parseCascadeParams(req.params, req.intensity);
      // Whole second: the RDS prefix has none, and the three kinds share one onset rule.
      const onset = Math.ceil(req.window.start / 1000) * 1000;
      if (onset >= req.window.end) {
        throw new ConfigError(`incident ${req.incidentId}: empty window`, { expected: 'window.end after window.start by at least a second', seen: `${req.window.start}..${req.window.end}` });
      }
      return link({ rng: rng.fork(source), pools, onset, end: req.window.end, intensity: req.intensity, label: { incidentId: req.incidentId, kind: req.kind }, wording }, req);
    },
    describe: (_rng, pools) => entities(pools),
  };
}

/** The database link alone: connections climb, then FATAL refusals (params.rampSeconds, default 10). */
export const rdsConnectionExhaustion = single('rds-connection-exhaustion', 'rds', (p) => ({ database: dbModel(p).dbInstanceId }), (ctx, req) =>
  rdsExhaustionLink(ctx, parseCascadeParams(req.params, req.intensity).rampSeconds * 1000),
);

/** The app link alone; without a known cause it also shows "Connection refused" (a DB that is down). */
export const appDbErrors = single('app-db-errors', 'app', (p) => ({ service: serviceModel(p).service }), (ctx) => appDbErrorsLink(ctx, 'any'));

/** The ECS link alone: health-check failures and a task restart loop. */
export const ecsTaskRestarts = single('ecs-task-restarts', 'ecs', (p) => ({ service: serviceModel(p).service }), (ctx) => ecsTaskRestartsLink(ctx));
