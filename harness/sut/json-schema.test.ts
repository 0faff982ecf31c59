import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderSutJsonSchema } from './json-schema.ts';

describe('published SUT JSON Schema', () => {
  it('harness/sut/sut.schema.json is exactly what the zod schema generates', () => {
    const committed = readFileSync(new URL('./sut.schema.json', import.meta.url), 'utf8');
    // On failure: npx tsx harness/sut/write-json-schema.ts
    expect(committed).toBe(renderSutJsonSchema());
  });

  it('is strict, requires a name and a tap, and offers every tap and trigger to editors', () => {
    const schema = JSON.parse(renderSutJsonSchema()) as {
      additionalProperties: boolean;
      required: string[];
      properties: { findings: { items: { properties: Record<string, unknown> } }; handlers: { items: { properties: { trigger: { properties: Record<string, unknown> }; provisionedConcurrency: unknown } } } };
    };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['name', 'findings']);
    expect(Object.keys(schema.properties.findings.items.properties)).toEqual(expect.arrayContaining(['dynamodb', 'sns', 'sqs', 'eventbridge', 's3', 'logs', 'securityhub', 'returns', 'preset', 'map']));
    expect(Object.keys(schema.properties.handlers.items.properties.trigger.properties)).toEqual(['schedule', 'sqs', 'kinesis', 'logs', 'sns']);
    // Lambda's provisioned concurrency, offered to editors with its bound and default.
    expect(schema.properties.handlers.items.properties.provisionedConcurrency).toMatchObject({ type: 'integer', minimum: 0, default: 0 });
  });
});
