import type { IncidentKind, SourceName } from '../core/vocabulary.ts';
import type { BackgroundGenerator, IncidentGenerator } from './types.ts';
import { rdsBackground } from './rds/index.ts';
import { appBackground } from './app/index.ts';
import { ecsBackground } from './ecs/index.ts';
import { appDbErrors, cascadeIncident, ecsTaskRestarts, rdsConnectionExhaustion } from './cascade/index.ts';

/**
 * Every source's normal behaviour and every incident mode, one line each. Partial until every source has
 * landed; the scenario compiler reports a missing entry by name.
 */
export const backgroundGenerators: Partial<Record<SourceName, BackgroundGenerator>> = {
  rds: rdsBackground,
  app: appBackground,
  ecs: ecsBackground,
};

export const incidentGenerators: Partial<Record<IncidentKind, IncidentGenerator>> = {
  'rds-app-ecs-cascade': cascadeIncident,
  'rds-connection-exhaustion': rdsConnectionExhaustion,
  'app-db-errors': appDbErrors,
  'ecs-task-restarts': ecsTaskRestarts,
};
