import { ConfigError } from '../../core/index.ts';
import type { Rng } from '../../core/index.ts';
import { CASCADE_KIND, type Entities } from '../../core/index.ts';
import { mergeByTime } from '../common/merge.ts';
import type { EntityPools, GeneratedEvent, IncidentGenerator, IncidentRequest } from '../types.ts';
import { appDbErrorsLink } from '../app/db-errors.ts';
import { ecsTaskRestartsLink } from '../ecs/task-restarts.ts';
import { serviceModel } from '../ecs/service-model.ts';
import { dbModel } from '../rds/db-model.ts';
import { rdsExhaustionLink } from '../rds/exhaustion.ts';
import { parseCascadeParams, type CascadeParams } from './params.ts';

export interface CascadeTimeline {
  params: CascadeParams;
  /** First event of each link, epoch ms. */
  rdsOnset: number;
  appOnset: number;
  ecsOnset: number;
}

/**
 * When each link starts. The database link starts at the first whole second of the window (the RDS
 * prefix has no milliseconds); each later link starts its lag plus a jitter in [0, jitterSeconds] after
 * the link it depends on. A window too short for the chain is a scenario error, not a silent truncation.
 */
export function cascadeTimeline(rng: Rng, req: IncidentRequest): CascadeTimeline {
  const params = parseCascadeParams(req.params, req.intensity);
  const j = rng.fork('jitter');
  const rdsOnset = Math.ceil(req.window.start / 1000) * 1000;
  const appOnset = rdsOnset + Math.round((params.lags.appSeconds + j.next() * params.jitterSeconds) * 1000);
  const ecsOnset = appOnset + Math.round((params.lags.ecsSeconds + j.next() * params.jitterSeconds) * 1000);
  const needed = rdsOnset + (params.lags.appSeconds + params.lags.ecsSeconds + 2 * params.jitterSeconds) * 1000;
  if (needed >= req.window.end) {
    throw new ConfigError(`incident ${req.incidentId}: the window is too short for the cascade's lags`, {
      expected: `a window longer than lags.appSeconds + lags.ecsSeconds + 2 × jitterSeconds = ${(needed - rdsOnset) / 1000} s`,
      seen: `${(req.window.end - req.window.start) / 1000} s`,
      fix: 'lengthen the incident window or shorten the lags',
    });
  }
  return { params, rdsOnset, appOnset, ecsOnset };
}

function checkEntities(pools: EntityPools, req: IncidentRequest): Entities {
  const entities = { database: dbModel(pools).dbInstanceId, service: serviceModel(pools).service };
  for (const k of ['database', 'service'] as const) {
    const asked = req.entities[k];
    if (asked !== undefined && asked !== entities[k]) {
      throw new ConfigError(`incident ${req.incidentId}: ${k} ${JSON.stringify(asked)} is not in the estate`, {
        expected: entities[k],
        seen: asked,
        fix: `leave entities.${k} out or name the estate's ${k}`,
      });
    }
  }
  return entities;
}

/**
 * The RDS → app → ECS cascade of seed 004: connection exhaustion on the database, the app's DB errors and
 * timeouts `lags.appSeconds` later, ECS health-check failures and task restarts `lags.ecsSeconds` after
 * that. Every event is labelled with its link's `role`; messages are the same with or without labels.
 */
export const cascadeIncident: IncidentGenerator = {
  kind: CASCADE_KIND,
  sources: ['rds', 'app', 'ecs'],
  generate(rng: Rng, pools: EntityPools, req: IncidentRequest): Iterable<GeneratedEvent> {
    checkEntities(pools, req);
    const tl = cascadeTimeline(rng, req);
    const { intensities, rampSeconds, wording } = tl.params;
    const link = (role: 'rds' | 'app' | 'ecs', onset: number, intensity: number) => ({
      rng: rng.fork(role),
      pools,
      onset,
      end: req.window.end,
      intensity,
      label: { incidentId: req.incidentId, kind: req.kind, role },
      wording,
    });
    return mergeByTime([
      rdsExhaustionLink(link('rds', tl.rdsOnset, intensities.rds), rampSeconds * 1000),
      appDbErrorsLink(link('app', tl.appOnset, intensities.app), 'exhaustion'),
      ecsTaskRestartsLink(link('ecs', tl.ecsOnset, intensities.ecs)),
    ]);
  },
  describe(_rng: Rng, pools: EntityPools, req: IncidentRequest): Entities {
    return checkEntities(pools, req);
  },
};
