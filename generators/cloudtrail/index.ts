export { cloudtrailBackground } from './background.ts';
export { cloudtrailCompromisedKey } from './compromised-key.ts';
export { cloudtrailConsoleLoginFailures } from './console-login-failures.ts';
export { cloudtrailAccessDeniedStorm } from './access-denied-storm.ts';
export { cloudtrailRootUsage } from './root-usage.ts';
export { trailUsers, type TrailUser } from './principals.ts';
