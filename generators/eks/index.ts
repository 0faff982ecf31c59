export { eksBackground } from './background.ts';
export { eksCrashloopStorm } from './crashloop-storm.ts';
export { eksApiForbiddenBurst } from './api-forbidden-burst.ts';
export { eksExecSecretAccess } from './exec-secret-access.ts';
export { eksNodeNotReady } from './node-not-ready.ts';
export { clusterModel, type ClusterModel, type EksPod, type EksNode, type Principal } from './cluster-model.ts';
export { eksAuditLevel, type AuditLevel, type AuditRequest } from './audit-events.ts';
