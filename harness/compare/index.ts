/** Several SUTs on the same drills and ground truth: the SUT × drill matrix (`firedrill compare`, the leaderboard). */
export { buildComparison, cellOf, totalsOf, type Comparison, type ComparisonCell, type NotRun } from './comparison.ts';
export { cellText, comparisonHtml, comparisonJUnit, comparisonMarkdown } from './render-comparison.ts';
export { parseRunsArg, scoreRunDir } from './read-runs.ts';
export { writeComparison, type ComparisonPaths } from './write-comparison.ts';
