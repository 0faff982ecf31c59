import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderScenarioJsonSchema } from './json-schema.ts';

describe('published JSON Schema', () => {
  it('scenarios/scenario.schema.json is exactly what the zod schema generates', () => {
    const committed = readFileSync(new URL('../scenario.schema.json', import.meta.url), 'utf8');
    // On failure: npx tsx scenarios/schema/write-json-schema.ts
    expect(committed).toBe(renderScenarioJsonSchema());
  });

  it('is strict and lists the vocabulary, so editors flag typos', () => {
    const schema = JSON.parse(renderScenarioJsonSchema()) as { additionalProperties: boolean; properties: { incidents: { items: { properties: { kind: { enum: string[] } } } } } };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.incidents.items.properties.kind.enum).toContain('rds-app-ecs-cascade');
    expect(schema.properties.incidents.items.properties.kind.enum).not.toContain('root-cause');
  });
});
