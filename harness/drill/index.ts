export { runDrill, type DrillRun, type DrillProgress, type DrillPhase, type DrillTarget, type RunDrillOptions } from './run-drill.ts';
export { runDrills, erroredScorecard, type RunDrillsOptions } from './run-drills.ts';
export type { DrillEvent, RemediationStep } from './drill-events.ts';
