// Regenerates harness/sut/sut.schema.json: `npx tsx harness/sut/write-json-schema.ts`.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderSutJsonSchema } from './json-schema.ts';

const target = fileURLToPath(new URL('./sut.schema.json', import.meta.url));
writeFileSync(target, renderSutJsonSchema());
process.stdout.write(`wrote ${target}\n`);
