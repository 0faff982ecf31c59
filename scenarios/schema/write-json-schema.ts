// Regenerates scenarios/scenario.schema.json: `npx tsx scenarios/schema/write-json-schema.ts`.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderScenarioJsonSchema } from './json-schema.ts';

const target = fileURLToPath(new URL('../scenario.schema.json', import.meta.url));
writeFileSync(target, renderScenarioJsonSchema());
process.stdout.write(`wrote ${target}\n`);
