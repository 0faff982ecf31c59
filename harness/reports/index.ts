export { toHtml } from './html.ts';
export { toJUnit } from './junit.ts';
export { renderScorecard, renderSummary } from './terminal.ts';
export { writeReports, type ReportPaths } from './write-reports.ts';
export { findingEvidence, type FindingEvidence } from './finding-evidence.ts';
export { toIndexHtml, type KeptRun } from './runs-index.ts';
