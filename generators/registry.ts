import type { IncidentKind, SourceName } from '../core/index.ts';
import type { BackgroundGenerator, IncidentGenerator } from './types.ts';
import { rdsBackground } from './rds/index.ts';
import { appBackground } from './app/index.ts';
import { ecsBackground } from './ecs/index.ts';
import { appDbErrors, cascadeIncident, ecsTaskRestarts, rdsConnectionExhaustion } from './cascade/index.ts';
import { wafBackground, wafBadBots, wafCredentialStuffing, wafGeoAnomaly, wafHttpFlood, wafShareShift, wafSqliScanner } from './waf/index.ts';
import { vpcDdos, vpcExfiltration, vpcFlowBackground, vpcPortScan, vpcSshBruteforce } from './vpcflow/index.ts';
import { ec2Background, ec2DiskFull, ec2Oom, ec2SshBruteForce } from './ec2/index.ts';
import { cloudtrailAccessDeniedStorm, cloudtrailBackground, cloudtrailCompromisedKey, cloudtrailConsoleLoginFailures, cloudtrailRootUsage } from './cloudtrail/index.ts';
import { lambdaBackground, lambdaErrorSpike, lambdaMemoryExhaustion, lambdaTimeoutStorm } from './lambda/index.ts';
import { s3accessBackground, s3ForbiddenBurst, s3MassDelete, s3UnusualGetVolume } from './s3access/index.ts';
import { eksApiForbiddenBurst, eksBackground, eksCrashloopStorm, eksExecSecretAccess, eksNodeNotReady } from './eks/index.ts';

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
  ec2: ec2Background,
  cloudtrail: cloudtrailBackground,
  lambda: lambdaBackground,
  s3access: s3accessBackground,
  eks: eksBackground,
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
  'waf-share-shift': wafShareShift,
  'vpc-port-scan': vpcPortScan,
  'vpc-ssh-bruteforce': vpcSshBruteforce,
  'vpc-exfiltration': vpcExfiltration,
  'vpc-ddos': vpcDdos,
  'ec2-ssh-bruteforce': ec2SshBruteForce,
  'ec2-disk-full': ec2DiskFull,
  'ec2-oom': ec2Oom,
  'cloudtrail-compromised-key': cloudtrailCompromisedKey,
  'cloudtrail-console-login-failures': cloudtrailConsoleLoginFailures,
  'cloudtrail-access-denied-storm': cloudtrailAccessDeniedStorm,
  'cloudtrail-root-usage': cloudtrailRootUsage,
  'lambda-timeout-storm': lambdaTimeoutStorm,
  'lambda-error-spike': lambdaErrorSpike,
  'lambda-memory-exhaustion': lambdaMemoryExhaustion,
  's3-mass-delete': s3MassDelete,
  's3-403-burst': s3ForbiddenBurst,
  's3-unusual-get-volume': s3UnusualGetVolume,
  'eks-crashloop-storm': eksCrashloopStorm,
  'eks-api-forbidden-burst': eksApiForbiddenBurst,
  'eks-exec-secret-access': eksExecSecretAccess,
  'eks-node-not-ready': eksNodeNotReady,
};
