export { appBackground } from './background.ts';
export { appDbErrorsLink, type DbFailure } from './db-errors.ts';
