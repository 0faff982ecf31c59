// Records what the evaluator decides on the catalog's scorings (test/support/catalog-scorecards.ts) into
// test/fixtures/catalog-scorecards.json: `npx tsx test/support/write-catalog-scorecards.ts`.
// The file was first written by the Finding-based evaluator, before scoring moved to observations; the
// detection-catalog test holds the observation path to it. Rewrite it only when a change of decisions is meant.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { evaluateDrill } from '../../harness/evaluate/index.ts';
import { catalogDetections, catalogScorings, scorecardDecisions } from './catalog-scorecards.ts';

const out: Record<string, unknown> = {};
for (const s of catalogScorings(await catalogDetections())) out[s.key] = scorecardDecisions(evaluateDrill({ ...s.input, findings: s.findings }));
const target = fileURLToPath(new URL('../fixtures/catalog-scorecards.json', import.meta.url));
writeFileSync(target, `${JSON.stringify(out, null, 1)}\n`);
process.stdout.write(`wrote ${target}\n`);
