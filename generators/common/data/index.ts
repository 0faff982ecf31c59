export * from './countries.ts';
export * from './asns.ts';
export * from './user-agents.ts';
export * from './external-services.ts';
export * from './api-habits.ts';
