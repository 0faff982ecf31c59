import type { IncidentKind, SourceName } from '../core/vocabulary.ts';
import type { BackgroundGenerator, IncidentGenerator } from './types.ts';
import { rdsBackground } from './rds/index.ts';
import { appBackground } from './app/index.ts';
import { ecsBackground } from './ecs/index.ts';
import { appDbErrors, cascadeIncident, ecsTaskRestarts, rdsConnectionExhaustion } from './cascade/index.ts';
import { wafBackground, wafBadBots, wafCredentialStuffing, wafGeoAnomaly, wafHttpFlood, wafSqliScanner } from './waf/index.ts';
import { vpcDdos, vpcExfiltration, vpcFlowBackground, vpcPortScan, vpcSshBruteforce } from './vpcflow/index.ts';

/**
 * Every source's normal behaviour and every incident mode, one line each. Partial until every source has
 * landed; the scenario compiler reports a missing entry by name.
 */
export const backgroundGenerators: Partial<Record<SourceName, BackgroundGenerator>> = {
  rds: rdsBackground,
  app: appBackground,
  ecs: ecsBackground,
  waf: wafBackground,
  vpcflow: vpcFlowBackground,
};

export const incidentGenerators: Partial<Record<IncidentKind, IncidentGenerator>> = {
  'rds-app-ecs-cascade': cascadeIncident,
  'rds-connection-exhaustion': rdsConnectionExhaustion,
  'app-db-errors': appDbErrors,
  'ecs-task-restarts': ecsTaskRestarts,
  'waf-geo-anomaly': wafGeoAnomaly,
  'waf-credential-stuffing': wafCredentialStuffing,
  'waf-sqli-scanner': wafSqliScanner,
  'waf-http-flood': wafHttpFlood,
  'waf-bad-bots': wafBadBots,
  'vpc-port-scan': vpcPortScan,
  'vpc-ssh-bruteforce': vpcSshBruteforce,
  'vpc-exfiltration': vpcExfiltration,
  'vpc-ddos': vpcDdos,
};
