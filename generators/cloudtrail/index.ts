export { cloudtrailBackground } from './background.ts';
export { cloudtrailCompromisedKey, cloudtrailConsoleLoginFailures, cloudtrailAccessDeniedStorm, cloudtrailRootUsage } from './incidents.ts';
export { trailUsers, type TrailUser } from './principals.ts';
