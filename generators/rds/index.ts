export { rdsBackground } from './background.ts';
export { rdsExhaustionLink, refusalText } from './exhaustion.ts';
export { dbModel, reservedSlotsMessage, TOO_MANY_CLIENTS, type DbModel } from './db-model.ts';
